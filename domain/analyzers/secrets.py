"""Credentials written into the code: well-known token formats and secret-named literals."""

from __future__ import annotations

import re

from domain.analyzers.context import AnalyzerContext, make_finding
from domain.analyzers.lines import is_test_path
from domain.analyzers.source import SourceView
from domain.diff import FileDiff
from domain.findings import Finding

NAME = "secrets"
# Everything but prose: docs are full of example keys.
LANGUAGES = frozenset({"typescript", "tsx", "javascript", "jsx", "php", "python", "sql", "json", "other"})
_TOKEN_FORMATS = (
    ("AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{50,})")),
    ("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("Stripe live key", re.compile(r"\b[rs]k_live_[A-Za-z0-9]{16,}")),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b")),
    ("OpenAI-style API key", re.compile(r"\bsk-(?:proj-)?[A-Za-z0-9_\-]{32,}")),
    ("private key", re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----")),
)
_SECRET_NAME = (
    r"[\w.\-]*(?:password|passwd|pwd|secret|api[_\-]?key|apikey|access[_\-]?token|auth[_\-]?token"
    r"|private[_\-]?key|client[_\-]?secret|credentials?)[\w.\-]*"
)
_ASSIGNED_LITERAL = re.compile(rf"(?i)[\"']?\b({_SECRET_NAME})[\"']?\s*(?::|=|=>|:=)\s*[\"']([^\"'\s]{{8,}})[\"']")
_PLACEHOLDER = re.compile(
    r"(?i)changeme|change[_\-]me|example|placeholder|dummy|sample|your[_\-]|xxx|\*\*\*|<|>|\$\{|"
    r"\{\{|%\(|^test|redacted|secret$|password$|todo"
)


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report added lines that contain a credential; the value itself is never repeated."""
    view = ctx.source(file)
    in_tests = is_test_path(file.path)
    findings = []
    for number in sorted(view.added):
        text = view.lines[number - 1]
        kind = _token_kind(text) or (None if in_tests else _named_secret(text))
        if kind:
            findings.append(_finding(view, number, kind))
    return findings


def _token_kind(text: str) -> str | None:
    return next((name for name, pattern in _TOKEN_FORMATS if pattern.search(text)), None)


def _named_secret(text: str) -> str | None:
    for match in _ASSIGNED_LITERAL.finditer(text):
        name, value = match.group(1), match.group(2)
        if _looks_real(value):
            return f"literal assigned to `{name}`"
    return None


def _looks_real(value: str) -> bool:
    # Lower-case words ("new_password", "password_confirmation") are field names, not secrets.
    if re.fullmatch(r"[a-z_.\-]+", value) or _PLACEHOLDER.search(value):
        return False
    return len(set(value)) >= 5


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
