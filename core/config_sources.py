"""Where configuration values come from, merged in the design's precedence order.

Google Secret Manager is reached through the small `SecretFetcher` protocol so that tests (and
deployments with another secret store) can stand in for Google's client.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from dotenv import dotenv_values

from core.settings import Settings, SettingsError

log = logging.getLogger(__name__)

# Secret names use short environment names: production → prod.
_SECRET_ENV_NAMES = {"production": "prod"}


class SecretFetcher(Protocol):
    def fetch(self, project_id: str, secret_name: str) -> str | None:
        """The latest version of a secret as text, or None when it does not exist."""


class GoogleSecretFetcher:
    """Reads secrets with the official client; imported lazily (it is slow and rarely needed)."""

    def fetch(self, project_id: str, secret_name: str) -> str | None:
        from google.api_core.exceptions import NotFound
        from google.cloud import secretmanager

        client = secretmanager.SecretManagerServiceClient()
        name = f"projects/{project_id}/secrets/{secret_name}/versions/latest"
        try:
            response = client.access_secret_version(name=name)
        except NotFound:
            return None
        return str(response.payload.data.decode("utf-8"))


def parse_env_text(text: str) -> dict[str, str]:
    """`.env`-format text (as stored in a secret) to NAME → value."""
    import io

    return {k: v for k, v in dotenv_values(stream=io.StringIO(text)).items() if v is not None}


def _read_env_file(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def secret_names(env_name: str, service: str, staging_namespace: str | None) -> list[str]:
    """Secrets to read, lowest precedence first."""
    names = [f"{_SECRET_ENV_NAMES.get(env_name, env_name)}-{service}"]
    if staging_namespace:
        names.append(f"{staging_namespace}-{service}")
    return names


def merged_variables(
    environ: Mapping[str, str],
    base_dir: Path,
    fetcher: SecretFetcher | None = None,
) -> dict[str, str]:
    """Flat NAME → value from every source, the highest-precedence source winning."""
    dotenv = _read_env_file(base_dir / ".env")
    bootstrap = {**dotenv, **environ}
    env_name = bootstrap.get("NODE_ENV", "development")
    merged = dict(dotenv)
    env_file = base_dir / f".env.{env_name}"
    if env_file.is_file():
        merged.update(_read_env_file(env_file))
    elif bootstrap.get("GCP_PROJECT_ID"):
        merged.update(_secret_values(bootstrap, env_name, fetcher or GoogleSecretFetcher()))
    merged.update(environ)
    return merged


def _secret_values(bootstrap: Mapping[str, str], env_name: str, fetcher: SecretFetcher) -> dict[str, str]:
    project = bootstrap["GCP_PROJECT_ID"]
    service = bootstrap.get("SERVICE_NAME", "pr-agent")
    values: dict[str, str] = {}
    for name in secret_names(env_name, service, bootstrap.get("STAGING_ENV_NAMESPACE")):
        try:
            text = fetcher.fetch(project, name)
        except Exception as error:
            raise SettingsError(f"GCP_PROJECT_ID: cannot read secret {name!r}: {type(error).__name__}") from error
        if text is None:
            log.warning("secret %s not found in project %s; skipped", name, project)
            continue
        values.update(parse_env_text(text))
    return values


def load_settings(
    environ: Mapping[str, str] | None = None,
    base_dir: Path | None = None,
    fetcher: SecretFetcher | None = None,
) -> Settings:
    """Settings from the environment, env files and Secret Manager, validated."""
    variables = merged_variables(os.environ if environ is None else environ, base_dir or Path.cwd(), fetcher)
    return Settings.from_variables(variables)
