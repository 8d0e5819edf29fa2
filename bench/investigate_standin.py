"""The investigation benchmark's stand-in model and its measures, written against the prompt and
document formats alone (no product imports), so the same code measures any version of the product.

The stand-in answers a step as a model that follows the system prompt would: every required
section, three claims each, each claim citing a line of a file the prompt showed (`path:line`);
"None found in the files shown." when it was shown no file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

CHARS_PER_TOKEN = 4  # what the stand-in counts as usage, as tests/fakes/llm.py does
CLAIMS_PER_SECTION = 3
_REPOSITORY = re.compile(r"^Repository: (\S+) at commit", re.MULTILINE)
_STEP = re.compile(r"^Step: .* \(([a-z0-9-]+)@v\d+\)$", re.MULTILINE)
_SECTIONS = re.compile(r"## Required sections\n\n.*?\n\n((?:### [^\n]+\n?)+)", re.DOTALL)
_FILE = re.compile(r"^### (\S+)(?: \([^)\n]*\))?\n\n```[^\n]*\n(.*?)\n```", re.MULTILINE | re.DOTALL)
_ROW = re.compile(r"^ *(\d+) \| (.*)$", re.MULTILINE)
_CITATION = re.compile(r"`[^`\s]+:\d+(?:-\d+)?`|(?<![\w/.`-])(?:[\w.-]+/)*[\w-]+\.\w+:\d+(?:-\d+)?\b")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S")


@dataclass(frozen=True)
class Prompt:
    """One logged request: whose step it was and its size."""

    repository: str
    step: str
    chars: int

    @property
    def tokens(self) -> int:
        return -(-self.chars // CHARS_PER_TOKEN)


def user_text(body: dict[str, Any]) -> str:
    return next((m["content"] for m in body["messages"] if m.get("role") == "user"), "")


def logged(body: dict[str, Any]) -> Prompt:
    user = user_text(body)
    repository, step = _REPOSITORY.search(user), _STEP.search(user)
    chars = sum(len(m.get("content") or "") for m in body["messages"])
    return Prompt(repository.group(1) if repository else "?", step.group(1) if step else "?", chars)


def cited_answer(body: dict[str, Any]) -> str:
    """The stand-in's answer to one step (see the module docstring)."""
    user = user_text(body)
    found = _SECTIONS.search(user)
    sections = [line[4:] for line in found.group(1).splitlines() if line.startswith("### ")] if found else []
    lines = _shown_lines(user.split("\n## Files\n", 1)[-1])
    out: list[str] = []
    for i, section in enumerate(sections):
        out.append(f"### {section}")
        if not lines:
            out.append("None found in the files shown.")
        for j in range(CLAIMS_PER_SECTION if lines else 0):
            path, line = lines[(i * CLAIMS_PER_SECTION + j) % len(lines)]
            out.append(f"- What the code shows about {section.lower()} here `{path}:{line}`")
    return "\n".join(out)


def _shown_lines(files_block: str) -> list[tuple[str, int]]:
    """(path, line) of every non-blank numbered row shown, file by file."""
    return [
        (match.group(1), int(row.group(1)))
        for match in _FILE.finditer(files_block)
        for row in _ROW.finditer(match.group(2))
        if row.group(2).strip() and row.group(2).strip() != "…"
    ]


@dataclass(frozen=True)
class Claims:
    total: int
    cited: int
    unverified: int

    @property
    def cited_share(self) -> float:
        return self.cited / self.total if self.total else 0.0


def document_claims(document: str) -> Claims:
    """Bullet lines of a stored document (front matter and code blocks left out): how many there
    are, how many carry a `path:line` citation that was not marked "(unverified)", how many were."""
    body = document.split("\n---\n", 1)[1] if document.startswith("---\n") else document
    total = cited = unverified = 0
    in_code = False
    for line in body.splitlines():
        if line.strip().startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if in_code or not _BULLET.match(line):
            continue
        total += 1
        cited += bool(_CITATION.search(line)) and "(unverified" not in line
        unverified += "(unverified" in line
    return Claims(total, cited, unverified)
