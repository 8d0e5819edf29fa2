"""What a step learns from others: earlier answers as short summaries of their cited claims, and
the facts detected without an LLM as compact `path:line` lists.

A later step never receives an earlier answer whole: only claims that cite evidence travel on,
section by section, a few at a time, so a guess in one step cannot become another step's premise
and the prompt stays small.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from domain.investigation.manifests import parse_dependencies

if TYPE_CHECKING:
    from domain.investigation.deterministic import RepoFacts

SUMMARY_CHARS = 500
CLAIMS_PER_SECTION = 3
CLAIM_CHARS = 150
MAX_FACT_LINES = 40
_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
# `path:12`, `path:3-9`, or the same without backticks when the left side looks like a path.
_CITATION = re.compile(
    r"`[^`\s]+:\d+(?:-\d+)?`|(?<![\w/.`-])(?:(?:[\w.-]+/)*[\w-]+\.\w+|(?:[\w.-]+/)+[\w.-]+):\d+(?:-\d+)?\b"
)
_NOTHING = re.compile(r"^(?:[-*]\s+)?none (?:found|detected)\b", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[-*+]|\d+[.)])\s+")


def summarise_answer(answer: str | None, max_chars: int = SUMMARY_CHARS) -> str:
    """The cited claims of an answer, a few per section, each cut short with its citations kept."""
    if not answer or not answer.strip():
        return "(no answer)"
    out: list[str] = []
    for title, claims, empty in _sections(answer):
        if claims:
            prefix = f"{title}: " if title else ""
            out.append(prefix + " ".join(f"• {c}" for c in claims[:CLAIMS_PER_SECTION]))
        elif empty and title:
            out.append(f"{title}: none found.")
    text = "\n".join(line for line in out if line)
    if len(text) > max_chars:
        text = text[: max_chars - 1].rsplit(" ", 1)[0] + " …"
    return text or "(no cited findings)"


def _sections(answer: str) -> Iterable[tuple[str, list[str], bool]]:
    """(heading, cited claims, whether it reported nothing) per section, code blocks skipped."""
    title, empty, in_code = "", False, False
    claims: list[str] = []
    for raw in answer.splitlines():
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            in_code = not in_code
            continue
        heading = None if in_code else _HEADING.match(line)
        if heading:
            if title or claims:
                yield title, claims, empty
            title, claims, empty = heading.group("title").strip("*: "), [], False
        elif not in_code and _NOTHING.match(line):
            empty = True
        elif not in_code and _CITATION.search(line) and "(unverified" not in line:
            claims.append(_short(_BULLET.sub("", line)))
    if title or claims:
        yield title, claims, empty


def _short(claim: str) -> str:
    if len(claim) <= CLAIM_CHARS:
        return claim
    citations = _CITATION.findall(claim[CLAIM_CHARS:])
    return claim[:CLAIM_CHARS].rsplit(" ", 1)[0] + " …" + "".join(f" {c}" for c in citations[:3])


def fact_lines(use: str, facts: RepoFacts) -> list[str]:
    """The bullet lines a `uses` entry adds to a step's prompt, from detected facts."""
    if use == "routes":
        return [f"- {a.method} {a.path} ({a.framework}) — `{a.location}`" for a in facts.apis]
    if use == "http-calls":
        return [f"- {c.method} {c.url} — `{c.location}`" for c in facts.calls]
    if use == "topics":
        return [f"- {t.name}: {t.direction} ({t.system} {t.kind}) — `{t.location}`" for t in facts.topics]
    if use == "entry-points":
        return [f"- `{p}`" for p in facts.entry_points]
    if use == "migrations":
        return [f"- `{p}`" for p in facts.migration_dirs]
    if use == "dependencies":
        return dependency_lines((d.manifest, d.ecosystem, d.scope, d.name) for d in facts.dependencies)
    return []


def manifest_dependency_lines(manifests: Mapping[str, str]) -> list[str]:
    """Dependency lines read straight from the manifests, when no facts were passed in."""
    scan = parse_dependencies(manifests)
    return dependency_lines((d.manifest, d.ecosystem, d.scope, d.name) for d in scan.dependencies)


def dependency_lines(deps: Iterable[tuple[str, str, str, str]]) -> list[str]:
    """One line per manifest and scope: `- package.json (npm) runtime: a, b, c`."""
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for manifest, ecosystem, scope, name in deps:
        grouped.setdefault((manifest, ecosystem, scope), []).append(name)
    return [f"- `{m}` ({eco}) {scope}: {', '.join(names)}" for (m, eco, scope), names in grouped.items()]


def fact_files(uses: Iterable[str], facts: RepoFacts) -> dict[str, set[int]]:
    """{file: lines} the step's facts point at: candidates to show, and lines to keep in them."""
    found: dict[str, set[int]] = {}
    chosen = set(uses)
    located: list[tuple[str, int]] = [
        *((a.file, a.line) for a in (facts.apis if "routes" in chosen else ())),
        *((c.file, c.line) for c in (facts.calls if "http-calls" in chosen else ())),
        *((t.file, t.line) for t in (facts.topics if "topics" in chosen else ())),
    ]
    for file, line in located:
        found.setdefault(file, set()).add(line)
    if "entry-points" in chosen:
        for path in facts.entry_points:
            found.setdefault(path, set())
    return found


def capped(lines: list[str], limit: int = MAX_FACT_LINES) -> list[str]:
    """At most `limit` lines, the rest counted."""
    return lines if len(lines) <= limit else [*lines[:limit], f"- … {len(lines) - limit} more"]
