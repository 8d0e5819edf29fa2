"""The Dockerfile, .dockerignore, the health check script and the GitHub workflows, read as data."""

from __future__ import annotations

import importlib.util
import shlex
from types import ModuleType

import pytest

from core.settings import known_variables
from tests.ops.deploy_files import ROOT, dockerfile_env, dockerfile_final_stage, load_yaml, secret_variables

# Variables the image sets for the Python runtime or a library, not for core/settings.py.
RUNTIME_VARIABLES = {"PATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "LITELLM_LOCAL_MODEL_COST_MAP", "HOME"}


def _dockerignore() -> set[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _instructions() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, arguments in dockerfile_final_stage():
        found.setdefault(name, []).append(arguments)
    return found


def test_image_runs_as_a_numeric_non_root_user() -> None:
    [user] = _instructions()["USER"]
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) != 0


def test_one_entrypoint_for_every_role_api_by_default() -> None:
    found = _instructions()
    assert found["ENTRYPOINT"] == ['["pr-agent"]'] and found["CMD"] == ['["api"]']


def test_healthcheck_runs_the_stdlib_script_shipped_in_the_image() -> None:
    [healthcheck] = _instructions()["HEALTHCHECK"]
    assert "/app/infra/healthcheck.py" in healthcheck
    assert (ROOT / "infra" / "healthcheck.py").is_file()
    ignored = _dockerignore()
    assert "infra" not in ignored and "infra/healthcheck.py" not in ignored


def test_image_environment_is_settings_or_runtime_and_holds_no_secret() -> None:
    env = dockerfile_env(dockerfile_final_stage())
    assert set(env) - known_variables() - RUNTIME_VARIABLES == set()
    assert set(env) & secret_variables() == set()
    assert env["API_HOST"] == "0.0.0.0" and env["NODE_ENV"] == "production"


def test_dockerignore_keeps_secrets_and_local_state_out_but_not_code_data() -> None:
    ignored = _dockerignore()
    assert {".env", ".env.*", ".venv", ".git", ".data"} <= ignored
    assert not ignored & {"migrations", "prompts", "pyproject.toml", "README.md"}


def _healthcheck() -> ModuleType:
    spec = importlib.util.spec_from_file_location("healthcheck", ROOT / "infra" / "healthcheck.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("environ", "url"),
    [
        ({}, "http://127.0.0.1:8000/healthz"),
        ({"API_PORT": "8080"}, "http://127.0.0.1:8080/healthz"),
        ({"METRICS_PORT": "9464", "API_PORT": "8080"}, "http://127.0.0.1:9464/metrics"),
        ({"PR_AGENT_HEALTH_URL": "http://127.0.0.1:1/x", "METRICS_PORT": "9464"}, "http://127.0.0.1:1/x"),
    ],
)
def test_healthcheck_probes_the_roles_endpoint(environ: dict[str, str], url: str) -> None:
    assert _healthcheck().health_url(environ) == url


def test_ci_runs_the_readme_test_command() -> None:
    ci = load_yaml(ROOT / ".github" / "workflows" / "ci.yml")
    steps = [step.get("run", "") for step in ci["jobs"]["test"]["steps"]]
    assert "scripts/test" in steps


def test_deploy_goes_to_staging_from_main_and_to_production_from_tags_with_approval() -> None:
    deploy = load_yaml(ROOT / ".github" / "workflows" / "deploy.yml")
    triggers = deploy[True]  # YAML 1.1 reads the key `on` as a boolean
    assert triggers["push"]["branches"] == ["main"] and triggers["push"]["tags"] == ["v*"]
    jobs = deploy["jobs"]
    build = [s for s in jobs["image"]["steps"] if "build-push-action" in s.get("uses", "")]
    assert build and build[0]["with"]["file"] == "infra/Dockerfile" and build[0]["with"]["push"] is True
    for job, values in (("staging", "values-staging.yaml"), ("production", "values-production.yaml")):
        assert jobs[job]["environment"] == job and jobs[job]["needs"] == "image"
        [upgrade] = [s["run"] for s in jobs[job]["steps"] if "helm upgrade" in s.get("run", "")]
        words = shlex.split(upgrade)
        assert f"$CHART/{values}" in words and "--atomic" in words
    assert "refs/heads/main" in jobs["staging"]["if"] and "refs/tags/v" in jobs["production"]["if"]
