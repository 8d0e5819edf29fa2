"""ReviewPR's impact step, part of the context step: what the pull request changes at its
repository's edges, and who in the other indexed repositories uses that, with evidence.

Reads are bounded: the head text of each changed file that can alter an edge (at most
MAX_CHANGED_FILES; the base text comes from undoing the file's patch, and is read at the base
branch only when the patch is missing or does not fit), and at most MAX_CONTEXT_FILES unchanged
head files that `context_paths` picks (a controller using a changed DTO, package.json and its
entry, main.ts), READS_AT_ONCE at a time. Every repository's facts come from `impact_facts`,
turned into objects once per (repository, commit) by each worker process.
"""

from __future__ import annotations

import asyncio
import logging
import posixpath
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import asyncpg
from github import GithubException

from activities.review_report import file_diffs
from clients.github import github_failure
from clients.pull_requests import ReviewProvider
from contracts.review import ChangedFile as PullRequestFile
from contracts.review import PullRequestSnapshot
from db.impact_facts import FactsState, ImpactFactsStore
from domain.diff import FileDiff, parse_patch
from domain.findings import Finding
from domain.impact import (
    FACTS_SCHEMA_VERSION,
    ChangedFile,
    ChangeSet,
    ImpactReport,
    RepositoryFacts,
    RepositoryState,
    assess_impact,
    change_input,
    context_paths,
    facts_from_json,
    impact_prompt_context,
    impact_section,
)
from domain.old_side import old_text
from domain.review.impact import impact_review_findings

log = logging.getLogger(__name__)
MAX_CHANGED_FILES = 150
MAX_CONTEXT_FILES = 60
READS_AT_ONCE = 6
CACHED_FACTS = 2000  # (repository, commit) entries a worker keeps parsed
_GUESSED_ENTRIES = ("package.json", "index.ts", "index.js", "main.ts")


@dataclass
class ImpactOutcome:
    """What the review takes from the impact step."""

    report: ImpactReport | None = None
    section: str | None = None  # the summary's "Impact on other repositories" section
    prompt: str | None = None  # the model's view of the same
    findings: list[Finding] = field(default_factory=list)  # on lines the diff shows
    missing: list[str] = field(default_factory=list)  # what the step could not see, in plain words


@dataclass(frozen=True)
class _Known:
    facts: RepositoryFacts
    paths: tuple[str, ...]


class ImpactAssessor:
    """The impact step, with a per-process cache of parsed facts."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._store = ImpactFactsStore(pool)
        self._cache: OrderedDict[tuple[str, str], _Known] = OrderedDict()

    async def assess(self, snapshot: PullRequestSnapshot, provider: ReviewProvider) -> ImpactOutcome:
        """The impact of `snapshot` on every other repository the database knows."""
        outcome = ImpactOutcome()
        candidates = [f for f in snapshot.files if change_input(f.path)]
        if not candidates:
            return outcome  # nothing that can declare an edge changed
        if len(candidates) > MAX_CHANGED_FILES:
            outcome.missing.append(
                f"cross-repository impact: only {MAX_CHANGED_FILES} of {len(candidates)} changed code files were read"
            )
        states = await self._store.states(FACTS_SCHEMA_VERSION)
        known = await self._known(states)
        reader = _Reader(provider)
        files = await _changed_files(reader, snapshot, candidates[:MAX_CHANGED_FILES])
        own = known.get(snapshot.pr.repository)
        context = await self._context(reader, snapshot, files, own, outcome)
        change_set = ChangeSet(snapshot.pr.repository, tuple(files), context)
        facts = [k.facts for k in known.values()]
        repositories = [RepositoryState(s.repository, s.head_sha) for s in states]
        try:
            report = await asyncio.to_thread(assess_impact, change_set, facts, repositories)
        except Exception as error:  # a parser bug must not cost the review: say what is missing instead
            log.exception("impact assessment of %s#%s failed", snapshot.pr.repository, snapshot.pr.number)
            outcome.missing.append(f"cross-repository impact could not be assessed ({type(error).__name__})")
            return outcome
        if reader.unreadable:
            outcome.missing.append(f"cross-repository impact: could not read {_some(sorted(reader.unreadable))}")
        outcome.report = report
        outcome.section = impact_section(report) or None
        outcome.prompt = impact_prompt_context(report) or None
        outcome.findings = impact_review_findings(report.findings, _commentable(file_diffs(snapshot)))
        return outcome

    async def _known(self, states: Sequence[FactsState]) -> dict[str, _Known]:
        """Parsed facts of every repository that has some, from the cache or the database."""
        keys = [(s.repository, s.facts_commit) for s in states if s.facts_commit]
        wanted = [key for key in keys if key not in self._cache]
        if wanted:
            rows = await self._store.load(wanted, FACTS_SCHEMA_VERSION)
            parsed = await asyncio.to_thread(lambda: [(r, facts_from_json(r.facts)) for r in rows])
            for row, facts in parsed:
                if facts is not None:
                    self._cache[(row.repository, row.commit_sha)] = _Known(facts, row.paths)
        found = {}
        for key in keys:
            if key in self._cache:
                self._cache.move_to_end(key)
                found[key[0]] = self._cache[key]
        while len(self._cache) > CACHED_FACTS:
            self._cache.popitem(last=False)
        return found

    async def _context(
        self,
        reader: _Reader,
        snapshot: PullRequestSnapshot,
        files: Sequence[ChangedFile],
        own: _Known | None,
        outcome: ImpactOutcome,
    ) -> dict[str, str]:
        """Unchanged head files that give the changed ones their meaning."""
        changed = [f.path for f in files]
        gone = {f.path for f in files if f.head is None}
        if own is not None:
            tree = set(own.paths)
        else:
            outcome.missing.append(
                f"cross-repository impact: {snapshot.pr.repository} has no impact facts yet (not indexed), "
                "so only conventional files next to the change were read with it"
            )
            tree = set(_guessed_paths(changed))
        head_paths = sorted((tree | set(changed)) - gone)
        wanted = context_paths(head_paths, changed, own.facts if own is not None else None)[:MAX_CONTEXT_FILES]
        texts = await asyncio.gather(*(reader.read(path, snapshot.head_sha, quiet=own is None) for path in wanted))
        return {path: text for path, text in zip(wanted, texts, strict=True) if text is not None}


class _Reader:
    """Reads files through the provider, a few at a time; transient GitHub failures propagate (the
    context step is retried), refusals leave the file out and are named."""

    def __init__(self, provider: ReviewProvider) -> None:
        self._provider = provider
        self._slots = asyncio.Semaphore(READS_AT_ONCE)
        self.unreadable: set[str] = set()

    async def read(self, path: str, ref: str, *, quiet: bool = False) -> str | None:
        async with self._slots:
            try:
                return await asyncio.to_thread(self._provider.read_file, path, ref)
            except GithubException as error:
                failure = github_failure(error, f"cannot read {path} at {ref[:12]}")
                if not failure.non_retryable:
                    raise failure from error
                if not quiet:
                    self.unreadable.add(path)
                return None


async def _changed_files(
    reader: _Reader, snapshot: PullRequestSnapshot, changed: Sequence[PullRequestFile]
) -> list[ChangedFile]:
    """Base and head text of each changed file; a file whose text cannot be had is left out (and
    named), since a missing side would read as an added or deleted file."""
    read = await asyncio.gather(*(_changed_file(reader, snapshot, f) for f in changed))
    return [file for file in read if file is not None]


async def _changed_file(reader: _Reader, snapshot: PullRequestSnapshot, changed: PullRequestFile) -> ChangedFile | None:
    head = None
    if changed.status != "deleted":
        head = await reader.read(changed.path, snapshot.head_sha)
        if head is None:
            reader.unreadable.add(changed.path)
            return None
    if changed.status == "added":
        return ChangedFile(changed.path, None, head)
    base = None
    if changed.patch is not None:
        base = old_text(head or "", parse_patch(changed.path, changed.patch, changed.status, changed.old_path))
    if base is None:
        base = await reader.read(changed.old_path or changed.path, snapshot.base_ref)
    if base is None:
        reader.unreadable.add(changed.old_path or changed.path)
        return None
    return ChangedFile(changed.path, base, head)


def _guessed_paths(changed: Iterable[str]) -> list[str]:
    """Without the repository's file list: the entry files that may sit above each changed file."""
    guessed: set[str] = set()
    for path in changed:
        folder = posixpath.dirname(path)
        while True:
            guessed.update(posixpath.join(folder, name) for name in _GUESSED_ENTRIES)
            if not folder:
                break
            folder = posixpath.dirname(folder)
    return sorted(guessed)


def _some(paths: Sequence[str], shown: int = 5) -> str:
    more = f" and {len(paths) - shown} more" if len(paths) > shown else ""
    return ", ".join(f"`{p}`" for p in paths[:shown]) + more


def _commentable(diffs: Iterable[FileDiff]) -> dict[str, set[int]]:
    return {diff.path: set(diff.new_side_lines()) for diff in diffs if not diff.is_binary}
