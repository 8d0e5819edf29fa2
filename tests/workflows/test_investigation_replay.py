"""Recorded InvestigateRepo / InvestigateRepos histories replay on the current workflow code, so a
change that breaks determinism for running investigations fails here. Re-record (adding, never
replacing, files after a versioned change) with PR_AGENT_RECORD_INVESTIGATION_HISTORIES=1 and the
tests in test_investigation.py and test_investigation_fanout.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from tests.workflows.investigation_support import HISTORIES
from workers.base import SANDBOX
from workflows.investigation import InvestigateReposWorkflow, InvestigateRepoWorkflow

RECORDED = sorted(HISTORIES.glob("*.json"))


@pytest.mark.parametrize("path", RECORDED, ids=[p.stem for p in RECORDED])
async def test_recorded_investigation_history_replays(path: Path) -> None:
    replayer = Replayer(workflows=[InvestigateRepoWorkflow, InvestigateReposWorkflow], workflow_runner=SANDBOX)
    await replayer.replay_workflow(WorkflowHistory.from_json(path.stem, path.read_text()))


def test_investigation_histories_are_recorded() -> None:
    assert {p.stem for p in RECORDED} >= {
        "investigate_repo_continued_v1",
        "investigate_repo_last_run_v1",
        "investigate_repos_v1",
    }
