"""IndexRepo keeps each repository's impact facts at its indexed commit, on a real git repository,
PostgreSQL and Temporal: read anew when a file they come from changed, carried over when none did."""

from __future__ import annotations

from pathlib import Path

import asyncpg
from temporalio.client import Client

from core.settings import Settings
from db.impact_facts import ImpactFactsStore, StoredFacts
from db.repositories import RepositoryRecord, RepositoryStore
from domain.impact import FACTS_SCHEMA_VERSION, RepositoryFacts, facts_from_json
from tests.workflows.impact_support import world_repo
from tests.workflows.index_support import run_index, settings_with_cache
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

NEW_CALL = """
export async function mute(slug: string): Promise<void> {
  await api.post(`/users/${slug}/mute`);
}
"""


async def _facts(pool: asyncpg.Pool, name: str) -> tuple[RepositoryRecord, StoredFacts, RepositoryFacts]:
    record = await RepositoryStore(pool).get(name)
    assert record is not None
    stored = await ImpactFactsStore(pool).latest(record.id, FACTS_SCHEMA_VERSION)
    assert stored is not None
    facts = facts_from_json(stored.facts)
    assert facts is not None
    return record, stored, facts


async def test_each_pass_brings_the_facts_to_the_indexed_commit_reading_files_only_when_needed(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    settings = settings_with_cache(settings, tmp_path / "cache")
    repo = world_repo(tmp_path, "acme/web")
    deps = WorkerDeps(settings, pool)
    async with build_worker(temporal_client, deps, "indexing", REGISTRATIONS["indexing"](deps)):
        first = await run_index(temporal_client, settings, "acme/web", repo.path)
        assert first.impact_facts is not None and first.impact_facts.startswith("extracted")
        record, stored, facts = await _facts(pool, "acme/web")
        assert record.head_sha == stored.commit_sha == facts.commit == first.commit_sha
        assert ("DELETE", "/api/users/:slug", "src/api/users.ts", 22) in {
            (c.method, c.route, c.file, c.line) for c in facts.calls
        }
        assert {"package.json", "src/api/users.ts", "src/api/client.ts"} <= set(stored.paths)

        repo.write("README.md", "# acme-web\n")
        docs = repo.commit("docs only")
        carried = await run_index(temporal_client, settings, "acme/web", repo.path)
        assert carried.impact_facts is not None and carried.impact_facts.startswith("carried")
        _, stored, again = await _facts(pool, "acme/web")
        assert (stored.commit_sha, again.commit) == (docs, docs)
        assert again.calls == facts.calls

        repo.write("src/api/users.ts", (repo.path / "src/api/users.ts").read_text() + NEW_CALL)
        code = repo.commit("mute a user")
        extracted = await run_index(temporal_client, settings, "acme/web", repo.path)
        assert extracted.impact_facts is not None and extracted.impact_facts.startswith("extracted")
        record, stored, fresh = await _facts(pool, "acme/web")
        assert record.head_sha == fresh.commit == code
        assert ("POST", "/api/users/:slug/mute") in {(c.method, c.route) for c in fresh.calls}
        rows = await pool.fetchval("SELECT count(*) FROM impact_facts WHERE repository_id = $1", record.id)
        assert rows == 1  # older commits' rows are dropped

        up_to_date = await run_index(temporal_client, settings, "acme/web", repo.path)
        assert up_to_date.skipped_reason == "up to date"
        assert up_to_date.impact_facts is not None and up_to_date.impact_facts.startswith("fresh")


async def test_facts_of_another_schema_version_are_read_anew_even_when_the_index_is_up_to_date(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    settings = settings_with_cache(settings, tmp_path / "cache")
    repo = world_repo(tmp_path, "acme/worker")
    deps = WorkerDeps(settings, pool)
    async with build_worker(temporal_client, deps, "indexing", REGISTRATIONS["indexing"](deps)):
        await run_index(temporal_client, settings, "acme/worker", repo.path)
        await pool.execute("UPDATE impact_facts SET schema_version = schema_version - 1")  # an older release wrote them
        result = await run_index(temporal_client, settings, "acme/worker", repo.path)
    assert result.skipped_reason == "up to date"
    assert result.impact_facts is not None and result.impact_facts.startswith("extracted")
    _, _, facts = await _facts(pool, "acme/worker")
    assert {t.name for t in facts.topics} == {"user-events"}
