"""The sections of an investigation that need no LLM: read straight from the repository.

They are always present, with or without a model, and everything in them points at a file
(`path:line` where a line exists), so a reader and the review can trust them as evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from domain.investigation.calls import DetectedCall, detect_http_calls
from domain.investigation.manifests import Dependency, parse_dependencies
from domain.investigation.paths import SOURCE_SUFFIXES, guess_entry_points, is_noise, is_test_path
from domain.investigation.routes import DetectedApi, detect_apis
from domain.investigation.sections import DETERMINISTIC_TITLES, render_sections
from domain.investigation.topics import DetectedTopic, detect_topics

__all__ = [
    "DETERMINISTIC_TITLES",
    "DetectedApi",
    "DetectedCall",
    "DetectedTopic",
    "ProfileLike",
    "RepoFacts",
    "collect_facts",
    "detection_candidates",
    "deterministic_sections",
]


class ProfileLike(Protocol):
    """What this module reads from `domain.repo_profile.RepoProfile` (read-only, loosely typed:
    lists, tuples, mappings or objects with a `name` all render)."""

    @property
    def repo_type(self) -> str: ...
    @property
    def subtype(self) -> str | None: ...
    @property
    def primary_language(self) -> str | None: ...
    @property
    def languages(self) -> object: ...
    @property
    def frameworks(self) -> object: ...
    @property
    def databases(self) -> object: ...
    @property
    def packages(self) -> object: ...
    @property
    def entry_points(self) -> object: ...
    @property
    def evidence(self) -> object: ...


@dataclass(frozen=True)
class RepoFacts:
    """Everything detected without an LLM; the input of the sections and the structured form."""

    repo_type: str
    subtype: str | None
    primary_language: str | None
    languages: tuple[str, ...]
    frameworks: tuple[str, ...]
    databases: tuple[str, ...]
    packages: tuple[str, ...]
    entry_points: tuple[str, ...]
    entry_points_guessed: bool
    evidence: tuple[str, ...]
    top_folders: tuple[tuple[str, int], ...]
    root_files: int
    dependencies: tuple[Dependency, ...]
    unreadable_manifests: tuple[str, ...]
    manifests_read: tuple[str, ...]
    apis: tuple[DetectedApi, ...]
    calls: tuple[DetectedCall, ...]
    topics: tuple[DetectedTopic, ...]
    migration_dirs: tuple[str, ...]


def detection_candidates(paths: Iterable[str]) -> list[str]:
    """The files whose contents the detectors want (source files, no tests, no noise), sorted."""
    return sorted(
        p for p in paths if p[p.rfind(".") :].lower() in SOURCE_SUFFIXES and not is_noise(p) and not is_test_path(p)
    )


def collect_facts(
    paths: Sequence[str],
    manifests: Mapping[str, str],
    file_contents: Mapping[str, str],
    profile: ProfileLike | None,
) -> RepoFacts:
    """Run every detector once. `file_contents` should hold `detection_candidates(paths)`."""
    scan = parse_dependencies(manifests)
    declared = _strings(profile.entry_points) if profile else ()
    folders, root_files = _top_folders(paths)
    return RepoFacts(
        repo_type=(profile.repo_type if profile else "") or "unknown",
        subtype=profile.subtype if profile else None,
        primary_language=profile.primary_language if profile else None,
        languages=_strings(profile.languages) if profile else (),
        frameworks=_strings(profile.frameworks) if profile else (),
        databases=_strings(profile.databases) if profile else (),
        packages=_strings(profile.packages) if profile else (),
        entry_points=declared or tuple(guess_entry_points(paths)),
        entry_points_guessed=not declared,
        evidence=_strings(profile.evidence) if profile else (),
        top_folders=folders,
        root_files=root_files,
        dependencies=scan.dependencies,
        unreadable_manifests=scan.unreadable,
        manifests_read=scan.parsed,
        apis=tuple(detect_apis(file_contents)),
        calls=tuple(detect_http_calls(file_contents)),
        topics=tuple(detect_topics(file_contents)),
        migration_dirs=_migration_dirs(paths),
    )


def deterministic_sections(
    paths: Sequence[str],
    manifests: Mapping[str, str],
    file_contents: Mapping[str, str],
    profile: ProfileLike | None,
) -> dict[str, str]:
    """{section id: Markdown body} in DETERMINISTIC_TITLES order (ids are its keys)."""
    return render_sections(collect_facts(paths, manifests, file_contents, profile))


def _strings(value: object) -> tuple[str, ...]:
    """A profile field as display strings, whatever container the profile module chose."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, Mapping):
        items = list(value.items())
        if all(isinstance(v, int | float) for _, v in items):  # e.g. {language: file count}
            return tuple(str(k) for k, _ in sorted(items, key=lambda kv: (-kv[1], str(kv[0]))))
        return tuple(f"{k}: {_display(v)}" for k, v in items)
    if isinstance(value, Iterable):
        return tuple(_display(item) for item in value)
    return (_display(value),)


def _display(item: object) -> str:
    name = getattr(item, "name", None)
    where = getattr(item, "path", None)
    if isinstance(name, str):
        return f"{name} ({where})" if isinstance(where, str) and where else name
    if isinstance(item, list | tuple | set | frozenset):
        return ", ".join(_display(i) for i in item)
    return str(item)


def _top_folders(paths: Iterable[str]) -> tuple[tuple[tuple[str, int], ...], int]:
    counts: Counter[str] = Counter()
    root_files = 0
    for path in set(paths):
        head, sep, _ = path.strip("/").partition("/")
        if sep:
            counts[head] += 1
        else:
            root_files += 1
    return tuple(sorted(counts.items())), root_files


def _migration_dirs(paths: Iterable[str]) -> tuple[str, ...]:
    markers = ("migrations", "migration", "versions")
    found: set[str] = set()
    for path in paths:
        if is_noise(path):
            continue
        parts = path.split("/")
        for i, part in enumerate(parts[:-1]):
            if part.lower() in markers and (part != "versions" or "alembic" in parts[:i]):
                found.add("/".join(parts[: i + 1]) + "/")
        if parts[-1] == "schema.prisma":
            found.add(path)
    return tuple(sorted(found))
