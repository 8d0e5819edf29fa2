from __future__ import annotations

import logging
from pathlib import Path

import pytest

from core.config_sources import load_settings, secret_names
from core.settings import SettingsError


class StandInSecrets:
    """Plays Google Secret Manager: secrets by name, and a record of what was asked."""

    def __init__(self, secrets: dict[str, str]) -> None:
        self.secrets = secrets
        self.asked: list[tuple[str, str]] = []

    def fetch(self, project_id: str, secret_name: str) -> str | None:
        self.asked.append((project_id, secret_name))
        return self.secrets.get(secret_name)


def write(path: Path, text: str) -> None:
    path.write_text(text)


def test_environment_beats_env_file_beats_dotenv(tmp_path: Path) -> None:
    write(tmp_path / ".env", "GITHUB_ORG=from-dotenv\nLLM_MODEL=from-dotenv\nJIRA_EMAIL=a@dotenv\n")
    write(tmp_path / ".env.staging", "GITHUB_ORG=from-env-file\nLLM_MODEL=from-env-file\n")
    settings = load_settings({"NODE_ENV": "staging", "GITHUB_ORG": "from-environ"}, tmp_path, StandInSecrets({}))
    assert settings.github.org == "from-environ"
    assert settings.llm.model == "from-env-file"
    assert settings.jira.email == "a@dotenv"


def test_secret_manager_used_only_without_env_file(tmp_path: Path) -> None:
    secrets = StandInSecrets({"prod-pr-agent": "GITHUB_ORG=from-secret\nLLM_MODEL=from-secret\n"})
    write(tmp_path / ".env", "GITHUB_ORG=from-dotenv\nJIRA_EMAIL=a@dotenv\n")
    environ = {"NODE_ENV": "production", "GCP_PROJECT_ID": "acme", "LLM_MODEL": "from-environ"}
    settings = load_settings(environ, tmp_path, secrets)
    assert secrets.asked == [("acme", "prod-pr-agent")]
    assert settings.github.org == "from-secret"  # secret beats .env
    assert settings.llm.model == "from-environ"  # environment beats the secret
    assert settings.jira.email == "a@dotenv"  # .env still fills the rest

    write(tmp_path / ".env.production", "GITHUB_ORG=from-env-file\n")
    secrets.asked.clear()
    assert load_settings(environ, tmp_path, secrets).github.org == "from-env-file"
    assert secrets.asked == []


def test_staging_namespace_secret_overrides_environment_secret(tmp_path: Path) -> None:
    secrets = StandInSecrets(
        {
            "staging-reviewer": "GITHUB_ORG=staging-org\nLLM_MODEL=staging-model\n",
            "pr-42-reviewer": "GITHUB_ORG=preview-org\n",
        }
    )
    environ = {
        "NODE_ENV": "staging",
        "GCP_PROJECT_ID": "acme",
        "SERVICE_NAME": "reviewer",
        "STAGING_ENV_NAMESPACE": "pr-42",
    }
    settings = load_settings(environ, tmp_path, secrets)
    assert settings.github.org == "preview-org"
    assert settings.llm.model == "staging-model"
    assert secret_names("production", "svc", None) == ["prod-svc"]


def test_no_secret_manager_without_project(tmp_path: Path) -> None:
    secrets = StandInSecrets({"development-pr-agent": "GITHUB_ORG=x\n"})
    settings = load_settings({}, tmp_path, secrets)
    assert secrets.asked == []
    assert settings.github.org is None


def test_bad_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({"TEMPORAL_ADDRESS": "no-port", "API_PORT": "http"}, tmp_path, StandInSecrets({}))
    message = str(error.value)
    assert "TEMPORAL_ADDRESS" in message and "API_PORT" in message


def test_bad_database_url_rejected_without_echoing_it(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({"DATABASE_URL": "mysql://root:hunter2@db/x"}, tmp_path, StandInSecrets({}))
    assert "DATABASE_URL" in str(error.value)
    assert "hunter2" not in str(error.value)


def test_secrets_never_in_repr_or_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = load_settings(
        {"GITHUB_USER_TOKEN": "ghp_supersecret", "ADMIN_API_TOKEN": "admin-secret"}, tmp_path, StandInSecrets({})
    )
    with caplog.at_level(logging.INFO):
        logging.getLogger("test").info("settings: %s %r", settings, settings)
    assert "ghp_supersecret" not in repr(settings) and "admin-secret" not in str(settings)
    assert "ghp_supersecret" not in caplog.text
    assert settings.github.user_token is not None
    assert settings.github.user_token.get_secret_value() == "ghp_supersecret"


def test_lists_parse_from_commas(tmp_path: Path) -> None:
    settings = load_settings({"GITHUB_MAIN_BRANCHES": "main, develop ,release"}, tmp_path, StandInSecrets({}))
    assert settings.github.main_branches == ("main", "develop", "release")


def test_env_example_documents_every_variable() -> None:
    from core.settings import known_variables

    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    documented = {line.split("=", 1)[0].lstrip("# ").strip() for line in example.splitlines() if "=" in line}
    assert known_variables() - documented == set()
