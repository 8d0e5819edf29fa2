"""Typed configuration: one `Settings` with sections, read from the original variable names.

Sources, highest precedence first (DESIGN.md, Configuration):
  1. the process environment;
  2. `.env.<env>` when that file exists;
  3. otherwise the Google Secret Manager secret `<env>-<service>` (only when GCP_PROJECT_ID is set),
     overlaid by the secret named after STAGING_ENV_NAMESPACE when that is set;
  4. `.env`.
Every source yields flat `NAME=value` pairs; the sections pick their own names out of the merge.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(ValueError):
    """Configuration that cannot work; the message names the variable at fault."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


def _csv(value: Any) -> Any:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


class DatabaseSettings(_Section):
    url: SecretStr | None = Field(None, validation_alias="DATABASE_URL")
    pool_min_size: int = Field(1, ge=0, validation_alias="DATABASE_POOL_MIN")
    pool_max_size: int = Field(10, ge=1, validation_alias="DATABASE_POOL_MAX")

    @field_validator("url")
    @classmethod
    def _postgres_only(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("postgres://", "postgresql://")):
            raise ValueError("must be a postgresql:// URL")
        return value


class TemporalSettings(_Section):
    address: str = Field("localhost:7233", validation_alias="TEMPORAL_ADDRESS")
    namespace: str = Field("default", min_length=1, validation_alias="TEMPORAL_NAMESPACE")
    api_key: SecretStr | None = Field(None, validation_alias="TEMPORAL_API_KEY")
    tls_cert_path: str | None = Field(None, validation_alias="TEMPORAL_TLS_CERT")
    tls_key_path: str | None = Field(None, validation_alias="TEMPORAL_TLS_KEY")
    tls_ca_path: str | None = Field(None, validation_alias="TEMPORAL_TLS_CA")
    queue_reviews: str = Field("reviews", min_length=1, validation_alias="TASK_QUEUE_REVIEWS")
    queue_indexing: str = Field("indexing", min_length=1, validation_alias="TASK_QUEUE_INDEXING")
    queue_investigations: str = Field("investigations", min_length=1, validation_alias="TASK_QUEUE_INVESTIGATIONS")
    queue_sync: str = Field("sync", min_length=1, validation_alias="TASK_QUEUE_SYNC")
    ui_url: str = Field("http://localhost:8233", validation_alias="TEMPORAL_UI_URL")  # dashboard links

    @field_validator("address")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError("must be host:port, e.g. localhost:7233")
        return value


class GithubSettings(_Section):
    user_token: SecretStr | None = Field(None, validation_alias="GITHUB_USER_TOKEN")
    app_id: int | None = Field(None, validation_alias="GITHUB_APP_ID")
    app_private_key: SecretStr | None = Field(None, validation_alias="GITHUB_APP_PRIVATE_KEY")
    app_installation_id: int | None = Field(None, validation_alias="GITHUB_APP_INSTALLATION_ID")
    webhook_secret: SecretStr | None = Field(None, validation_alias="GITHUB_WEBHOOK_SECRET")
    org: str | None = Field(None, validation_alias="GITHUB_ORG")
    main_branches: tuple[str, ...] = Field(("main", "master"), validation_alias="GITHUB_MAIN_BRANCHES")
    api_url: str = Field("https://api.github.com", validation_alias="GITHUB_API_URL")
    bot_logins: tuple[str, ...] = Field(("dependabot[bot]", "renovate[bot]"), validation_alias="GITHUB_BOT_LOGINS")
    # The login this product comments as (a GitHub App comments as "<app slug>[bot]"): its own
    # comments are never read as commands.
    app_login: str = Field("pr-agent[bot]", min_length=1, validation_alias="GITHUB_APP_LOGIN")

    _split = field_validator("main_branches", "bot_logins", mode="before")(_csv)


class JiraSettings(_Section):
    base_url: str | None = Field(None, validation_alias="JIRA_BASE_URL")
    email: str | None = Field(None, validation_alias="JIRA_EMAIL")
    api_token: SecretStr | None = Field(None, validation_alias="JIRA_API_TOKEN")
    webhook_secret: SecretStr | None = Field(None, validation_alias="JIRA_WEBHOOK_SECRET")

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.email and self.api_token)


class LlmSettings(_Section):
    provider: str = Field("gemini", validation_alias="LLM_PROVIDER")
    model: str = Field("gemini/gemini-2.5-flash", validation_alias="LLM_MODEL")
    fallback_models: tuple[str, ...] = Field((), validation_alias="LLM_FALLBACK_MODELS")
    api_base: str | None = Field(None, validation_alias="LLM_API_BASE")
    api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("LLM_API_KEY", "GEMINI_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY")
    )
    timeout_seconds: float = Field(120.0, gt=0, validation_alias="LLM_TIMEOUT_SECONDS")
    max_prompt_tokens: int = Field(24000, ge=1000, validation_alias="LLM_MAX_PROMPT_TOKENS")
    # A large pull request is reviewed in several prompts; this bounds the diff tokens of one review.
    max_review_tokens: int = Field(200_000, ge=1000, validation_alias="LLM_MAX_REVIEW_TOKENS")
    # The verification pass: each model comment scored 0-10 against the code; under the threshold it is dropped.
    verify: bool = Field(True, validation_alias="LLM_VERIFY")
    verify_threshold: int = Field(5, ge=0, le=10, validation_alias="LLM_VERIFY_THRESHOLD")
    verify_model: str | None = Field(None, validation_alias="LLM_VERIFY_MODEL")  # default: LLM_MODEL
    embedding_model: str = Field("hashing", validation_alias="EMBEDDING_MODEL")
    embedding_dimension: int = Field(384, ge=8, le=2000, validation_alias="EMBEDDING_DIMENSION")

    _split = field_validator("fallback_models", mode="before")(_csv)

    @property
    def configured(self) -> bool:
        """An LLM is usable only with a key (a local api_base counts: self-hosted models need none)."""
        return self.api_key is not None or self.api_base is not None


class CommandSettings(_Section):
    """What shapes the pull-request commands (/improve, /ask, /describe; `/help` lists these)."""

    improve_max_suggestions: int = Field(8, ge=1, le=30, validation_alias="IMPROVE_MAX_SUGGESTIONS")
    improve_min_score: int = Field(6, ge=0, le=10, validation_alias="IMPROVE_MIN_SCORE")
    # A commenter's permission is read from GitHub at most this often (seconds); a role change
    # takes effect within it.
    permission_cache_seconds: int = Field(600, ge=0, validation_alias="COMMAND_PERMISSION_CACHE_SECONDS")


class AdminSettings(_Section):
    api_token: SecretStr | None = Field(None, validation_alias="ADMIN_API_TOKEN")
    allow_unsigned_webhooks: bool = Field(False, validation_alias="ALLOW_UNSIGNED_WEBHOOKS")
    webhook_max_body_bytes: int = Field(5 * 1024 * 1024, ge=1024, validation_alias="WEBHOOK_MAX_BODY_BYTES")
    api_host: str = Field("127.0.0.1", validation_alias="API_HOST")
    api_port: int = Field(8000, ge=1, le=65535, validation_alias="API_PORT")
    # Where people reach the API from their browser (links in pull-request comments point here).
    public_url: str | None = Field(None, validation_alias="PUBLIC_URL")

    @property
    def public_base_url(self) -> str:
        return (self.public_url or f"http://{self.api_host}:{self.api_port}").rstrip("/")


class TelemetrySettings(_Section):
    env: str = Field("development", validation_alias="NODE_ENV")
    service: str = Field("pr-agent", validation_alias="SERVICE_NAME")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", validation_alias="LOG_LEVEL")
    log_format: Literal["json", "text"] | None = Field(None, validation_alias="LOG_FORMAT")
    gcp_project_id: str | None = Field(None, validation_alias="GCP_PROJECT_ID")
    staging_namespace: str | None = Field(None, validation_alias="STAGING_ENV_NAMESPACE")
    metrics_port: int | None = Field(None, ge=1, le=65535, validation_alias="METRICS_PORT")
    # Tracing, by the standard OpenTelemetry names (read here so .env files and Secret Manager work too).
    traces_exporter: Literal["none", "otlp", "console"] = Field("none", validation_alias="OTEL_TRACES_EXPORTER")
    otel_service_name: str | None = Field(None, validation_alias="OTEL_SERVICE_NAME")
    otlp_endpoint: str | None = Field(None, validation_alias="OTEL_EXPORTER_OTLP_ENDPOINT")
    otlp_protocol: Literal["grpc", "http/protobuf"] = Field("grpc", validation_alias="OTEL_EXPORTER_OTLP_PROTOCOL")
    otlp_headers: SecretStr | None = Field(None, validation_alias="OTEL_EXPORTER_OTLP_HEADERS")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("traces_exporter", "otlp_protocol", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @property
    def trace_service_name(self) -> str:
        return self.otel_service_name or self.service

    @property
    def effective_log_format(self) -> Literal["json", "text"]:
        return self.log_format or ("text" if self.env in ("dev", "development", "test") else "json")


class FeedbackSettings(_Section):
    """Learning from reactions: a rule is muted in a repository when people reject it there too often."""

    mute_precision: float = Field(0.3, ge=0.0, le=1.0, validation_alias="RULE_MUTE_PRECISION")
    mute_min_votes: int = Field(5, ge=1, validation_alias="RULE_MUTE_MIN_VOTES")
    # Reconcile re-reads the reactions on inline comments posted within this many days.
    reconcile_days: int = Field(30, ge=1, validation_alias="FEEDBACK_RECONCILE_DAYS")


class ScheduleSettings(_Section):
    reconcile_cron: str = Field("0 2 * * 0", validation_alias="RECONCILE_CRON")
    reconcile_timezone: str = Field("UTC", validation_alias="RECONCILE_TIMEZONE")
    reconcile_catchup_minutes: int = Field(60, ge=0, validation_alias="RECONCILE_CATCHUP_MINUTES")


class AutofixSettings(_Section):
    """Auto-fix (AutoFixPR): how much one request may change, how long the repository's own check may
    run, and the signed "Auto-fix" links of a review (shown only when a secret and a base URL are set)."""

    enabled: bool = Field(True, validation_alias="AUTOFIX_ENABLED")
    max_findings: int = Field(10, ge=1, le=100, validation_alias="AUTOFIX_MAX_FINDINGS")
    max_files: int = Field(5, ge=1, le=100, validation_alias="AUTOFIX_MAX_FILES")
    max_changed_lines: int = Field(80, ge=1, le=5000, validation_alias="AUTOFIX_MAX_CHANGED_LINES")
    context_lines: int = Field(40, ge=0, le=400, validation_alias="AUTOFIX_CONTEXT_LINES")
    check_timeout_seconds: float = Field(300.0, gt=0, le=3600, validation_alias="AUTOFIX_CHECK_TIMEOUT_SECONDS")
    link_secret: SecretStr | None = Field(None, validation_alias="AUTOFIX_LINK_SECRET")
    link_base_url: str | None = Field(None, validation_alias="AUTOFIX_LINK_BASE_URL")
    link_ttl_hours: float = Field(72.0, gt=0, le=24 * 90, validation_alias="AUTOFIX_LINK_TTL_HOURS")

    @field_validator("link_secret")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters (it signs the Auto-fix links)")
        return value

    @field_validator("link_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s):// URL where the API is reached, e.g. https://pr-agent.example.com")
        return value.rstrip("/") if value else value

    @property
    def links_enabled(self) -> bool:
        return self.link_secret is not None and self.link_base_url is not None


def default_data_home(xdg_data_home: str | None) -> Path:
    """Where PR Agent keeps its data unless told otherwise: `$XDG_DATA_HOME/pr-agent`, else
    `~/.local/share/pr-agent` (the XDG base-directory default): one place whatever the current directory."""
    base = Path(xdg_data_home).expanduser() if xdg_data_home else Path.home() / ".local" / "share"
    return base / "pr-agent"


class PathsSettings(_Section):
    """The data home (embedded PostgreSQL, Temporal dev server, repository clones, the dev stack's
    state file). `data_dir` is always absolute, so every process resolves it to the same place."""

    data_dir: str = Field("", validation_alias="PR_AGENT_DATA_DIR")
    xdg_data_home: str | None = Field(None, validation_alias="XDG_DATA_HOME")
    repo_cache_dir: str | None = Field(None, validation_alias="REPO_CACHE_DIR")

    @model_validator(mode="after")
    def _absolute_data_dir(self) -> PathsSettings:
        chosen = Path(self.data_dir).expanduser() if self.data_dir else default_data_home(self.xdg_data_home)
        # The section is frozen: set the resolved value once, here, where it is validated.
        object.__setattr__(self, "data_dir", str(chosen.absolute()))
        return self

    @property
    def data_home(self) -> Path:
        return Path(self.data_dir)


_SECTIONS: dict[str, type[_Section]] = {
    "database": DatabaseSettings,
    "temporal": TemporalSettings,
    "github": GithubSettings,
    "jira": JiraSettings,
    "llm": LlmSettings,
    "commands": CommandSettings,
    "admin": AdminSettings,
    "telemetry": TelemetrySettings,
    "schedule": ScheduleSettings,
    "feedback": FeedbackSettings,
    "paths": PathsSettings,
    "autofix": AutofixSettings,
}


def known_variables() -> set[str]:
    """Every environment variable name some section reads."""
    names: set[str] = set()
    for section in _SECTIONS.values():
        for field in section.model_fields.values():
            alias = field.validation_alias
            if isinstance(alias, str):
                names.add(alias)
            elif isinstance(alias, AliasChoices):
                names.update(str(choice) for choice in alias.choices)
    return names


class Settings(BaseSettings):
    """All configuration, by section. Build it with `load_settings()`, never from os.environ directly."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    database: DatabaseSettings = DatabaseSettings()
    temporal: TemporalSettings = TemporalSettings()
    github: GithubSettings = GithubSettings()
    jira: JiraSettings = JiraSettings()
    llm: LlmSettings = LlmSettings()
    commands: CommandSettings = CommandSettings()
    admin: AdminSettings = AdminSettings()
    telemetry: TelemetrySettings = TelemetrySettings()
    schedule: ScheduleSettings = ScheduleSettings()
    feedback: FeedbackSettings = FeedbackSettings()
    paths: PathsSettings = PathsSettings()
    autofix: AutofixSettings = AutofixSettings()

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, *args: Any, **kwargs: Any):
        # Sources are merged by `core.config_sources.merged_variables`; only explicit values reach here.
        return (init_settings,)

    @classmethod
    def from_variables(cls, variables: dict[str, str]) -> Settings:
        """Build from flat NAME=value pairs; bad values raise one SettingsError naming each variable."""
        sections: dict[str, _Section] = {}
        problems: list[str] = []
        for name, section in _SECTIONS.items():
            try:
                sections[name] = section.model_validate(variables)
            except ValidationError as error:
                problems.extend(_describe(error))
        if problems:
            raise SettingsError("Invalid configuration: " + "; ".join(problems))
        return cls.model_validate(sections)


def _describe(error: ValidationError) -> list[str]:
    # Only the variable and pydantic's message: the input value may be a secret.
    return [".".join(str(part) for part in item["loc"]) + f": {item['msg']}" for item in error.errors()]
