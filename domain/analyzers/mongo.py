"""MongoDB: the `$where` operator, which runs JavaScript on the database server."""

from __future__ import annotations

import re

from domain.analyzers import syntax
from domain.analyzers.context import AnalyzerContext, make_finding
from domain.analyzers.lines import added_code_lines
from domain.diff import FileDiff
from domain.findings import Finding

NAME = "mongo"
LANGUAGES = frozenset({"php", "python"}) | syntax.JS_LANGUAGES
# A `$where` key: bare or quoted in JS, quoted in Python, single-quoted or escaped in PHP
# (in a PHP double-quoted string `"$where"` is a variable).
_WHERE_KEY = {
    "js": re.compile(r"(?:^|[{,\s])(?:\$where|([\"'`])\$where\1)\s*:"),
    "python": re.compile(r"([\"'])\$where\1\s*:"),
    "php": re.compile(r"(?:'\$where'|\"\\\$where\")\s*=>"),
}


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report added query objects that use `$where`."""
    view = ctx.source(file)
    pattern = _WHERE_KEY[file.language if file.language in ("php", "python") else "js"]
    return [
        make_finding(
            NAME,
            view,
            number,
            "high",
            "mongo.where-operator",
            "`$where` evaluates JavaScript on the database server: injectable when it carries "
            "input, and it cannot use indexes.",
            "Express the condition with query operators ($eq, $gt, $expr, $regex ...).",
        )
        for number, text in added_code_lines(view)
        if pattern.search(text)
    ]
