"""/ask: the evidence a question is answered from, and the reply.

The reply always lists where the answer looked (`path:line`), so a reader can check it; without a
model it says so plainly and gives the evidence alone, which is often what the asker needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EvidenceKind = Literal["thread", "change", "code", "finding"]
MAX_ANSWER_CHARS = 6_000
MAX_LISTED = 12
_SNIPPET_LINES = 6


@dataclass(frozen=True)
class Evidence:
    """One place the answer may draw on: the asked-about line, a changed hunk, retrieved code, a finding."""

    kind: EvidenceKind
    path: str
    start_line: int
    end_line: int
    text: str

    @property
    def where(self) -> str:
        if self.end_line > self.start_line:
            return f"{self.path}:{self.start_line}-{self.end_line}"
        return f"{self.path}:{self.start_line}"


@dataclass(frozen=True)
class ThreadLine:
    """The inline comment an /ask replied to: the file and line it is about."""

    path: str
    line: int


def lines_around(path: str, text: str, line: int, radius: int = 8) -> Evidence | None:
    """The head file's lines around `line` (numbered, the line itself marked), as the thread's evidence."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    start, end = max(1, line - radius), min(len(lines), line + radius)
    numbered = "\n".join(f"{n:>5} {'>' if n == line else ' '} {lines[n - 1]}" for n in range(start, end + 1))
    return Evidence("thread", path, start, end, numbered)


def render_ask_reply(
    question: str,
    answer: str | None,
    *,
    evidence: list[Evidence],
    skipped_reason: str | None = None,
    login: str | None = None,
    thread: ThreadLine | None = None,
) -> str:
    """The reply: the model's answer (or why there is none) and the evidence it was given."""
    to = f"@{login} " if login else ""
    about = f" about `{thread.path}:{thread.line}`" if thread else ""
    quoted = "\n".join(f"> {line}" for line in question.strip().splitlines()[:6])
    head = [quoted, ""] if quoted else []
    if answer is not None:
        body = [*head, f"{to}{_cap(answer.strip())}"]
        sources = ", ".join(f"`{e.where}`" for e in evidence[:MAX_LISTED])
        if sources:
            body += ["", f"<sub>Looked at{about}: {sources}.</sub>"]
        return "\n".join(body)
    lines = [*head, f"{to}the model part was skipped: {skipped_reason}. Here is the evidence I found{about}:", ""]
    lines += [_evidence_block(e) for e in evidence[:MAX_LISTED]] or ["(nothing related was found)"]
    return "\n".join(lines)


def _evidence_block(evidence: Evidence) -> str:
    snippet = "\n".join(evidence.text.splitlines()[:_SNIPPET_LINES])
    label = {"thread": "the line asked about", "change": "changed", "code": "related code", "finding": "finding"}
    if evidence.kind == "finding":
        return f"- `{evidence.where}` ({label[evidence.kind]}): {' '.join(snippet.split())}"
    fence = "````" if "```" in snippet else "```"
    return f"- `{evidence.where}` ({label[evidence.kind]}):\n\n{fence}\n{snippet}\n{fence}\n"


def usage_reply(login: str | None) -> str:
    to = f"@{login} " if login else ""
    return f"{to}`/ask` needs a question after it, e.g. `/ask why does the retry loop not back off?`"


def _cap(text: str) -> str:
    if len(text) <= MAX_ANSWER_CHARS:
        return text
    return text[:MAX_ANSWER_CHARS].rstrip() + "\n\n… (answer cut at 6000 characters)"
