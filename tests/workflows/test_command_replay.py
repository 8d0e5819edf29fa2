"""Recorded histories of the command workflows replay on the current code: a change that breaks their
determinism fails here (record new ones with tests/workflows/record_command_histories.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from workers.base import SANDBOX
from workflows.ask import AskPullRequestWorkflow
from workflows.describe import DescribePullRequestWorkflow
from workflows.help import HelpWorkflow
from workflows.improve import ImprovePullRequestWorkflow

HISTORIES = sorted((Path(__file__).parent / "histories_commands").glob("*.json"))
WORKFLOWS = [ImprovePullRequestWorkflow, DescribePullRequestWorkflow, AskPullRequestWorkflow, HelpWorkflow]


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_recorded_command_history_replays(path: Path) -> None:
    replayer = Replayer(workflows=WORKFLOWS, workflow_runner=SANDBOX)
    await replayer.replay_workflow(WorkflowHistory.from_json(f"recorded:{path.stem}", path.read_text()))


def test_every_command_has_a_recorded_history() -> None:
    assert {p.stem.rsplit("_", 1)[0] for p in HISTORIES} == {"improve_burst", "describe", "ask", "help_refused"}
