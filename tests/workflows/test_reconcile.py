"""Reconcile end to end: real Temporal and database, GitHub and Jira as local fakes, stand-ins for
IndexRepo / InvestigateRepo / DiscoverRepos (tests/support/sync_stack.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.worker import Replayer

from contracts.common import INDEX_REPO, RECONCILE
from contracts.indexing import IndexRepoInput
from contracts.reconcile import ReconcileInput, ReconcileReport
from contracts.starts import WorkflowStart
from core.settings import Settings
from core.temporal.client import start_workflow
from db.deliveries import DeliveryRepository
from db.repositories import RepositoryFacts, RepositoryStore
from tests.fakes.github import FakeGitHub
from tests.fakes.jira import FakeJira
from tests.support.fixtures import fixture_json
from tests.support.sync_stack import GITHUB_TOKEN, JIRA_EMAIL, JIRA_TOKEN, sync_settings, sync_stack
from workers.base import SANDBOX
from workflows.reconcile import ReconcileWorkflow

OLD, NEW = "a" * 40, "b" * 40
JIRA_EVENT = "jira/zulip__issue_created_with_custom_fields.json"  # KAN-3


@dataclass
class World:
    client: Client
    settings: Settings
    pool: asyncpg.Pool
    github: FakeGitHub
    jira: FakeJira


async def _register(pool: asyncpg.Pool, full_name: str, archived: bool = False) -> None:
    facts = RepositoryFacts(full_name, "main", clone_url=f"https://example.test/{full_name}.git", archived=archived)
    await RepositoryStore(pool).upsert(facts)
    await pool.execute(
        "UPDATE repositories SET last_commit_sha = $2, last_investigated_sha = $2 WHERE full_name = $1", full_name, OLD
    )


@pytest.fixture
async def world(temporal_client: Client, db_dsn: str, pool: asyncpg.Pool) -> AsyncIterator[World]:
    with FakeGitHub(token=GITHUB_TOKEN) as github, FakeJira(email=JIRA_EMAIL, api_token=JIRA_TOKEN) as jira:
        github.add_repo("acme/moved", head_sha=NEW)
        github.add_repo("acme/still", head_sha=OLD)
        github.add_package("acme", "auth", versions=["1.0.0"])
        jira.add_issue_from_webhook(fixture_json(JIRA_EVENT))
        for name, archived in (("acme/moved", False), ("acme/still", False), ("acme/archived", True)):
            await _register(pool, name, archived)
        await pool.execute("INSERT INTO jira_sync_state VALUES ('KAN', now() - interval '1 day')")
        settings = sync_settings(db_dsn, github, jira, GITHUB_ORG="acme")
        async with sync_stack(temporal_client, settings, pool):
            yield World(temporal_client, settings, pool, github, jira)


async def _pending_delivery(pool: asyncpg.Pool) -> str:
    deliveries = DeliveryRepository(pool)
    delivery_id = f"jira-{uuid.uuid4().hex[:8]}"
    await deliveries.record(delivery_id, "jira", "jira:issue_created", None, None, fixture_json(JIRA_EVENT))
    await deliveries.mark(delivery_id, "pending", error="Temporal was down")
    return delivery_id


async def reconcile(world: World, request: ReconcileInput, *, replay: bool = False) -> ReconcileReport:
    plan = WorkflowStart(workflow=RECONCILE, workflow_id=f"reconcile:test-{uuid.uuid4().hex[:6]}", input=request)
    handle = await start_workflow(world.client, world.settings.temporal, plan)
    typed = world.client.get_workflow_handle(handle.id, run_id=handle.result_run_id, result_type=ReconcileReport)
    report = await typed.result()
    if replay:  # the recorded history replays on today's code: the fan-out is deterministic
        await Replayer(workflows=[ReconcileWorkflow], workflow_runner=SANDBOX).replay_workflow(
            await typed.fetch_history()
        )
    return report


async def _exists(client: Client, workflow_id: str) -> bool:
    try:
        await client.get_workflow_handle(workflow_id).describe()
    except RPCError:
        return False
    return True


async def test_only_the_moved_repository_is_redone_and_the_pending_delivery_starts_once(world: World) -> None:
    delivery_id = await _pending_delivery(world.pool)
    report = await reconcile(world, ReconcileInput(trigger="admin"), replay=True)
    assert report.failed == []
    assert report.checked == ["acme/moved@main", "acme/still@main"]
    assert sorted(report.started) == sorted(
        [
            "discover:acme",
            f"delivery:{delivery_id}",
            "index:acme/moved@main",
            "investigate:acme/moved@main",
            "sync-jira-project:KAN",
            "sync-npm:acme/*",
        ]
    )
    assert "acme/still@main: up to date" in report.skipped
    indexed = await world.client.get_workflow_handle("index:acme/moved@main").result()
    assert indexed["commit"] == NEW
    assert not await _exists(world.client, "index:acme/still@main")
    assert not await _exists(world.client, "investigate:acme/still@main")
    delivery = await DeliveryRepository(world.pool).get(delivery_id)
    # Two attempts: the intake's, which found Temporal down, and exactly one replay.
    assert delivery is not None and (delivery.status, delivery.attempts) == ("started", 2)
    assert delivery.workflow_ids == ["sync-jira:KAN-3"]
    assert await world.pool.fetchval("SELECT count(*) FROM internal_packages WHERE name = '@acme/auth'") == 1
    again = await reconcile(world, ReconcileInput(repositories=False, jira=False, packages=False, trigger="admin"))
    assert again.started == [] and again.failed == []


async def test_a_running_index_of_the_same_branch_is_signalled_not_duplicated(world: World) -> None:
    # A webhook's IndexRepo still running (parked on a queue no worker serves, so it stays open).
    parked = await world.client.start_workflow(
        INDEX_REPO,
        IndexRepoInput(repository="acme/moved", branch="main", commit_sha=OLD),
        id="index:acme/moved@main",
        task_queue=f"parked-{uuid.uuid4().hex[:6]}",
    )
    try:
        request = ReconcileInput(jira=False, packages=False, replay_deliveries=False, trigger="admin")
        report = await reconcile(world, request)
        assert "index:acme/moved@main (signalled)" in report.started
        assert "investigate:acme/moved@main" in report.started and report.failed == []
        signals = [
            event.workflow_execution_signaled_event_attributes.signal_name
            async for event in parked.fetch_history_events()
            if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
        ]
        assert signals == ["new_commit"]
    finally:
        await parked.terminate("test over")


async def test_a_failing_part_is_reported_while_the_rest_goes_on(world: World) -> None:
    world.jira.faults.push(status=401, path=r"/serverInfo")  # Jira refuses the project sync for good
    report = await reconcile(world, ReconcileInput(repositories=False, replay_deliveries=False, trigger="admin"))
    assert [f.split(":", 2)[:2] for f in report.failed] == [["sync-jira-project", "KAN"]]
    assert "Jira answered 401" in report.failed[0]
    assert sorted(report.started) == ["sync-jira-project:KAN", "sync-npm:acme/*"]


async def test_reconcile_reads_the_reactions_on_recent_inline_comments(world: World) -> None:
    from db.feedback import FeedbackRepository
    from db.reviews import ReviewRepository
    from domain.findings import Finding
    from domain.review.markers import finding_hash, finding_marker

    head = world.github.commit_changes("acme/moved", {"app.py": "x = eval(input())\n"}, branch="feature")
    number = world.github.open_pull("acme/moved", title="Read input", head_ref="feature")
    finding = Finding("app.py", 1, "high", "security.eval", "eval of input", source="analyzer:code_eval")
    body = f"**[high] security.eval**\n\neval of input\n{finding_marker(finding)}"
    comment = world.github.add_review_comment(
        "acme/moved", number, body, path="app.py", line=1, user_login="pr-agent[bot]"
    )
    await ReviewRepository(world.pool).store_posted_markers(
        "acme/moved", number, head, [finding], {finding_hash(finding): comment}
    )
    world.github.add_reaction("acme/moved", comment, "-1", user_login="alice")
    world.github.add_reaction("acme/moved", comment, "+1", user_login="pr-agent[bot]")

    request = ReconcileInput(repositories=False, jira=False, packages=False, replay_deliveries=False, trigger="admin")
    report = await reconcile(world, request, replay=True)

    assert report.failed == [] and report.feedback == ["reactions read on 1 comments of 1 pull requests"]
    [row] = await FeedbackRepository(world.pool).rule_report("acme/moved")
    assert (row["rule_id"], row["posted"], row["rejected"], row["accepted"]) == ("security.eval", 1, 1, 0)
