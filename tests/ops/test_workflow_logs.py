"""workflow.logger and activity.logger lines, as JSON: workflow id, run id and repository as fields."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from temporalio.client import Client
from temporalio.worker import Worker

from core.logs import JsonFormatter
from tests.ops.log_probe import LogProbeWorkflow, log_probe_activity
from workers.base import SANDBOX


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[dict[str, Any]] = []
        self.setFormatter(JsonFormatter("pr-agent", "test"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def lines() -> Iterator[Lines]:
    handler, root = Lines(), logging.getLogger()
    saved = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield handler
    root.removeHandler(handler)
    root.setLevel(saved)


async def test_workflow_and_activity_lines_name_workflow_run_and_repository(
    temporal_client: Client, lines: Lines
) -> None:
    queue = f"log-probe-{uuid.uuid4().hex[:8]}"
    workflow_id = f"index:acme/probe-{uuid.uuid4().hex[:6]}@main"
    async with Worker(
        temporal_client,
        task_queue=queue,
        workflows=[LogProbeWorkflow],
        activities=[log_probe_activity],
        workflow_runner=SANDBOX,
    ):
        handle = await temporal_client.start_workflow(LogProbeWorkflow.run, id=workflow_id, task_queue=queue)
        await handle.result()
    by_message = {line["message"].split(" (")[0]: line for line in lines.lines}
    for message, step in (("workflow probe", "one"), ("activity probe", "two")):
        line = by_message[message]
        assert line["workflow_id"] == workflow_id and line["run_id"] == handle.result_run_id
        assert line["repository"] == workflow_id.split(":")[1].split("@")[0]
        assert line["workflow_type"] == "LogProbe" and line["task_queue"] == queue and line["step"] == step
        assert "temporal_workflow" not in line and "temporal_activity" not in line
