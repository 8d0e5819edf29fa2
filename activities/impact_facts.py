"""IndexRepo's impact-facts step: what the repository's code uses of others, at the indexed commit.

Runs after a pass's last batch, on the clone the pass fetched, so the facts are as fresh as the
index and cost no fetch of their own. When no file the facts are read from changed since the
stored commit (a push of docs, tests, styles), the stored facts are recorded for the new commit
as they are; otherwise every such file at the commit is read in one `git cat-file --batch` and
the facts extracted anew (they are cross-file: a constant or HTTP client declared in one file is
used in another, so a changed file cannot be re-read alone).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
from temporalio import activity
from temporalio.exceptions import ApplicationError

from clients.git import GitError, changes_between
from clients.git_batch import CloneCache, has_commit, read_blobs, tree_entries
from contracts.indexing import ImpactFactsInput, ImpactFactsResult
from core.temporal.errors import GIT_ERROR
from core.temporal.heartbeat import heartbeating
from db.impact_facts import ImpactFactsStore, StoredFacts
from domain.impact import FACTS_SCHEMA_VERSION, RepositoryFacts, extract_facts, facts_input, facts_to_json


class ImpactFactsActivities:
    def __init__(self, pool: asyncpg.Pool, *, clones: CloneCache) -> None:
        """`clones` is the indexing activities' cache: the pass has just fetched the commit there."""
        self._store = ImpactFactsStore(pool)
        self._clones = clones

    @activity.defn(name="refresh_impact_facts")
    async def refresh_impact_facts(self, request: ImpactFactsInput) -> ImpactFactsResult:
        """Facts at `request.commit_sha`: already stored, carried from the stored commit, or read anew."""
        stored = await self._store.latest(request.repository_id, FACTS_SCHEMA_VERSION)
        if stored is not None and stored.commit_sha == request.commit_sha:
            return ImpactFactsResult(commit_sha=request.commit_sha, status="fresh", files_read=stored.files_read)
        try:
            repo_dir = await self._clones.with_commit(request.clone_url, request.repository, request.commit_sha)
        except GitError as error:
            raise ApplicationError(f"could not fetch {request.repository}: {error}", type=GIT_ERROR) from error
        if stored is not None and await asyncio.to_thread(_inputs_unchanged, repo_dir, stored, request.commit_sha):
            await self._carry(request, stored)
            return ImpactFactsResult(commit_sha=request.commit_sha, status="carried", files_read=stored.files_read)
        async with heartbeating({"step": "impact facts", "commit": request.commit_sha}):
            files = await asyncio.to_thread(read_inputs, repo_dir, request.commit_sha)
            facts = await asyncio.to_thread(extract_facts, request.repository, request.commit_sha, files)
        paths = sorted(files)
        await self._store.save(
            request.repository_id, request.commit_sha, FACTS_SCHEMA_VERSION, facts_to_json(facts), paths, len(paths)
        )
        return ImpactFactsResult(
            commit_sha=request.commit_sha, status="extracted", files_read=len(files), uses=uses_count(facts)
        )

    async def _carry(self, request: ImpactFactsInput, stored: StoredFacts) -> None:
        facts = {**stored.facts, "commit": request.commit_sha}
        await self._store.save(
            request.repository_id, request.commit_sha, FACTS_SCHEMA_VERSION, facts, stored.paths, stored.files_read
        )


def read_inputs(repo_dir: Path, commit: str) -> dict[str, str]:
    """Every file the facts are read from at `commit`, by path (one ls-tree, one cat-file)."""
    entries = [e for e in tree_entries(repo_dir, commit).values() if e.regular_file and facts_input(e.path, e.size)]
    blobs = read_blobs(repo_dir, [e.oid for e in entries])
    return {e.path: blobs[e.oid].decode("utf-8", "replace") for e in entries}


def uses_count(facts: RepositoryFacts) -> int:
    return len(facts.calls) + len(facts.topics) + len(facts.tables) + len(facts.imports) + len(facts.dependencies)


def _inputs_unchanged(repo_dir: Path, stored: StoredFacts, commit: str) -> bool:
    """Whether no file the facts read was added, changed, renamed or deleted since `stored`."""
    if not has_commit(repo_dir, stored.commit_sha):
        return False  # history was rewritten: read everything again
    for change in changes_between(repo_dir, stored.commit_sha, commit):
        if any(facts_input(p) for p in (change.path, change.old_path) if p):
            return False
    return True
