"""The Helm chart, parsed (values merged per environment; templates read as text, nothing rendered)."""

from __future__ import annotations

import re

import pytest

from contracts.common import QUEUE_KINDS
from core.settings import Settings, known_variables
from tests.ops.deploy_files import (
    CHART,
    env_names_in_templates,
    helm_values,
    load_yaml,
    secret_variables,
    template_texts,
)

ENVIRONMENTS = [None, "staging", "production"]


def test_chart_metadata() -> None:
    chart = load_yaml(CHART / "Chart.yaml")
    assert chart["apiVersion"] == "v2" and chart["name"] == "pr-agent" and chart["appVersion"]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_task_queue_has_its_own_sized_deployment(environment: str | None) -> None:
    values = helm_values(environment)
    assert set(values["workers"]) == set(QUEUE_KINDS)
    assert set(values["temporal"]["taskQueues"]) == set(QUEUE_KINDS)
    for kind, worker in values["workers"].items():
        assert isinstance(worker["replicas"], int) and worker["replicas"] >= 1, kind
        assert worker["resources"]["requests"]["memory"] and worker["resources"]["limits"]["memory"], kind


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_config_is_known_valid_settings_and_never_a_secret(environment: str | None) -> None:
    values = helm_values(environment)
    config = {name: str(value) for name, value in values["config"].items()}
    assert set(config) - known_variables() == set()
    assert set(config) & secret_variables() == set()
    temporal = values["temporal"]
    variables = {
        **config,
        "TEMPORAL_ADDRESS": temporal["address"],
        "TEMPORAL_NAMESPACE": temporal["namespace"],
        "METRICS_PORT": str(values["metrics"]["port"]),
        **{f"TASK_QUEUE_{kind.upper()}": name for kind, name in temporal["taskQueues"].items()},
    }
    if values["secrets"]["gcpProjectId"]:
        variables["GCP_PROJECT_ID"] = values["secrets"]["gcpProjectId"]
    settings = Settings.from_variables(variables)
    assert settings.telemetry.effective_log_format == "json"


def test_environments_name_their_secret_manager_secret_and_temporal() -> None:
    staging, production = helm_values("staging"), helm_values("production")
    assert staging["config"]["NODE_ENV"] == "staging" and production["config"]["NODE_ENV"] == "production"
    assert staging["secrets"]["gcpProjectId"] and production["secrets"]["gcpProjectId"]
    cloud = production["temporal"]
    assert cloud["apiKey"]["secretName"] or cloud["mtls"]["secretName"]  # Temporal Cloud credentials
    assert production["workers"]["reviews"]["replicas"] > staging["workers"]["reviews"]["replicas"]


def test_templates_set_only_variables_the_code_reads() -> None:
    names = env_names_in_templates()
    assert names - known_variables() == set()
    expected = {f"TASK_QUEUE_{kind.upper()}" for kind in QUEUE_KINDS} | {
        "TEMPORAL_ADDRESS",
        "TEMPORAL_NAMESPACE",
        "TEMPORAL_API_KEY",
        "TEMPORAL_TLS_CERT",
        "TEMPORAL_TLS_KEY",
        "TEMPORAL_TLS_CA",
        "GCP_PROJECT_ID",
        "METRICS_PORT",
        "API_HOST",
        "API_PORT",
    }
    assert expected <= names


def test_temporal_credentials_come_from_secrets() -> None:
    helpers = template_texts()["_helpers.tpl"]
    api_key = helpers[helpers.index("- name: TEMPORAL_API_KEY") :][:200]
    assert "secretKeyRef" in api_key and ".Values.temporal.apiKey.secretName" in api_key
    assert "secretName: {{ .root.Values.temporal.mtls.secretName }}" in helpers


def test_one_worker_deployment_per_queue_runs_that_queue() -> None:
    text = template_texts()["worker-deployments.yaml"]
    assert "{{- range $kind, $worker := .Values.workers }}" in text
    assert 'args: ["worker", "--queue", {{ $kind | quote }}]' in text
    assert "replicas: {{ $worker.replicas }}" in text and "toYaml $worker.resources" in text


def test_api_has_deployment_service_and_ingress() -> None:
    texts = template_texts()
    assert 'args: ["api"]' in texts["api-deployment.yaml"] and "kind: Deployment" in texts["api-deployment.yaml"]
    assert "kind: Service" in texts["api-service.yaml"]
    assert "kind: Ingress" in texts["api-ingress.yaml"]
    assert helm_values(None)["api"]["ingress"]["paths"] == ["/api/v1"]  # /metrics stays in the cluster


def test_migrations_are_a_pre_install_and_pre_upgrade_hook() -> None:
    job = template_texts()["migrations-job.yaml"]
    assert "kind: Job" in job and "helm.sh/hook: pre-install,pre-upgrade" in job
    assert 'args: ["migrate"]' in job and 'args: ["schedules", "apply"]' in job
    # The job's service account must exist before it: a hook with a lower weight.
    account = template_texts()["serviceaccount.yaml"]
    weights = [int(w) for w in re.findall(r'helm.sh/hook-weight: "(-?\d+)"', account + job)]
    assert weights == sorted(weights) and weights[0] < weights[-1]


def test_no_cronjob_the_schedule_lives_in_temporal() -> None:
    assert all("CronJob" not in text for text in template_texts().values())


def test_pods_run_as_the_images_non_root_user() -> None:
    security = helm_values(None)["podSecurityContext"]
    assert security["runAsNonRoot"] and security["runAsUser"] == 10001
    assert helm_values(None)["securityContext"]["readOnlyRootFilesystem"]
