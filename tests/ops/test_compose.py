"""docker-compose.temporal.yml, parsed: official Temporal images, one worker per queue, consistent settings."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from cli.main import build_parser
from contracts.common import QUEUE_KINDS, SEARCH_ATTRIBUTES
from core.settings import Settings, known_variables
from tests.ops.deploy_files import ROOT, app_services, compose_services, interpolated


def test_temporal_runs_from_official_images_with_postgresql() -> None:
    services = compose_services()
    assert services["temporal"]["image"].startswith(("temporalio/server:", "temporalio/auto-setup:"))
    assert services["temporal"]["environment"]["DB"] == "postgres12"
    assert services["temporal-ui"]["image"].startswith("temporalio/ui:")
    assert services["temporal-setup"]["image"].startswith("temporalio/admin-tools:")
    assert services["temporal-schema"]["image"].startswith("temporalio/admin-tools:")
    assert services["temporal-postgresql"]["image"].startswith("postgres:")
    assert services["postgres"]["image"].startswith("pgvector/pgvector:")


def test_every_task_queue_has_a_worker_service_with_metrics() -> None:
    workers = {tuple(s["command"]): s for s in app_services().values() if s["command"][0] == "worker"}
    assert set(workers) == {("worker", "--queue", kind) for kind in QUEUE_KINDS}
    for service in workers.values():
        assert service["environment"]["METRICS_PORT"] == "9464"


def test_every_app_service_builds_the_one_image_and_reads_only_known_settings() -> None:
    services = app_services()
    assert {"api", "migrate", "schedules"} <= set(services)
    for name, service in services.items():
        assert service["build"] == {"context": ".", "dockerfile": "infra/Dockerfile"}, name
        unknown = set(service["environment"]) - known_variables()
        assert unknown == set(), f"{name} sets variables no setting reads: {unknown}"
        Settings.from_variables({k: interpolated(v) for k, v in service["environment"].items()})  # valid values


def test_every_app_command_is_a_pr_agent_command() -> None:
    parser = build_parser()
    for name, service in app_services().items():
        try:
            parser.parse_args(service["command"])
        except SystemExit:
            pytest.fail(f"{name}: `pr-agent {' '.join(service['command'])}` is not a command")


def test_migrations_run_before_the_api_and_every_worker() -> None:
    services = app_services()
    assert services["migrate"]["command"] == ["migrate"] and services["migrate"]["restart"] == "no"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name, service in services.items():
        if name == "api" or service["command"][0] == "worker":
            assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
            assert service["depends_on"]["temporal-setup"]["condition"] == "service_completed_successfully", name


def test_the_schedule_is_applied_once_temporal_is_set_up() -> None:
    schedules = app_services()["schedules"]
    assert schedules["command"] == ["schedules", "apply"] and schedules["restart"] == "no"
    assert schedules["depends_on"]["temporal-setup"]["condition"] == "service_completed_successfully"


def test_app_points_at_the_compose_temporal_and_pgvector_database() -> None:
    services = compose_services()
    env = app_services()["api"]["environment"]
    host, port = env["TEMPORAL_ADDRESS"].split(":")
    assert host == "temporal" and f"{port}:{port}" in services["temporal"]["ports"]
    url = urlsplit(interpolated(env["DATABASE_URL"]))
    database = services["postgres"]["environment"]
    assert url.hostname == "postgres" and url.username == database["POSTGRES_USER"]
    assert url.path == "/" + database["POSTGRES_DB"]
    assert env["TEMPORAL_NAMESPACE"] == services["temporal-setup"]["environment"]["TEMPORAL_NAMESPACE"]


def test_setup_registers_exactly_the_search_attributes_the_code_uses() -> None:
    script = (ROOT / "infra" / "compose" / "temporal-setup.sh").read_text()
    registered = dict(re.findall(r"^register (\w+) (\w+)$", script, flags=re.MULTILINE))
    assert registered == SEARCH_ATTRIBUTES


def test_mounted_files_exist() -> None:
    for service in compose_services().values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), source
    assert "pr-agent.yaml" in compose_services()["temporal"]["environment"]["DYNAMIC_CONFIG_FILE_PATH"]
