"""Whether the App works on a repository, on the real database: stopping keeps every row, and only
a registration that gives the repository back starts it again."""

from __future__ import annotations

import asyncpg

from contracts.lifecycle import RepoRef
from db.repositories import RepositoryFacts, RepositoryStore
from db.repository_access import RepositoryAccessStore

IID = 777


async def registered(pool: asyncpg.Pool, name: str, github_id: int | None, installation_id: int | None = IID) -> None:
    facts = RepositoryFacts(name, "main", head_sha="a" * 40, github_id=github_id)
    await RepositoryStore(pool).upsert(facts, installation_id=installation_id)


async def test_deactivating_by_id_or_by_name_keeps_the_row_and_its_index_state(pool: asyncpg.Pool) -> None:
    await registered(pool, "synthetic-org/api", 11)
    await registered(pool, "synthetic-org/legacy", None)  # registered before ids were stored
    await registered(pool, "synthetic-org/web", 13)
    await pool.execute("UPDATE repositories SET last_commit_sha = head_sha")
    access = RepositoryAccessStore(pool)
    refs = [
        RepoRef(full_name="renamed-since/api", github_id=11),
        RepoRef(full_name="synthetic-org/legacy", github_id=12),
    ]
    changed = await access.deactivate(refs, None, "removed from the GitHub App installation 777", detach=True)
    assert changed == ["synthetic-org/api", "synthetic-org/legacy"]
    store = RepositoryStore(pool)
    api = await store.get("synthetic-org/api")
    assert api is not None and api.inactive_reason == "removed from the GitHub App installation 777"
    assert api.installation_id is None and api.last_commit_sha == "a" * 40 and not api.indexable
    assert [r.full_name for r in await store.list(indexable_only=True)] == ["synthetic-org/web"]
    assert len(await store.list()) == 3


async def test_a_whole_installation_is_suspended_and_only_a_reactivating_registration_resumes(
    pool: asyncpg.Pool,
) -> None:
    await registered(pool, "synthetic-org/api", 11)
    await registered(pool, "synthetic-org/web", 13)
    await registered(pool, "other-org/tool", 21, installation_id=IID + 1)
    access = RepositoryAccessStore(pool)
    changed = await access.deactivate([], IID, "the GitHub App installation 777 is suspended", detach=False)
    assert changed == ["synthetic-org/api", "synthetic-org/web"]
    assert await access.of_installation(IID) == ["synthetic-org/api", "synthetic-org/web"]  # kept: unsuspend
    store = RepositoryStore(pool)
    refreshed, _ = await store.upsert(RepositoryFacts("synthetic-org/api", "main", github_id=11))
    assert refreshed.inactive_reason == "the GitHub App installation 777 is suspended"  # discovery does not resume
    given_back, _ = await store.upsert(RepositoryFacts("synthetic-org/api", "main", github_id=11), reactivate=True)
    assert given_back.inactive_reason is None and given_back.installation_id == IID
    tool = await store.get("other-org/tool")
    assert tool is not None and tool.inactive_reason is None


async def test_archiving_flags_the_repository_and_a_registration_reads_it_back(pool: asyncpg.Pool) -> None:
    await registered(pool, "synthetic-org/api", 11)
    assert await RepositoryAccessStore(pool).archive([RepoRef(full_name="synthetic-org/api", github_id=11)]) == [
        "synthetic-org/api"
    ]
    store = RepositoryStore(pool)
    status = await store.status(11, None)
    assert status is not None and status.archived
    unarchived, _ = await store.upsert(RepositoryFacts("synthetic-org/api", "main", github_id=11, archived=False))
    assert not unarchived.archived and unarchived.indexable


async def test_a_repository_created_again_under_a_deleted_ones_name_is_worked_on(pool: asyncpg.Pool) -> None:
    await registered(pool, "synthetic-org/api", 11)
    await RepositoryAccessStore(pool).deactivate(
        [RepoRef(full_name="synthetic-org/api", github_id=11)], None, "deleted on GitHub", detach=True
    )
    store = RepositoryStore(pool)
    same, _ = await store.upsert(RepositoryFacts("synthetic-org/api", "main", github_id=11))
    assert same.inactive_reason == "deleted on GitHub"
    recreated, _ = await store.upsert(RepositoryFacts("synthetic-org/api", "main", github_id=99))
    assert (recreated.github_id, recreated.inactive_reason) == (99, None)
