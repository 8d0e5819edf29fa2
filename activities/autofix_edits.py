"""AutoFixPR's edits: one proposal per finding (the analyzer's exact replacement, or the model's
minimal diff of the finding's own file), then all of them applied and checked together.

A proposal is a unified diff of one file (it goes into the workflow's history). The check step
applies the proposals in order to the files at the head and keeps one only when it touches its
finding's file alone, still applies, leaves the file parsing, adds no credential and keeps the whole
change within the limits; then the repository's own check command runs on the result, sandboxed.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

import asyncpg
from temporalio import activity

from activities.autofix_clone import Clones, text_at
from clients.llm import ask
from clients.sandbox import export_tree, run_isolated
from contracts.autofix import CheckedFixes, CheckFixesInput, FixProposal, ProduceFixInput
from core.settings import Settings
from core.temporal.heartbeat import heartbeating
from db.reviews import UsageRepository
from domain.autofix.checks import can_parse, limit_problem, parse_problem, secret_problem
from domain.autofix.patch import PatchError, apply_hunks, changed_lines, parse_diff, replace_line, unified_diff
from domain.autofix.prompt import FixContext, build_fix_messages, current_prompt_dir, prompt_version, read_fix_answer
from domain.autofix.report import CheckRun, SkippedFinding
from domain.review.finding_ids import NumberedFinding
from domain.review.render import literal_replacement

FIX_MAX_TOKENS = 2_000
EXACT = "exact replacement from the analyzer"
NO_LLM = "no LLM is configured; without one only findings with an exact replacement are fixed"


def is_deterministic(numbered: NumberedFinding) -> bool:
    """Analyzer and house-rule findings whose suggestion is literal code replace their line as is."""
    finding = numbered.finding
    by_rule = finding.source.startswith("analyzer") or finding.source == "rule"
    return by_rule and finding.suggestion is not None and literal_replacement(finding.suggestion) is not None


class AutofixEditActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool) -> None:
        self._settings = settings
        self._usage = UsageRepository(pool)
        self._clones = Clones(settings)

    @activity.defn(name="produce_autofix_edit")
    async def produce_autofix_edit(self, request: ProduceFixInput) -> FixProposal:
        numbered, finding = request.finding, request.finding.finding
        clone = await self._clones.holding(request.clone_url, request.repository, request.head_sha)
        text = await asyncio.to_thread(text_at, clone, request.head_sha, finding.path)
        proposal = FixProposal(finding_id=numbered.id, path=finding.path)
        if text is None:
            proposal.skipped_reason = f"`{finding.path}` is missing at the head, or not a UTF-8 text file"
        elif is_deterministic(numbered):
            self._exact(proposal, numbered, text)
        elif not self._settings.llm.configured:
            proposal.skipped_reason = NO_LLM
        elif await self._over_budget():
            proposal.skipped_reason = "the monthly LLM budget is spent (budget_settings)"
        else:
            await self._from_model(proposal, request, text)
        return proposal

    async def _over_budget(self) -> bool:
        spent, limit = await self._usage.month_spend_and_limit()
        return limit is not None and spent >= limit

    @staticmethod
    def _exact(proposal: FixProposal, numbered: NumberedFinding, text: str) -> None:
        finding = numbered.finding
        lines = text.replace("\r\n", "\n").split("\n")
        if not 1 <= finding.line <= len(lines):
            proposal.skipped_reason = f"line {finding.line} is past the end of `{finding.path}`"
            return
        replacement = (literal_replacement(finding.suggestion or "") or "").split("\n")
        after = apply_hunks(text, [replace_line(finding.line, replacement, lines[finding.line - 1])])
        _finish(proposal, text, after, EXACT, "the line already reads as the suggestion")

    async def _from_model(self, proposal: FixProposal, request: ProduceFixInput, text: str) -> None:
        finding, prompt_dir = request.finding.finding, current_prompt_dir()
        context = FixContext(
            repository=request.repository,
            head_sha=request.head_sha,
            finding_id=request.finding.id,
            finding=finding,
            file_text=text,
            conventions=request.conventions,
            context_lines=self._settings.autofix.context_lines,
        )
        async with heartbeating({"step": "model", "finding": request.finding.id}, every=5.0):
            answer = await ask(build_fix_messages(context, prompt_dir), self._settings.llm, max_tokens=FIX_MAX_TOKENS)
        await self._record_usage(request, answer.model, answer.tokens_in, answer.tokens_out, answer.cost_usd)
        proposal.model, proposal.prompt_version = answer.model, prompt_version(prompt_dir)
        proposal.tokens_in, proposal.tokens_out, proposal.cost_usd = (
            answer.tokens_in,
            answer.tokens_out,
            answer.cost_usd,
        )
        try:
            fix = read_fix_answer(answer.text, finding.path)
            if fix.refusal:
                proposal.skipped_reason = f"the model declined: {fix.refusal}"
                return
            after = apply_hunks(text, fix.hunks)
        except PatchError as error:
            proposal.skipped_reason = f"the model's diff could not be used: {error}"
            return
        _finish(proposal, text, after, f"by the model ({answer.model})", "the model's diff changes nothing")

    async def _record_usage(
        self, request: ProduceFixInput, model: str, tokens_in: int, tokens_out: int, cost: float
    ) -> None:
        info = activity.info()
        key = f"{info.workflow_id}/{info.workflow_run_id}/{info.activity_id}/{info.attempt}"
        await self._usage.record(
            key, model, "autofix", tokens_in, tokens_out, cost, request.repository, None, info.workflow_id
        )

    @activity.defn(name="check_autofix_edits")
    async def check_autofix_edits(self, request: CheckFixesInput) -> CheckedFixes:
        clone = await self._clones.holding(request.clone_url, request.repository, request.head_sha)
        originals: dict[str, str] = {}
        current: dict[str, str] = {}
        result = CheckedFixes()
        by_id = {n.id: n for n in request.findings}
        for proposal in request.proposals:
            numbered = by_id.get(proposal.finding_id)
            problem = proposal.skipped_reason or ("no change was proposed" if not proposal.diff else None)
            if numbered is not None and problem is None:
                path = numbered.finding.path
                if path not in originals:
                    found = await asyncio.to_thread(text_at, clone, request.head_sha, path)
                    originals[path] = found or ""
                    current[path] = originals[path]
                problem = self._try(proposal, path, originals, current)
            if problem is None:
                result.applied.append(proposal.finding_id)
            else:
                result.skipped.append(_skipped(proposal, numbered, problem or "unknown finding"))
        changed = {p: text for p, text in current.items() if text != originals[p]}
        result.files = sorted(changed)
        result.patch = "".join(unified_diff(p, originals[p], changed[p]) for p in result.files)
        result.lines_changed = sum(changed_lines(originals[p], changed[p]) for p in result.files)
        result.checks = _check_sentences(result)
        if result.applied and request.check_command:
            result.check_run = await self._run_check(request, clone, changed)
            if not result.check_run.passed:
                result.blocked = "The repository's own check failed with the fixes applied, so nothing was pushed."
        return result

    def _try(self, proposal: FixProposal, path: str, originals: dict[str, str], current: dict[str, str]) -> str | None:
        """Apply one proposal on top of the earlier ones; the reason it is refused, or None (applied)."""
        patches = parse_diff(proposal.diff)
        if any(p.path != path for p in patches):
            return f"its edit touches a file other than `{path}`"
        try:
            after = apply_hunks(current[path], [h for p in patches for h in p.hunks])
        except PatchError as error:
            return f"its edit no longer applies after the other fixes ({error})"
        problem = parse_problem(path, current[path], after) or secret_problem(path, current[path], after)
        if problem:
            return problem
        proposed = {**current, path: after}
        files = [p for p, text in proposed.items() if text != originals[p]]
        lines = sum(changed_lines(originals[p], proposed[p]) for p in files)
        limits = self._settings.autofix
        over = limit_problem(len(files), lines, max_files=limits.max_files, max_lines=limits.max_changed_lines)
        if over:
            return f"left out: with it the fix {over}"
        current[path] = after
        return None

    async def _run_check(self, request: CheckFixesInput, clone: Path, changed: dict[str, str]) -> CheckRun:
        command = request.check_command or ""
        workdir = Path(tempfile.mkdtemp(prefix="pr-agent-autofix-"))
        try:
            async with heartbeating({"step": "check", "command": command}, every=5.0):
                await asyncio.to_thread(export_tree, clone, request.head_sha, workdir)
                for path, text in changed.items():
                    target = (workdir / path).resolve()
                    if not target.is_relative_to(workdir.resolve()):
                        raise ValueError(f"refusing to write outside the check's folder: {path!r}")
                    target.write_text(text, encoding="utf-8")
                ran = await asyncio.to_thread(run_isolated, command, workdir, request.check_timeout_seconds)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return CheckRun(
            command=command,
            exit_code=ran.exit_code,
            seconds=ran.seconds,
            output_tail=ran.output_tail,
            isolation=ran.isolation,
            timed_out=ran.timed_out,
        )


def _finish(proposal: FixProposal, before: str, after: str, how: str, unchanged: str) -> None:
    """Keep the edit as the proposal's diff, unless it changes nothing or adds a credential: an edit
    holding a credential never enters the workflow's history, where anyone with UI access reads it."""
    proposal.skipped_reason = secret_problem(proposal.path, before, after) or (unchanged if before == after else None)
    if proposal.skipped_reason is None:
        proposal.diff, proposal.how = unified_diff(proposal.path, before, after), how


def _skipped(proposal: FixProposal, numbered: NumberedFinding | None, reason: str) -> SkippedFinding:
    path = numbered.finding.path if numbered else proposal.path
    return SkippedFinding(
        id=proposal.finding_id, reason=reason, path=path, line=numbered.finding.line if numbered else None
    )


def _check_sentences(result: CheckedFixes) -> list[str]:
    if not result.files:
        return []
    parsed = [p for p in result.files if can_parse(p)]
    unparsed = [p for p in result.files if not can_parse(p)]
    sentences = []
    if parsed:
        sentences.append("every changed file still parses: " + ", ".join(f"`{p}`" for p in parsed))
    if unparsed:
        sentences.append("not parse-checked (no grammar here): " + ", ".join(f"`{p}`" for p in unparsed))
    sentences.append("no credential added; only the findings' own files changed")
    sentences.append(f"{result.lines_changed} lines changed in {len(result.files)} file(s)")
    return sentences
