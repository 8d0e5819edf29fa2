"""Recorded histories replay on the current workflow code: a change that breaks determinism fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from workers.base import SANDBOX
from workflows.review import ReviewPullRequestWorkflow

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_recorded_history_replays(path: Path) -> None:
    replayer = Replayer(workflows=[ReviewPullRequestWorkflow], workflow_runner=SANDBOX)
    history = WorkflowHistory.from_json("review:Codertocat/Hello-World#2", path.read_text())
    await replayer.replay_workflow(history)


def test_histories_are_present() -> None:
    assert HISTORIES, "tests/workflows/histories/ must hold at least one recorded history"
