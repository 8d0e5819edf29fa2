"""Recorded AutoFixPR histories replay on the current workflow code: a change that breaks
determinism (for fixes in flight when a worker is upgraded) fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from workers.base import SANDBOX
from workflows.autofix import AutoFixPRWorkflow

HISTORIES = sorted((Path(__file__).parent / "histories_autofix").glob("*.json"))


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_recorded_autofix_history_replays(path: Path) -> None:
    replayer = Replayer(workflows=[AutoFixPRWorkflow], workflow_runner=SANDBOX)
    await replayer.replay_workflow(WorkflowHistory.from_json("autofix:acme/orders#7", path.read_text()))


def test_autofix_histories_are_present() -> None:
    assert HISTORIES, "tests/workflows/histories_autofix/ must hold at least one recorded history"
