"""Reviewing a local branch through the real ReviewPR workflow (`pr-agent review`, the dev demo)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

from temporalio.client import Client

from contracts.common import REVIEW_PR
from contracts.review import PullRequestRef, ReviewPullRequestInput, ReviewResult, review_workflow_id
from core.settings import Settings
from core.temporal.client import task_queue


def local_ref(path: Path, base: str, head: str) -> PullRequestRef:
    """A stable pseudo pull request for a local branch: the same repo and refs map to the same id."""
    digest = int(hashlib.sha256(f"{path.resolve()}|{base}|{head}".encode()).hexdigest()[:6], 16)
    return PullRequestRef(
        repository=f"local/{path.resolve().name}",
        number=digest,
        provider="local",
        local_path=str(path.resolve()),
        base_ref=base,
        head_ref=head,
    )


async def review_local(client: Client, settings: Settings, path: Path, base: str, head: str) -> ReviewResult:
    """Run ReviewPR for `head` against `base` of the repository at `path`, forced, and wait for it."""
    ref = local_ref(path, base, head)
    return await client.execute_workflow(
        REVIEW_PR,
        ReviewPullRequestInput(pr=ref, head_sha=None, trigger="cli", force=True),
        id=review_workflow_id(ref.repository, ref.number),
        task_queue=task_queue(settings.temporal, "reviews"),
        result_type=ReviewResult,
        execution_timeout=timedelta(minutes=15),
    )
