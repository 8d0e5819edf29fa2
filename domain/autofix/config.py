"""A repository's own auto-fix settings: `[autofix]` in `.pr-agent/config.toml`, read from the branch
the pull request targets (never from the pull request, which could otherwise choose its own check).

    [autofix]
    check = "python -m pytest -q tests/unit"   # run after the fix, in a sandbox without network
    check_timeout_seconds = 120                 # at most AUTOFIX_CHECK_TIMEOUT_SECONDS
    conventions = "4-space indentation; f-strings; no print in library code"

A malformed file is reported in the reply and otherwise ignored: no check, no conventions.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

REPO_CONFIG_PATH = ".pr-agent/config.toml"
MAX_CONVENTIONS_CHARS = 2_000


@dataclass(frozen=True)
class RepoAutofixConfig:
    check_command: str | None = None
    check_timeout_seconds: float | None = None
    conventions: str = ""
    problems: list[str] = field(default_factory=list)


def read_autofix_config(text: str | None) -> RepoAutofixConfig:
    """The `[autofix]` table of the file's text (None: the repository has no such file)."""
    if text is None:
        return RepoAutofixConfig()
    try:
        table = tomllib.loads(text).get("autofix", {})
    except tomllib.TOMLDecodeError as error:
        return RepoAutofixConfig(problems=[f"{REPO_CONFIG_PATH} is not valid TOML ({error})"])
    if not isinstance(table, dict):
        return RepoAutofixConfig(problems=[f"{REPO_CONFIG_PATH}: [autofix] must be a table"])
    problems: list[str] = []
    check = table.get("check")
    if check is not None and (not isinstance(check, str) or not check.strip()):
        problems.append(f"{REPO_CONFIG_PATH}: autofix.check must be a command line (a string)")
        check = None
    timeout = table.get("check_timeout_seconds")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0):
        problems.append(f"{REPO_CONFIG_PATH}: autofix.check_timeout_seconds must be a positive number")
        timeout = None
    conventions = table.get("conventions", "")
    if not isinstance(conventions, str):
        problems.append(f"{REPO_CONFIG_PATH}: autofix.conventions must be text")
        conventions = ""
    return RepoAutofixConfig(
        check_command=check.strip() if isinstance(check, str) else None,
        check_timeout_seconds=float(timeout) if timeout is not None else None,
        conventions=conventions.strip()[:MAX_CONVENTIONS_CHARS],
        problems=problems,
    )
