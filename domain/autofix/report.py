"""What one auto-fix request came to, and the words for it: the commit message (with its marker
trailer, so a retried push finds its own commit) and the reply on the pull request (with a hidden
marker, so a retried reply edits itself instead of posting twice).

These dataclasses travel in workflow histories: fields are only ever added, with defaults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from domain.review.report import one_line

Outcome = Literal["pushed", "pull_request", "patch", "failed", "refused", "nothing", "stale"]
TRAILER = "PR-Agent-Autofix"
MAX_PATCH_CHARS = 40_000  # the reply must stay well under GitHub's 65,536-character comment limit
_MARKER = re.compile(r"<!--\s*pr-agent:autofix=([\w.:-]+)\s*-->")


@dataclass(kw_only=True)
class FixedFinding:
    id: str
    path: str
    line: int
    rule_id: str
    how: str  # "exact replacement" or "model (<model>)"


@dataclass(kw_only=True)
class SkippedFinding:
    id: str
    reason: str
    path: str | None = None
    line: int | None = None


@dataclass(kw_only=True)
class CheckRun:
    """The repository's own check command, as run on the fixed tree."""

    command: str
    exit_code: int | None  # None: it did not finish (timed out, or could not start)
    seconds: float
    output_tail: str = ""
    isolation: str = ""  # how the network was cut off, or why it could not be
    timed_out: bool = False

    @property
    def passed(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


@dataclass(kw_only=True)
class AutofixOutcome:
    request_id: str
    status: Outcome
    requester: str | None = None
    fixed: list[FixedFinding] = field(default_factory=list)
    skipped: list[SkippedFinding] = field(default_factory=list)
    reason: str | None = None  # why nothing was changed (refused, nothing, stale, failed)
    commit_sha: str | None = None
    commit_url: str | None = None
    pull_request_url: str | None = None
    branch: str | None = None
    patch: str = ""
    checks: list[str] = field(default_factory=list)  # sentences on what was checked
    check_run: CheckRun | None = None
    notes: list[str] = field(default_factory=list)


def autofix_marker(request_id: str) -> str:
    return f"<!-- pr-agent:autofix={request_id} -->"


def marker_in(body: str) -> str | None:
    """The request id an auto-fix reply is for, or None."""
    match = _MARKER.search(body or "")
    return match.group(1) if match else None


def commit_message(fixed: list[FixedFinding], request_id: str, requester: str | None) -> str:
    """The fix commit's message: the findings fixed, who asked, and the marker trailer."""
    ids = ", ".join(f.id for f in fixed)
    lines = [f"PR Agent auto-fix: {ids}"[:72], ""]
    lines += [f"- {f.id} {f.path}:{f.line} {f.rule_id} ({f.how})" for f in fixed]
    lines.append("")
    if requester:
        lines.append(f"Requested-by: @{requester}")
    lines.append(f"{TRAILER}: {request_id}")
    return "\n".join(lines) + "\n"


def carries_marker(message: str, request_id: str) -> bool:
    """Whether a commit message is this request's fix (its trailer names the request)."""
    return any(line.strip() == f"{TRAILER}: {request_id}" for line in (message or "").splitlines())


_TITLES: dict[Outcome, str] = {
    "pushed": "pushed",
    "pull_request": "opened a pull request",
    "patch": "here is the patch",
    "failed": "nothing pushed",
    "refused": "not run",
    "nothing": "nothing to fix",
    "stale": "stopped: the branch moved",
}


def render_reply(outcome: AutofixOutcome) -> str:
    """Markdown of the reply on the pull request: what was fixed, what was not and why, what was checked."""
    parts = [f"{autofix_marker(outcome.request_id)}\n### PR Agent auto-fix · {_TITLES[outcome.status]}"]
    if outcome.requester:
        parts.append(f"Asked by @{outcome.requester}.")
    if outcome.reason:
        parts.append(outcome.reason)
    if outcome.fixed:
        parts.append(_fixed_section(outcome))
    if outcome.skipped:
        parts.append("**Not fixed**\n" + "\n".join(_skipped_line(s) for s in outcome.skipped))
    if outcome.checks or outcome.check_run:
        parts.append("**Checked**\n" + "\n".join(f"- {c}" for c in _check_lines(outcome)))
    if outcome.status == "patch" and outcome.patch:
        parts.append(_patch_section(outcome.patch))
    parts.extend(f"_{note}_" for note in outcome.notes)
    return "\n\n".join(parts) + "\n"


def _fixed_section(outcome: AutofixOutcome) -> str:
    where = {
        "pushed": f"in commit [`{(outcome.commit_sha or '')[:7]}`]({outcome.commit_url})" if outcome.commit_url else "",
        "pull_request": f"in {outcome.pull_request_url} (branch `{outcome.branch}`)",
        "patch": "in the patch below (the branch is in a fork this app may not push to)",
    }.get(outcome.status, "")
    title = f"**Fixed** {where}".rstrip() if outcome.status in ("pushed", "pull_request", "patch") else "**Would fix**"
    lines = [f"- {f.id} `{f.path}:{f.line}` `{f.rule_id}` — {f.how}" for f in outcome.fixed]
    return title + "\n" + "\n".join(lines)


def _skipped_line(skipped: SkippedFinding) -> str:
    where = f" `{skipped.path}:{skipped.line}`" if skipped.path and skipped.line else ""
    return f"- {skipped.id}{where}: {one_line(skipped.reason, 400)}"


def _check_lines(outcome: AutofixOutcome) -> list[str]:
    lines = list(outcome.checks)
    run = outcome.check_run
    if run is not None:
        if run.timed_out:
            verdict = f"did not finish within {run.seconds:.0f} s"
        elif run.exit_code is None:
            verdict = "could not be started"
        else:
            verdict = "passed" if run.passed else f"failed (exit {run.exit_code})"
        lines.append(f"`{run.command}` {verdict} ({run.isolation})")
        if not run.passed and run.output_tail.strip():
            lines.append("its output ended with:\n\n```\n" + run.output_tail.strip()[-3000:] + "\n```")
    return lines


def _patch_section(patch: str) -> str:
    body = patch if len(patch) <= MAX_PATCH_CHARS else patch[:MAX_PATCH_CHARS] + "\n… (patch cut to fit a comment)\n"
    fence = "````" if "```" in body else "```"
    return f"Apply it with `git apply`:\n\n{fence}diff\n{body.rstrip()}\n{fence}"
