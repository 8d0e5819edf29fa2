"""Workflows only the fan-out benchmark registers (a module of its own, so the sandbox can load it).

`StandInInvestigation` takes InvestigateRepo's name, input and result and just waits a known time
(a durable timer), so the benchmark measures how the parent schedules children, not the LLM.
`BatchedInvestigations` is the baseline the sliding window replaces: batches of N, each waiting
for its slowest member before the next batch starts.
"""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.investigation import InvestigationActivities
    from contracts.common import INVESTIGATE_REPO
    from contracts.investigation import (
        InvestigateRepoInput,
        InvestigateRepoResult,
        InvestigateReposInput,
        ListTargetsInput,
        investigate_workflow_id,
    )

BATCHED = "InvestigateReposBatched"
_SECONDS = re.compile(r"-(\d+(?:\.\d+)?)s$")


def seconds_of(repository: str) -> float:
    """The duration a benchmark repository's name carries, e.g. "bench/r03-4.5s" → 4.5."""
    found = _SECONDS.search(repository)
    return float(found.group(1)) if found else 1.0


@workflow.defn(name=INVESTIGATE_REPO)
class StandInInvestigation:
    @workflow.run
    async def run(self, request: InvestigateRepoInput) -> InvestigateRepoResult:
        await workflow.sleep(timedelta(seconds=seconds_of(request.repository)))
        return InvestigateRepoResult(
            repository=request.repository,
            commit_sha="0" * 40,
            status="investigated",
            prompt_set="bench",
            prompt_set_version="v",
            model="none",
            repo_type="backend",
            steps_total=0,
        )


@workflow.defn(name=BATCHED)
class BatchedInvestigations:
    @workflow.run
    async def run(self, request: InvestigateReposInput) -> float:
        began = workflow.now()
        targets = await workflow.execute_activity_method(
            InvestigationActivities.list_investigation_targets,
            ListTargetsInput(repositories=list(request.repositories)),
            start_to_close_timeout=timedelta(minutes=1),
        )
        size = max(1, request.concurrency)
        for first in range(0, len(targets), size):
            batch = targets[first : first + size]
            await asyncio.gather(
                *(
                    workflow.execute_child_workflow(
                        INVESTIGATE_REPO,
                        InvestigateRepoInput(
                            repository=t.repository,
                            branch=t.branch,
                            commit_sha=None,
                            force=False,
                            trigger="admin",
                            clone_url=t.clone_url,
                        ),
                        id=f"{investigate_workflow_id(t.repository, t.branch)}:batched",
                    )
                    for t in batch
                )
            )
        return (workflow.now() - began).total_seconds()
