"""Text-scanning helpers shared by the route, call and topic detectors.

The detectors read source as text with regular expressions, not parse trees: they must run on
any repository at any size in milliseconds, and every hit carries a `path:line` a reader can
check. They favour missing a route over inventing one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping

from domain.investigation.paths import SOURCE_SUFFIXES, is_noise, is_test_path

# A quoted literal on one line: '...', "..." or `...` (group "q" keeps the quotes).
QUOTED = r"""(?P<q>'[^'\n]*'|"[^"\n]*"|`[^`\n]*`)"""


def arg_pattern(group: str) -> str:
    """A literal or a plain identifier (possibly dotted: Topics.ORDERS, this.topic, $this->q)."""
    return rf"""(?P<{group}>'[^'\n]*'|"[^"\n]*"|`[^`\n]*`|\$?[A-Za-z_][\w.]*(?:->\w+)*)"""


ARG = arg_pattern("arg")
ARG2 = arg_pattern("arg2")
_ASSIGN = re.compile(
    r"""(?:^|[\s,{(])(?:const\s+|let\s+|var\s+|readonly\s+|static\s+|public\s+|private\s+)*"""
    r"""\$?(?P<name>[A-Za-z_]\w*)\s*(?::\s*[\w.<>\[\]| ]+)?\s*[=:]\s*"""
    r"""(?P<q>'[^'\n]*'|"[^"\n]*")\s*[;,)}]?\s*$""",
    re.MULTILINE,
)
_PHP_CONST = re.compile(r"""const\s+(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<q>'[^'\n]*'|"[^"\n]*")""")


class LineIndex:
    """Offset → 1-based line number, in O(log n) per lookup."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(i + 1 for i, ch in enumerate(text) if ch == "\n")]

    def line_of(self, offset: int) -> int:
        """The line that character `offset` is on."""
        return bisect.bisect_right(self._starts, offset)


def unquote(token: str) -> str | None:
    """The text of a quoted literal; None for a template with interpolation or a non-literal."""
    if len(token) < 2 or token[0] not in "'\"`" or token[-1] != token[0]:
        return None
    body = token[1:-1]
    return None if "${" in body else body


def constants(text: str) -> dict[str, str]:
    """Simple `NAME = 'value'` style string constants of one file, first definition wins."""
    found: dict[str, str] = {}
    for pattern in (_ASSIGN, _PHP_CONST):
        for match in pattern.finditer(text):
            value = unquote(match.group("q"))
            if value is not None:
                found.setdefault(match.group("name"), value)
    return found


def resolve(token: str, consts: Mapping[str, str]) -> str | None:
    """A literal's text, or the value of the constant an identifier names; None if unknown."""
    literal = unquote(token)
    if literal is not None:
        return literal
    if token[:1] in "'\"`":
        return None
    last = re.split(r"\.|->", token)[-1].lstrip("$")
    return consts.get(last)


def source_files(file_contents: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(path, text) of scannable source files, tests and noise left out, sorted by path."""
    for path in sorted(file_contents):
        suffix = path[path.rfind(".") :].lower() if "." in path else ""
        if suffix in SOURCE_SUFFIXES and not is_noise(path) and not is_test_path(path):
            yield path, file_contents[path]


def join_route(*parts: str) -> str:
    """Route pieces joined with single slashes, always starting with "/"."""
    pieces = [p.strip("/") for p in parts if p and p.strip("/")]
    return "/" + "/".join(pieces)


def balanced_call(text: str, start: int, limit: int = 4000) -> tuple[list[str], int] | None:
    """The top-level arguments of the call whose "(" is at `start`, and the index after its ")".

    Strings and nested brackets are skipped, so `use('/a', require('./b'))` has two arguments.
    None when the call does not close within `limit` characters.
    """
    depth, current, quote = 0, start + 1, ""
    args: list[str] = []
    index, end = start, min(len(text), start + limit)
    while index < end:
        ch = text[index]
        if quote:
            if ch == "\\":
                index += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                args.append(text[current:index])
                return [a.strip() for a in args if a.strip()], index + 1
        elif ch == "," and depth == 1:
            args.append(text[current:index])
            current = index + 1
        index += 1
    return None
