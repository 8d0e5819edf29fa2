"""Holding a step's answer to its evidence: claims that cite nothing, or cite what is not there,
are marked "(unverified)" before the answer is stored. Pure functions (no I/O, no Temporal).

The system prompt already asks the model to do this; checking it here means a model that forgets
cannot slip a guess into the document, or into a later step's "earlier findings", as a fact.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

UNVERIFIED = "(unverified)"
# `path:12` or `path:12-20` in backticks, as the system prompt asks for.
_CITED = re.compile(r"`([^`\s:]+):(\d+)(?:-(\d+))?`")
# The same without backticks, with a path-looking left side (a slash or a file extension).
_BARE = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w-]+\.\w+|(?:[\w.-]+/)+[\w.-]+):(\d+)(?:-(\d+))?\b")
_NOTHING = re.compile(r"^\s*(?:[-*]\s+|\d+[.)]\s+)?none (?:found|detected)\b", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedAnswer:
    text: str
    claims: int
    unsupported: int  # claims without any citation
    bad_citations: int  # citations of a file or line that does not exist


def check_citations(answer: str, paths: Collection[str], shown: Mapping[str, str]) -> CheckedAnswer:
    """Mark claim lines without a citation, and citations of missing files or lines, "(unverified)".

    `paths` are the repository's files; `shown` the files the step saw (their line counts bound
    citations of them). Headings, code blocks, tables and "None found" lines are not claims.
    """
    known = set(paths)
    lengths = {path: max(1, len(text.splitlines())) for path, text in shown.items()}
    out: list[str] = []
    claims = unsupported = bad = 0
    in_code = False
    for line in answer.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
        if in_code or stripped.startswith(("```", "~~~")) or not _is_claim(stripped):
            out.append(line)
            continue
        claims += 1
        marked, missing = _mark_citations(line, known, lengths)
        bad += missing
        if not _cites(line, known) and UNVERIFIED not in line:
            unsupported += 1
            marked = f"{marked.rstrip()} {UNVERIFIED}"
        out.append(marked)
    return CheckedAnswer("\n".join(out), claims, unsupported, bad)


def _path_like(text: str) -> bool:
    return "/" in text or "." in text


def _cites(line: str, known: set[str]) -> bool:
    cited = any(m.group(1) in known or _path_like(m.group(1)) for m in _CITED.finditer(line))
    return cited or _BARE.search(line) is not None


def _is_claim(stripped: str) -> bool:
    if not stripped or stripped.startswith(("#", "|", ">")) or set(stripped) <= set("-*_= "):
        return False
    return not _NOTHING.match(stripped)


def _mark_citations(line: str, known: set[str], lengths: Mapping[str, int]) -> tuple[str, int]:
    missing = 0

    def check(match: re.Match[str]) -> str:
        nonlocal missing
        path, last = match.group(1), int(match.group(3) or match.group(2))
        if path not in known and not _path_like(path):
            return match.group(0)  # `localhost:5432` and the like: not a citation
        if path not in known:
            missing += 1
            return f"{match.group(0)} (unverified: no such file)"
        if path in lengths and last > lengths[path]:
            missing += 1
            return f"{match.group(0)} (unverified: the file has {lengths[path]} lines)"
        return match.group(0)

    return _CITED.sub(check, line), missing
