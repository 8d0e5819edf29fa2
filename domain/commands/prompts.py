"""Prompts of the pull-request commands: versioned `string.Template` files under prompts/<command>/<version>/.

The folder named by prompts/<command>/VERSION is in use; its name is recorded with every run
("improve-v1"), so a prompt change is a reviewed text diff with a visible version.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from string import Template

from domain.findings import Finding
from domain.review.context import PullRequestInfo, ReviewContextBundle
from domain.review.prompt import (
    MAX_ARCHITECTURE_CHARS,
    MAX_BODY_CHARS,
    NONE,
    render_findings_for_prompt,
    render_jira,
    render_snippets,
)

PROMPTS_ROOT = Path(__file__).resolve().parents[2] / "prompts"

_REPAIR_SYSTEM = (
    "You repair the output of a code assistant. Answer with exactly one JSON object that follows the "
    "given JSON schema, with no prose and no code fences. Keep the content; change only what is needed "
    "to make it valid."
)


class CommandPrompt:
    """The prompt files of one command at its current version."""

    def __init__(self, command: str, root: Path = PROMPTS_ROOT) -> None:
        base = root / command
        self.directory = base / (base / "VERSION").read_text(encoding="utf-8").strip()
        self.version = f"{command}-{self.directory.name}"

    def messages(
        self, values: Mapping[str, object], template: str = "user.md", system: str = "system.md"
    ) -> list[dict[str, str]]:
        """The `system` message and the user message `template` filled with `values`."""
        system_text = (self.directory / system).read_text(encoding="utf-8").strip()
        user = Template((self.directory / template).read_text(encoding="utf-8")).substitute(values)
        return [{"role": "system", "content": system_text}, {"role": "user", "content": user.strip()}]


def repair_messages(raw: str, error: str, schema: str) -> list[dict[str, str]]:
    """Chat messages for the one repair attempt after an answer could not be used."""
    user = (
        f"The previous answer could not be used: {error}\n\n"
        f"JSON schema the answer must follow:\n{schema}\n\n"
        f"Previous answer:\n<<<\n{raw}\n>>>\n\n"
        "Return the corrected JSON object only."
    )
    return [{"role": "system", "content": _REPAIR_SYSTEM}, {"role": "user", "content": user}]


def context_values(pr: PullRequestInfo, bundle: ReviewContextBundle, findings: list[Finding]) -> dict[str, object]:
    """The template values every command prompt shares: the pull request and what is known around it."""
    return {
        "repo": pr.repo_full_name,
        "number": pr.number,
        "title": pr.title.strip() or "(untitled)",
        "author": pr.author,
        "base_ref": pr.base_ref,
        "head_ref": pr.head_ref,
        "head_sha": pr.head_sha,
        "body": cap(pr.body, MAX_BODY_CHARS) or "(no description)",
        "jira": render_jira(bundle.jira),
        "architecture": cap(bundle.architecture, MAX_ARCHITECTURE_CHARS) or NONE,
        "house_rules": "\n".join(f"- {rule}" for rule in bundle.house_rules) or NONE,
        "related_code": render_snippets(bundle.related_code),
        "findings": render_findings_for_prompt(findings),
    }


def cap(text: str | None, limit: int) -> str:
    """The stripped text, cut at `limit` characters with a visible note when it was longer."""
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    return text[:limit].rstrip() + f"\n… (truncated, {len(text) - limit} more characters)"
