"""What must hold after the soak, each checked against the real stores and printed with counts."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import asyncpg
from temporalio.client import Client

from bench.soak.faults import FaultLog
from bench.soak.impact import expected_evidence
from bench.soak.world import ORG, CommandSent, SoakWorld
from domain.autofix.report import carries_marker, marker_in
from domain.commands.replies import reply_marker
from domain.describe.body import START
from domain.improve.render import IMPROVE_MARKER
from domain.review.markers import extract_finding_markers, extract_head_marker
from tests.support.impact_world import load_change

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


def one_answer_per_command(world: SoakWorld) -> Check:
    """/ask and /help: exactly one reply per command comment; /improve and /describe: every comment of
    a burst acknowledged once (👀), and the pull request holds exactly one result (one summary, one
    description section)."""
    check = Check("every command delivery answered exactly once (none lost)", len(world.commands))
    for sent in world.commands:
        problem = command_answer_problem(world, sent)
        if problem:
            check.violations.append(f"{sent.repo}#{sent.number} /{sent.kind} (comment {sent.comment_id}): {problem}")
    return check


def command_answer_problem(world: SoakWorld, sent: CommandSent) -> str | None:
    """What is wrong with the answer to one command comment, or None when it is answered exactly once."""
    github, bot = world.github, world.github.bot_login
    conversation = [c["body"] for c in github.issue_comments(sent.repo, sent.number)]
    if sent.kind in ("ask", "help"):
        marker = reply_marker(f"{sent.kind}:{sent.repo}#{sent.number}:{sent.comment_id}")
        replies = sum(marker in body for body in conversation)
        return None if replies == 1 else f"{replies} replies"
    seen = [r["content"] for r in github.reactions(sent.repo, sent.comment_id) if r["user"]["login"] == bot]
    if seen != ["eyes"]:
        return f"acknowledged with {seen}"
    if sent.kind == "improve":
        summaries = sum(IMPROVE_MARKER in body for body in conversation)
        return None if summaries == 1 else f"{summaries} /improve summaries"
    sections = (github.pull_record(sent.repo, sent.number).body or "").count(START)
    return None if sections == 1 else f"{sections} description sections"


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


async def investigation_steps_never_asked_after_checkpoint(pool: asyncpg.Pool, world: SoakWorld) -> Check:
    """A finished step (its checkpoint stored) is never asked again. A step may be asked twice while it
    is still in flight — its worker died, Temporal or PostgreSQL restarted, or its attempt timed out —
    because activities run at least once; those repeats are counted in the notes."""
    answers: dict[tuple[str, ...], list[float]] = {}
    for call in world.llm.chat_calls:
        user = next((m.get("content", "") for m in call.messages if m.get("role") == "user"), "")
        match = _STEP.search(str(user))
        if match:
            repo, commit, step_key = match.groups()
            answers.setdefault((repo, commit, step_key.split("@", 1)[0]), []).append(call.answered_wall)
    stored: dict[tuple[str, ...], float] = {
        (r["repository"], r["commit_sha"], r["step_id"]): r["stored"].timestamp()
        for r in await pool.fetch(
            """SELECT repository, commit_sha, step_id, min(created_at) AS stored
               FROM investigation_checkpoints GROUP BY repository, commit_sha, step_id"""
        )
    }
    check = Check("no investigation step asked again after its checkpoint was stored", len(answers))
    for key, times in answers.items():
        done = stored.get(key)
        late = [t for t in times if done is not None and t > done + 0.5]
        if late:
            check.violations.append(f"{key[0]}@{key[1][:10]} {key[2]} asked {t_late(late, done)} after its checkpoint")
    repeats = sum(1 for times in answers.values() if len(times) > 1)
    check.notes.append(f"{repeats} of {len(answers)} steps asked twice while in flight (at-least-once activities)")
    return check


async def autofix_requests_answered_once(pool: asyncpg.Pool, world: SoakWorld) -> Check:
    """Every `/auto-fix` asked is answered (its row, one reply) and pushed at most one commit."""
    rows = {
        r["request_id"]: r["status"]
        for r in await pool.fetch("SELECT request_id, status FROM review_history WHERE review_type = 'autofix'")
    }
    asked = world.autofix.request_ids
    check = Check("every /auto-fix answered once (one row, one reply), at most one commit each", len(asked))
    for pull in world.autofix.pulls.values():
        for request_id in pull.request_ids:
            label = f"{pull.repo}#{pull.number} {request_id}"
            if request_id not in rows:
                check.violations.append(f"{label}: never answered")
            replies = [
                c for c in world.github.issue_comments(pull.repo, pull.number) if marker_in(c["body"]) == request_id
            ]
            if len(replies) != 1:
                check.violations.append(f"{label}: {len(replies)} replies")
            pushed = _branch_commits_with(world, pull.repo, pull.branch, request_id)
            if pushed > 1:
                check.violations.append(f"{label}: {pushed} commits on {pull.branch}")
    check.notes.append("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(rows.values()).items())))
    return check


def _branch_commits_with(world: SoakWorld, repo: str, branch: str, request_id: str) -> int:
    record = world.github.repo_record(repo)
    if record is None:
        return 0
    found, sha = 0, record.branches.get(branch, "")
    while sha in record.commits:
        found += carries_marker(record.commits[sha].message, request_id)
        parents = record.commits[sha].parents
        sha = parents[0] if parents else ""
    return found


def t_late(late: list[float], done: float | None) -> str:
    return f"{min(late) - (done or 0):.1f}s"


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


async def refused_comments_recorded(pool: asyncpg.Pool, faults: FaultLog) -> Check:
    """GitHub refusing inline comments never fails a review: refused comments end up listed with the run."""
    refusals = len(faults.times_of("github_refuses_review"))
    check = Check("inline comments GitHub refused are recorded, and no review failed for them", refusals)
    recorded = await pool.fetchval(
        "SELECT count(*) FROM review_history WHERE details ? 'inline_rejected' AND status = 'posted'"
    )
    # A refusal queued for a PR that got no further review is never used, so the counts may differ;
    # a review that failed because of one shows up in `failed_workflows`, and a duplicate in one_summary_per_pr.
    check.notes.append(f"{refusals} refusals injected, {recorded} posted reviews list refused comments")
    return check


IMPACT_SECTION = "### Impact on other repositories"


def impact_reported(world: SoakWorld) -> Check:
    """A pull request that breaks another repository says so with that repository's line, or says why
    it cannot (the consumer or the producer not indexed yet, a consumer read before its head)."""
    final = {key: name for key, name in world.impact_pulls.items() if len(world.pulls[key].heads) == 1}
    check = Check("impact world PRs name every consumer line, or why they cannot", len(final))
    outcomes: Counter[str] = Counter()
    for (repo, number), name in sorted(final.items()):
        summaries = [c["body"] for c in world.github.issue_comments(repo, number) if "pr-agent:summary" in c["body"]]
        if not summaries:
            continue  # one_summary_per_pr reports it
        summary = summaries[0]
        section = summary.split(IMPACT_SECTION, 1)[1].split("\n### ", 1)[0] if IMPACT_SECTION in summary else ""
        unindexed_producer = f"{repo} has no impact facts yet" in summary
        for consumer, cited in expected_evidence(load_change(name), ORG):
            explained = f"{consumer} is not indexed" in section or f"{consumer} was read at" in section
            outcomes["cited" if cited in section else "explained" if explained or unindexed_producer else "lost"] += 1
            if cited not in section and not explained and not unindexed_producer:
                check.violations.append(f"{repo}#{number} ({name}): neither `{cited}` nor why it is missing")
        if name == "internal-only" and "**" in section:
            check.violations.append(f"{repo}#{number} (internal-only): impact findings on a change nobody uses")
    check.notes.append(
        f"consumer lines expected {sum(outcomes.values())}: cited {outcomes['cited']}, "
        f"missing data said instead {outcomes['explained']}, lost {outcomes['lost']}"
    )
    return check
