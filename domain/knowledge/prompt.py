"""The Knowledge Assistant's prompt: the question and the ranked evidence, each with its citation."""

from __future__ import annotations

from collections.abc import Sequence

from domain.investigation.markdown import fenced, language_of
from domain.knowledge.evidence import Evidence

PROMPT_VERSION = "knowledge-1"
EXCERPT_MAX_CHARS = 1800
SYSTEM = """You answer questions about a software organisation: its repositories, code, architecture,
Jira tickets, commits and pull requests. Use ONLY the evidence in the user's message.

Rules:
- Cite every claim with the citation of the evidence it rests on, in backticks, exactly as the
  evidence names it: `owner/repo:path:line` for code (a line inside the excerpt's range; the
  excerpts show line numbers), `KEY-12` for a Jira ticket, `owner/repo#12` for a pull request,
  `owner/repo@abc1234` for a commit, `owner/repo:architecture#section` for an architecture section
  (or the `owner/repo:path:line` citations that section quotes).
- If the evidence does not answer the question, say so plainly and say what is missing. Never
  guess and never cite anything that is not in the evidence.
- Answer in Markdown: a direct answer first, then the details, briefly."""


def build_messages(question: str, evidence: Sequence[Evidence], max_chars: int) -> list[dict[str, str]]:
    """System and user messages; evidence is added best first until `max_chars` of it are used."""
    blocks: list[str] = []
    used = 0
    for number, item in enumerate(evidence, start=1):
        block = render_evidence(number, item)
        if blocks and used + len(block) > max_chars:
            break
        blocks.append(block)
        used += len(block)
    body = "\n\n".join(blocks) if blocks else "(no evidence was found)"
    user = f"Question: {question.strip()}\n\nEvidence, best first:\n\n{body}"
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def render_evidence(number: int, item: Evidence) -> str:
    head = f"[{number}] {item.kind.replace('_', ' ')} `{item.ref}`: {item.title}"
    excerpt = item.excerpt[:EXCERPT_MAX_CHARS]
    if item.kind == "code" and item.start_line is not None:
        listing = "\n".join(f"{item.start_line + offset} | {line}" for offset, line in enumerate(excerpt.splitlines()))
        return f"{head}\n{fenced(listing, language_of(item.path or ''))}"
    return f"{head}\n{excerpt}"
