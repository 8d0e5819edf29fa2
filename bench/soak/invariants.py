"""What must hold after the soak, each checked against the real stores and printed with counts."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

import asyncpg
from temporalio.client import Client

from bench.soak.faults import FaultLog
from bench.soak.world import SoakWorld
from domain.review.markers import extract_finding_markers, extract_head_marker

_STEP = re.compile(r"Repository: (\S+) at commit (\S+)\nStep: .*\((\S+)\)")


@dataclass
class Check:
    name: str
    checked: int
    violations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations


async def deliveries_not_lost(pool: asyncpg.Pool, world: SoakWorld) -> Check:
    rows = {
        r["delivery_id"]: r["status"] for r in await pool.fetch("SELECT delivery_id, status FROM webhook_deliveries")
    }
    check = Check("every authentic delivery started or ignored (zero lost)", len(world.sent))
    for delivery_id, sent in world.sent.items():
        status = rows.get(delivery_id)
        if status not in ("started", "ignored"):
            check.violations.append(f"{delivery_id}: {status or 'never recorded'} (answers {sent.statuses})")
    return check


async def duplicates_started_once(pool: asyncpg.Pool, world: SoakWorld) -> Check:
    repeated = [s for s in world.sent.values() if len([x for x in s.statuses if x in (200, 202)]) > 1]
    check = Check("a repeated delivery id started nothing new (answered 200 duplicate)", len(repeated))
    for sent in repeated:
        started = [x for x in sent.statuses if x == 202]
        if len(started) > 1:
            check.violations.append(f"{sent.delivery_id} was accepted as new {len(started)} times")
    return check


def one_summary_per_pr(world: SoakWorld) -> Check:
    check = Check("exactly one summary comment per PR, no duplicate inline comment", len(world.pulls))
    for (repo, number), _ in world.pulls.items():
        summaries = [c for c in world.github.issue_comments(repo, number) if "pr-agent:summary" in c["body"]]
        if len(summaries) != 1:
            check.violations.append(f"{repo}#{number}: {len(summaries)} summary comments")
        markers = Counter(
            m for c in world.github.review_comments(repo, number) for m in extract_finding_markers(c["body"])
        )
        twice = [m for m, n in markers.items() if n > 1]
        if twice:
            check.violations.append(f"{repo}#{number}: inline findings posted twice: {twice[:3]}")
    return check


async def reviews_for_final_heads(pool: asyncpg.Pool, world: SoakWorld) -> Check:
    check = Check("every PR's review is for its final head", len(world.pulls))
    posted = {
        (r["repository"], r["pr_number"], r["head_sha"])
        for r in await pool.fetch("SELECT repository, pr_number, head_sha FROM review_history WHERE status = 'posted'")
    }
    for (repo, number), state in world.pulls.items():
        final = state.heads[-1]
        summaries = [c for c in world.github.issue_comments(repo, number) if "pr-agent:summary" in c["body"]]
        shown = extract_head_marker(summaries[0]["body"]) if summaries else None
        if (repo, number, final) not in posted or shown != final:
            check.violations.append(f"{repo}#{number}: final head {final[:10]}, summary shows {str(shown)[:10]}")
    return check


async def indexes_equal_fresh(pool: asyncpg.Pool, world: SoakWorld, fresh_names: dict[str, str]) -> Check:
    check = Check("every repository's index equals a clean full index of its final commit", len(world.repos))
    for repo, fresh in fresh_names.items():
        indexed = await pool.fetchval("SELECT last_commit_sha FROM repositories WHERE full_name = $1", repo)
        if indexed != world.heads[repo]:
            check.violations.append(f"{repo}: indexed {str(indexed)[:10]}, final head {world.heads[repo][:10]}")
            continue
        mine, clean = await _chunks(pool, repo), await _chunks(pool, fresh)
        if mine != clean:
            check.violations.append(f"{repo}: {len(mine ^ clean)} chunk rows differ from a clean index")
    return check


async def _chunks(pool: asyncpg.Pool, repo: str) -> set[tuple[str, int, int, str]]:
    rows = await pool.fetch(
        """SELECT path, start_line, end_line, content_hash FROM code_chunks c
           JOIN repositories r ON r.id = c.repository_id WHERE r.full_name = $1""",
        repo,
    )
    return {(r["path"], r["start_line"], r["end_line"], r["content_hash"]) for r in rows}


def investigation_steps_asked_once(world: SoakWorld, faults: FaultLog) -> Check:
    """A step answered twice is allowed only when the step was in flight as something died: an
    investigations worker, the Temporal server (the completion may be lost) or PostgreSQL (the
    checkpoint may not be written)."""
    answered: dict[tuple[str, ...], list[float]] = {}
    for call in world.llm.chat_calls:
        user = next((m.get("content", "") for m in call.messages if m.get("role") == "user"), "")
        match = _STEP.search(str(user))
        if match:
            answered.setdefault(match.groups(), []).append(call.answered_at)
    kills = faults.kills_of("investigations") + faults.times_of("restart_temporal", "restart_postgres")
    check = Check(
        "no investigation step asked twice for one checkpoint key (beyond one in flight as a process died)",
        len(answered),
    )
    for key, times in answered.items():
        for first, second in itertools.pairwise(times):
            if not any(first <= kill <= second for kill in kills):
                faults_before = [f"{kind} {second - t:.1f}s before" for t, kind, _ in faults.events if t <= second][-2:]
                check.violations.append(
                    f"{key[0]}@{key[1][:10]} {key[2]} answered twice {second - first:.1f}s apart with no process "
                    f"death between (latest faults: {', '.join(faults_before) or 'none'})"
                )
    return check


async def failed_workflows(client: Client) -> Check:
    failed = [w async for w in client.list_workflows("ExecutionStatus = 'Failed'")]
    check = Check("workflows failed for good (each needs an actionable reason)", len(failed))
    for workflow in failed:
        handle = client.get_workflow_handle(workflow.id, run_id=workflow.run_id)
        history = await handle.fetch_history()
        reason = next(
            (
                e.workflow_execution_failed_event_attributes.failure.message
                for e in history.events
                if e.HasField("workflow_execution_failed_event_attributes")
            ),
            "",
        )
        if not reason.strip():
            check.violations.append(f"{workflow.id}: failed without a reason")
        else:
            check.notes.append(f"{workflow.id} ({workflow.workflow_type}): {reason[:160]}")
    return check
