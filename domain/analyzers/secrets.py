"""Credentials written into the code: well-known token formats and secret-named literals
(the patterns live in domain/secrets.py, shared with the redaction of indexed code)."""

from __future__ import annotations

from domain.analyzers.context import AnalyzerContext, make_finding
from domain.analyzers.lines import is_test_path
from domain.analyzers.source import SourceView
from domain.diff import FileDiff
from domain.findings import Finding
from domain.secrets import named_secret, token_kind

NAME = "secrets"
# Everything but prose: docs are full of example keys.
LANGUAGES = frozenset({"typescript", "tsx", "javascript", "jsx", "php", "python", "sql", "json", "other"})


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report added lines that contain a credential; the value itself is never repeated."""
    view = ctx.source(file)
    in_tests = is_test_path(file.path)
    findings = []
    for number in sorted(view.added):
        text = view.lines[number - 1]
        kind = token_kind(text) or (None if in_tests else named_secret(text))
        if kind:
            findings.append(_finding(view, number, kind))
    return findings


def _finding(view: SourceView, line: int, kind: str) -> Finding:
    critical = not kind.startswith("literal")
    return make_finding(
        NAME,
        view,
        line,
        "critical" if critical else "high",
        "security.hardcoded-secret",
        f"Hard-coded credential ({kind}): it is now in the repository history.",
        "Load it from the secret store or the environment, and rotate the exposed value.",
    )
