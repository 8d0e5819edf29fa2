"""One production-shaped run, observed: a signed webhook into the real app, ReviewPR on a reviews worker.

The Temporal client is built as production builds it (TracingInterceptor, a runtime exporting the
SDK's Prometheus metrics); every secret the service reads is set to a distinctive canary; logs are
captured both raw (records, unmasked) and as the JSON lines production prints; spans go to an
in-memory exporter. The tests in this folder assert on what the run left behind.
"""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio import activity, workflow
from temporalio.client import Client

from contracts.review import review_workflow_id
from contracts.sync import sync_jira_workflow_id
from core.logs import JsonFormatter, configure_logging
from core.settings import Settings
from core.telemetry import prometheus_runtime, tracing_interceptors
from core.temporal.client import TemporalGateway
from db.pool import create_pool
from tests.fakes.github import FakeGitHub
from tests.fakes.github_diff import files_from_unified_diff
from tests.fakes.llm import FakeLLM
from tests.support.api import app_client
from tests.support.fixtures import fixture_bytes, fixture_json, github_headers, jira_headers
from tests.support.review_harness import llm_answer
from tests.support.settings import make_settings
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

PHP = "php-sql__panique-mini__a386292_crud-update-song_PR125.diff"
OPENED = "github/octokit-webhooks__pull_request_opened.payload.json"
JIRA_ISSUE = "jira/zulip__issue_created_with_custom_fields.json"
# The octokit "opened" delivery, renumbered: a workflow id no other test uses (some count its runs).
PR_NUMBER = 8088
REVIEW_ID = review_workflow_id("Codertocat/Hello-World", PR_NUMBER)
JIRA_SYNC_ID = sync_jira_workflow_id("KAN-3")
DB_ROLE = "leak_canary"
# Every secret the service reads, set to a value that cannot appear by accident.
CANARIES = {
    "GITHUB_USER_TOKEN": "ghp_CANARYgithubToken7f3a9c1e",
    "LLM_API_KEY": "sk-CANARYllmKey5b2d8e4f6a",
    "GITHUB_WEBHOOK_SECRET": "whsec-CANARYgithub9d1c7b3e",
    "JIRA_WEBHOOK_SECRET": "jirasec-CANARY4e8a2f6c",
    "JIRA_API_TOKEN": "jiratok-CANARY1a3c5e7d",
    "ADMIN_API_TOKEN": "admin-CANARY8b6d4f2a",
    "GITHUB_APP_PRIVATE_KEY": "pem-CANARY2c4e6a8b",
    "OTEL_EXPORTER_OTLP_HEADERS": "x-api-key=otlp-CANARY3d5f7b9a",
}
DB_PASSWORD = "dbpw-CANARY6e8a1c3d"


@dataclass
class Observed:
    """What the run left behind."""

    settings: Settings
    review_result: dict[str, Any]
    webhook_response: dict[str, Any]
    jira_status: int
    admin_status: int
    metrics_text: str
    spans: list[ReadableSpan]
    log_records: list[str] = field(default_factory=list)  # raw: message, args, extras, unmasked JSON
    stdout_lines: list[str] = field(default_factory=list)  # as production prints them
    histories: dict[str, str] = field(default_factory=dict)  # workflow id -> history JSON


def secrets() -> list[str]:
    """The canary values as they could leak (the OTLP header's value on its own too)."""
    values = [*CANARIES.values(), DB_PASSWORD]
    return values + [value.split("=", 1)[1] for value in values if "=" in value]


async def password_dsn(admin_dsn: str, database: str) -> str:
    """A DSN for `database` with a password in it, as a production DATABASE_URL has."""
    conn = await asyncpg.connect(admin_dsn)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", DB_ROLE)
        verb = "ALTER" if exists else "CREATE"
        await conn.execute(f"{verb} ROLE {DB_ROLE} LOGIN SUPERUSER PASSWORD '{DB_PASSWORD}'")
    finally:
        await conn.close()
    socket_query = admin_dsn.split("?", 1)[1]
    return f"postgresql://{DB_ROLE}:{DB_PASSWORD}@/{database}?{socket_query}"


@contextmanager
def captured_logs(settings: Settings, raw: list[str], stdout: io.StringIO) -> Any:
    """Production's logging set-up (JSON, masking) printing into `stdout`, plus an unmasked raw copy."""
    root = logging.getLogger()
    saved_handlers, saved_level, saved_levels = root.handlers[:], root.level, _logger_levels()
    saved_suffixes = activity.logger.activity_info_on_message, workflow.logger.workflow_info_on_message
    configure_logging(settings)
    printed = root.handlers[0]
    assert isinstance(printed, logging.StreamHandler)
    printed.setStream(stdout)
    root.handlers = [*saved_handlers, printed, _RawCapture(raw, settings)]
    try:
        yield
    finally:  # leave logging as the rest of the session had it
        root.handlers = saved_handlers
        root.setLevel(saved_level)  # setLevel, not assignment: it also clears every logger's level cache
        for name, level in saved_levels.items():
            logging.getLogger(name).setLevel(level)
        activity.logger.activity_info_on_message, workflow.logger.workflow_info_on_message = saved_suffixes


def _logger_levels() -> dict[str, int]:
    loggers = logging.Logger.manager.loggerDict.items()
    return {name: logger.level for name, logger in loggers if isinstance(logger, logging.Logger)}


class _RawCapture(logging.Handler):
    def __init__(self, sink: list[str], settings: Settings) -> None:
        super().__init__(logging.DEBUG)
        self._sink = sink
        self._json = JsonFormatter(settings.telemetry.service, settings.telemetry.env)  # no masking

    def emit(self, record: logging.LogRecord) -> None:
        self._sink.append(f"{record.getMessage()} | {record.args!r} | {vars(record)!r} | {self._json.format(record)}")


@asynccontextmanager
async def observed_run(
    client_target: str, admin_dsn: str, database: str, exporter: InMemorySpanExporter
) -> AsyncIterator[Observed]:
    dsn = await password_dsn(admin_dsn, database)
    runtime, _ = prometheus_runtime()
    client = await Client.connect(client_target, interceptors=tracing_interceptors(), runtime=runtime)
    with (
        FakeGitHub(token=CANARIES["GITHUB_USER_TOKEN"]) as github,
        FakeLLM(api_key=CANARIES["LLM_API_KEY"]) as llm,
    ):
        settings = _settings(dsn, github, llm)
        pool = await create_pool(dsn, settings.database)
        raw: list[str] = []
        stdout = io.StringIO()
        try:
            with captured_logs(settings, raw, stdout):
                observed = await _run(client, settings, pool, github, llm, exporter)
            observed.log_records, observed.stdout_lines = raw, stdout.getvalue().splitlines()
            observed.histories = {wid: await _history_json(client, wid) for wid in (REVIEW_ID, JIRA_SYNC_ID)}
            yield observed
        finally:
            await _terminate(client, JIRA_SYNC_ID)
            await pool.close()


def _settings(dsn: str, github: FakeGitHub, llm: FakeLLM) -> Settings:
    return make_settings(
        dsn,
        GITHUB_API_URL=github.url,
        LLM_MODEL="openai/reviewer",
        LLM_API_BASE=llm.url + "/v1",
        LLM_TIMEOUT_SECONDS="5",
        JIRA_BASE_URL="http://127.0.0.1:9",
        JIRA_EMAIL="bot@example.com",
        LOG_FORMAT="json",
        LOG_LEVEL="DEBUG",
        **CANARIES,
    )


async def _run(
    client: Client,
    settings: Settings,
    pool: asyncpg.Pool,
    github: FakeGitHub,
    llm: FakeLLM,
    exporter: InMemorySpanExporter,
) -> Observed:
    deps = WorkerDeps(settings, pool)
    event = _opened_event()
    github.add_pull_from_event(event, files=files_from_unified_diff(fixture_bytes(f"diffs/{PHP}").decode()))
    llm.enqueue(llm_answer("Adds editing of songs; the views echo values unescaped."))
    await _terminate(client, REVIEW_ID)  # a run another test left would take the signal instead
    exporter.clear()
    async with (
        build_worker(client, deps, "reviews", REGISTRATIONS["reviews"](deps)),
        app_client(settings, pool, TemporalGateway(settings, client)) as http,
    ):
        response = await _post_github(http, json.dumps(event).encode())
        result = await client.get_workflow_handle(REVIEW_ID).result()
        jira = await _post_jira(http)
        admin = await http.get(
            "/api/v1/admin/status", headers={"Authorization": f"Bearer {CANARIES['ADMIN_API_TOKEN']}"}
        )
        metrics = await http.get("/metrics")
    return Observed(
        settings,
        review_result=result if isinstance(result, dict) else vars(result),
        webhook_response=response,
        jira_status=jira,
        admin_status=admin.status_code,
        metrics_text=metrics.text,
        spans=list(exporter.get_finished_spans()),
    )


def _opened_event() -> dict[str, Any]:
    event = fixture_json(OPENED)
    event["number"] = event["pull_request"]["number"] = PR_NUMBER
    return dict(event)


async def _post_github(http: httpx.AsyncClient, body: bytes) -> dict[str, Any]:
    headers = github_headers(CANARIES["GITHUB_WEBHOOK_SECRET"], body, "pull_request", str(uuid.uuid4()))
    response = await http.post("/api/v1/github_webhooks", content=body, headers=headers)
    assert response.status_code == 202, response.text
    return dict(response.json())


async def _post_jira(http: httpx.AsyncClient) -> int:
    # The ?token= form of Jira webhook authentication: the secret is in the URL.
    body = fixture_bytes(JIRA_ISSUE)
    headers = jira_headers("not-the-secret", body, str(uuid.uuid4()))
    response = await http.post(
        "/api/v1/webhooks/jira", params={"token": CANARIES["JIRA_WEBHOOK_SECRET"]}, content=body, headers=headers
    )
    return response.status_code


async def _history_json(client: Client, workflow_id: str) -> str:
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    return json.dumps(history.to_json_dict())


async def _terminate(client: Client, workflow_id: str) -> None:
    try:
        await client.get_workflow_handle(workflow_id).terminate("test finished")
    except Exception:  # already closed
        return
