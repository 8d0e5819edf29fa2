"""Edits as hunks, applied to a file's text, and unified diffs of the result.

A hunk is where a change goes (`start`, a 1-based hint), the lines it expects (context and
removed) and the lines it leaves (context and added). It applies at the place nearest its hint
where the expected lines are: exactly, else ignoring surrounding whitespace (models re-indent
context). Context lines always keep the file's own text, so a loose match never rewrites them.
A model's diff is read leniently (miscounted `@@` headers, blank context lines without their
space); what it may touch is decided by the caller, never here.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_HUNK_START = re.compile(r"^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@")
_FENCE = re.compile(r"```[A-Za-z0-9_+-]*[ \t]*\n(.*?)\n[ \t]*```", re.DOTALL)
Kind = str  # " " context, "-" removed, "+" added


class PatchError(ValueError):
    """A hunk that does not apply to the text, or a diff that cannot be read; says which and why."""


@dataclass(frozen=True)
class Hunk:
    start: int  # 1-based line of the original where the hunk's first expected line should be
    lines: tuple[tuple[Kind, str], ...]

    @property
    def expected(self) -> list[str]:
        return [text for kind, text in self.lines if kind != "+"]


@dataclass(frozen=True)
class FilePatch:
    path: str | None  # None when the diff named no file (the caller decides which it is)
    hunks: tuple[Hunk, ...]


def replace_line(line: int, replacement: list[str], current: str) -> Hunk:
    """The hunk replacing line `line` (whose text is `current`) with `replacement`."""
    return Hunk(line, (("-", current), *(("+", text) for text in replacement)))


def apply_hunks(text: str, hunks: tuple[Hunk, ...] | list[Hunk]) -> str:
    """`text` with every hunk applied; raises PatchError naming the first hunk that does not fit."""
    crlf = "\r\n" in text
    lines = text.replace("\r\n", "\n").split("\n")
    placed = sorted(((_locate(lines, hunk), hunk) for hunk in hunks), key=lambda pair: pair[0])
    out: list[str] = []
    cursor = 0
    for position, hunk in placed:
        if position < cursor:
            raise PatchError(f"the hunk near line {hunk.start} overlaps another change")
        out.extend(lines[cursor:position])
        cursor = position
        for kind, new_text in hunk.lines:
            if kind == " ":
                out.append(lines[cursor])
                cursor += 1
            elif kind == "-":
                cursor += 1
            else:
                out.append(new_text)
    out.extend(lines[cursor:])
    joined = "\n".join(out)
    return joined.replace("\n", "\r\n") if crlf else joined


def _locate(lines: list[str], hunk: Hunk) -> int:
    expected = hunk.expected
    if not expected:
        raise PatchError(f"the hunk near line {hunk.start} has no context to place it by")
    for same in (_exactly, _loosely):
        found = [i for i in range(len(lines) - len(expected) + 1) if same(lines[i : i + len(expected)], expected)]
        if found:
            return min(found, key=lambda i: abs(i - (hunk.start - 1)))
    raise PatchError(f"the lines the hunk near line {hunk.start} expects are not in the file")


def _exactly(have: list[str], want: list[str]) -> bool:
    return [line.rstrip() for line in have] == [line.rstrip() for line in want]


def _loosely(have: list[str], want: list[str]) -> bool:
    return [line.strip() for line in have] == [line.strip() for line in want]


def unified_diff(path: str, before: str, after: str, context: int = 3) -> str:
    """`git diff`-style text of one file's change (a/ b/ prefixes); empty when nothing changed."""
    if before == after:
        return ""
    old, new = before.replace("\r\n", "\n").split("\n"), after.replace("\r\n", "\n").split("\n")
    body = list(difflib.unified_diff(old, new, f"a/{path}", f"b/{path}", n=context, lineterm=""))
    return f"diff --git a/{path} b/{path}\n" + "\n".join(body) + "\n"


def changed_lines(before: str, after: str) -> int:
    """Lines removed plus lines added from `before` to `after`."""
    old, new = before.replace("\r\n", "\n").split("\n"), after.replace("\r\n", "\n").split("\n")
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return sum((i2 - i1) + (j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def diff_block(answer: str) -> str:
    """The diff inside a model's answer: its fenced block that holds a hunk, else the answer itself."""
    for block in _FENCE.findall(answer):
        if "@@" in block:
            return str(block)
    return answer


def parse_diff(text: str) -> list[FilePatch]:
    """Files and hunks of a unified diff, read leniently (see the module docstring)."""
    patches: list[FilePatch] = []
    path: str | None = None
    hunks: list[Hunk] = []
    current: list[tuple[Kind, str]] | None = None
    start = 1
    lines = text.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        if line.startswith("diff --git ") or (line.startswith("--- ") and next_line.startswith("+++ ")):
            _close(hunks, current, start)
            current = None
            if hunks or path is not None:
                patches.append(FilePatch(path, tuple(hunks)))
            path, hunks = None, []
        elif line.startswith("+++ ") and current is None:
            path = _path(line[4:])
        elif line.startswith("@@"):
            _close(hunks, current, start)
            match = _HUNK_START.match(line)
            start, current = (int(match.group(1)) if match else 1), []
        elif current is not None:
            _read_hunk_line(current, line)
    _close(hunks, current, start)
    if hunks or path is not None:
        patches.append(FilePatch(path, tuple(hunks)))
    return patches


def _read_hunk_line(current: list[tuple[Kind, str]], line: str) -> None:
    if line.startswith(("+", "-", " ")):
        current.append((line[0], line[1:]))
    elif line == "":
        current.append((" ", ""))  # a blank context line whose leading space was lost
    # "\ No newline at end of file" and stray prose are not part of the change


def _close(hunks: list[Hunk], current: list[tuple[Kind, str]] | None, start: int) -> None:
    if current is None:
        return
    while current and current[-1] == (" ", ""):
        current.pop()  # trailing blank lines are the end of the answer, not context
    if any(kind != " " for kind, _ in current):
        hunks.append(Hunk(start, tuple(current)))


def _path(raw: str) -> str | None:
    name = raw.strip().split("\t", 1)[0]
    if name == "/dev/null":
        return None
    return name[2:] if name.startswith(("a/", "b/")) else name
