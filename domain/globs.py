"""Path globs, gitignore-flavoured: `*` stops at `/`, `**` crosses it, `{a,b}` is either."""

from __future__ import annotations

import re
from functools import lru_cache


def glob_match(pattern: str, path: str) -> bool:
    """True when `path` (repository-relative, `/`-separated) matches `pattern`.

    A pattern without `/` matches at any depth (`*.spec.ts`); a trailing `/` means everything
    under that folder (`migrations/`); a leading `/` anchors at the repository root.
    """
    return _compile(pattern).fullmatch(path.lstrip("/")) is not None


@lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str]:
    if pattern.endswith("/"):
        pattern += "**"
    if pattern.startswith("/"):
        pattern = pattern[1:]
    elif "/" not in pattern:
        pattern = "**/" + pattern
    return re.compile(_translate(pattern))


def _translate(pattern: str) -> str:
    out, index = [], 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        elif pattern[index] == "{" and "}" in pattern[index:]:
            end = pattern.index("}", index)
            out.append("(?:" + "|".join(re.escape(o) for o in pattern[index + 1 : end].split(",")) + ")")
            index = end + 1
        elif pattern[index] == "[" and "]" in pattern[index + 2 :]:
            end = pattern.index("]", index + 2)
            body = pattern[index + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            index = end + 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return "".join(out)
