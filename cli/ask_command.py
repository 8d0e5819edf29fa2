"""`pr-agent ask "question"`: ask the Knowledge Assistant (AskKnowledge on the running stack's reviews
workers) and print the answer with its citations, or the ranked evidence when the model was skipped."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import asdict
from typing import Any

from cli.commands import handler
from core.knowledge_contracts import KnowledgeAnswer
from core.settings import Settings


def add_parser(sub: Any) -> None:
    ask = sub.add_parser("ask", help="ask the Knowledge Assistant about the organisation's code, tickets and activity")
    ask.add_argument("question", help='e.g. "How are partial refunds issued?"')
    ask.add_argument("--json", action="store_true", help="print the whole answer as JSON")
    ask.add_argument("--no-wait", action="store_true", help="print the workflow id and leave")
    ask.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the answer")


@handler("ask")
async def ask(args: argparse.Namespace, settings: Settings) -> int:
    from api.dashboard.knowledge import answer_of, clean_question, start_question
    from core.temporal_client import connect

    question = clean_question(args.question)  # a QuestionRejected is a ValueError: one clear line, exit 2
    client = await connect(settings.temporal)
    handle = await start_question(client, settings.temporal, question, f"cli:{_user()}", "cli")
    if args.no_wait:
        sys.stdout.write(handle.id + "\n")
        return 0
    answer = await answer_of(client, handle.id, args.timeout)
    if answer is None:
        sys.stderr.write(f"pr-agent: no answer after {args.timeout:.0f} s; the workflow is {handle.id}\n")
        return 1
    text = json.dumps({"workflow_id": handle.id, **asdict(answer)}, indent=2) if args.json else format_answer(answer)
    sys.stdout.write(text + "\n")
    return 0


def format_answer(answer: KnowledgeAnswer) -> str:
    """The answer for a terminal: the text and its checked citations, or why the model was skipped;
    then the evidence, ranked."""
    lines: list[str] = []
    if answer.answer:
        lines += [answer.answer, "", "Citations:"]
        lines += [
            f"  {'ok' if c.known else 'NOT IN EVIDENCE'}  {c.text}  {c.url or ''}".rstrip() for c in answer.citations
        ]
        if not answer.citations:
            lines.append("  (none: treat the answer with care)")
    else:
        lines.append(f"The model part was skipped: {answer.llm_skipped_reason}.")
    lines += ["", "Evidence, ranked:"]
    for number, item in enumerate(answer.evidence, start=1):
        lines.append(
            f"  {number:>2}. [{item.kind.replace('_', ' ')}] {item.ref}  {item.title}  {item.url or ''}".rstrip()
        )
    if not answer.evidence:
        lines.append("  (nothing relevant was found)")
    if answer.sources_missing:
        lines += ["", "Missing: " + "; ".join(answer.sources_missing)]
    return "\n".join(lines)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a container without a passwd entry
        return "unknown"
