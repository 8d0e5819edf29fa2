"""The verification prompt: each item with its evidence (hunk, head file around the line, definitions it
names), and the reading of the verifier's scores. Templates live in prompts/verify/<version>/.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from domain.diff import parse_patch
from domain.review.context import RelatedSnippet
from domain.review.verify import SCORE_MAX, Verdict

VERIFY_PROMPTS = Path(__file__).resolve().parents[2] / "prompts" / "verify"
VERIFY_VERSION = "v1"
WINDOW_RADIUS = 12
MAX_HUNK_LINES = 60
MAX_DEFINITIONS = 2
MAX_DEFINITION_CHARS = 1_200
_IDENTIFIER = re.compile(r"`([A-Za-z_$][\w$.]*)`|\b([a-z]+[A-Z]\w*|[A-Z][a-z]+[A-Z]\w*|[a-z]+_[a-z_]+)\b")


class VerifyOutputError(ValueError):
    """The verifier's answer holds no usable scores."""


@dataclass(frozen=True)
class VerifyItem:
    """One comment or finding to check, with the code it is about."""

    key: str
    path: str
    line: int
    severity: str
    label: str  # "model comment, category bug" or "analyzer finding php.unescaped-output"
    message: str
    hunk: str
    around: str
    definitions: tuple[str, ...] = ()


def hunk_for_line(patch: str | None, path: str, line: int) -> str:
    """The diff hunk (as text) that shows new-side `line`, capped; "" when no hunk does."""
    if not patch:
        return ""
    for hunk in parse_patch(path, patch).hunks:
        if hunk.new_start <= line < hunk.new_start + max(hunk.new_count, 1):
            marks = {"add": "+", "del": "-", "ctx": " "}
            body = [f"{marks[ln.kind]}{ln.text}" for ln in hunk.lines][:MAX_HUNK_LINES]
            return "\n".join([hunk.header, *body])
    return ""


def window(text: str | None, line: int, radius: int = WINDOW_RADIUS) -> str:
    """Lines `line`±`radius` of the head file, numbered, the commented line marked with ">"."""
    if text is None:
        return "(the file could not be read at the head)"
    lines = text.splitlines()
    first, last = max(1, line - radius), min(len(lines), line + radius)
    return "\n".join(f"{'>' if n == line else ' '}{n:>5} {lines[n - 1]}" for n in range(first, last + 1))


def named_definitions(message: str, snippets: list[RelatedSnippet]) -> tuple[str, ...]:
    """Retrieved snippets that hold an identifier the comment names (`findById`, user_service, ...)."""
    names = {a or b for a, b in _IDENTIFIER.findall(message)}
    names |= {name.rsplit(".", 1)[-1] for name in names}
    found = []
    for snippet in sorted(snippets, key=lambda s: -s.score):
        if any(len(name) > 2 and name in snippet.content for name in names):
            text = snippet.content[:MAX_DEFINITION_CHARS]
            found.append(f"{snippet.path} lines {snippet.start_line}-{snippet.end_line}:\n{text}")
        if len(found) == MAX_DEFINITIONS:
            break
    return tuple(found)


def build_verify_messages(
    items: list[VerifyItem], threshold: int, version: str = VERIFY_VERSION
) -> list[dict[str, str]]:
    """System and user messages asking for one score per item."""
    folder = VERIFY_PROMPTS / version
    system = (folder / "system.md").read_text(encoding="utf-8").strip()
    user = Template((folder / "user.md").read_text(encoding="utf-8")).substitute(
        count=len(items), threshold=threshold, items="\n\n".join(_render(item) for item in items)
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user.strip()}]


def _render(item: VerifyItem) -> str:
    definitions = "\n\n".join(item.definitions) or "(none found)"
    return (
        f"### {item.key}: {item.label}, {item.severity}, {item.path}:{item.line}\n"
        f"Comment:\n<<<\n{item.message.strip()}\n>>>\n"
        f"Hunk:\n```\n{item.hunk or '(not in the diff shown)'}\n```\n"
        f"Head file around line {item.line}:\n```\n{item.around}\n```\n"
        f"Definitions it names:\n```\n{definitions}\n```"
    )


def parse_verdicts(text: str, keys: set[str]) -> dict[str, Verdict]:
    """The scores in the verifier's answer for the known `keys` (others ignored; scores clamped to 0-10)."""
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise VerifyOutputError("the answer holds no JSON object")
    try:
        data = json.loads(text[start : end + 1])
    except json.JSONDecodeError as error:
        raise VerifyOutputError(f"the JSON does not parse: {error.msg}") from error
    entries = data.get("verdicts") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise VerifyOutputError("'verdicts' is missing or not a list")
    verdicts: dict[str, Verdict] = {}
    for entry in entries:
        verdict = _verdict(entry)
        if verdict is not None and verdict.key in keys:
            verdicts[verdict.key] = verdict
    return verdicts


def _verdict(entry: object) -> Verdict | None:
    if not isinstance(entry, dict):
        return None
    key, score = str(entry.get("id", "")).strip(), entry.get("score")
    if isinstance(score, str) and score.strip().isdigit():
        score = int(score.strip())
    if not key or isinstance(score, bool) or not isinstance(score, int | float):
        return None
    reason = " ".join(str(entry.get("reason", "")).split())[:300] or "no reason given"
    return Verdict(key=key, score=min(SCORE_MAX, max(0, round(score))), reason=reason)
