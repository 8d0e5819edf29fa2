"""Added lines for the regex-based analyzers, with comment-only lines left out."""

from __future__ import annotations

import re
from collections.abc import Iterator

from domain.analyzers.source import SourceView

_COMMENT_PREFIXES = {
    "python": ("#",),
    "php": ("//", "#", "/*", "*"),
    "sql": ("--", "/*", "*"),
    "markdown": (),
    "json": (),
}
_DEFAULT_PREFIXES = ("//", "/*", "*")
_TEST_PATH = re.compile(
    r"(^|/)(tests?|__tests__|spec|fixtures?|mocks?|__mocks__|testdata)(/|$)"
    r"|[._-](test|spec)\.[A-Za-z]+$|(^|/)test_[^/]+\.py$|_test\.py$|(^|/)conftest\.py$"
)


def added_code_lines(view: SourceView) -> Iterator[tuple[int, str]]:
    """(line, text) for added lines that are not comment-only, in line order."""
    prefixes = _COMMENT_PREFIXES.get(view.language, _DEFAULT_PREFIXES)
    for number in sorted(view.added):
        text = view.lines[number - 1] if number <= len(view.lines) else ""
        stripped = text.strip()
        if stripped and not (prefixes and stripped.startswith(prefixes)):
            yield number, text


def is_test_path(path: str) -> bool:
    """True for test, spec and fixture files, where fake credentials and shortcuts are normal."""
    return _TEST_PATH.search(path) is not None
