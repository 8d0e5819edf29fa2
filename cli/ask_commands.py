"""`pr-agent ask "question"`: ask the Knowledge Assistant (AskKnowledge on the running stack's reviews
workers) and print the answer with its citations, or the ranked evidence when the model was skipped.

`ask` takes one positional question; what it is asked about is chosen by the options (today the
whole organisation; a per-pull-request question would be one more option and one more plan in
`_plan`, printed by its own formatter).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from cli.common import EXIT_FAILED, EXIT_OK, temporal_client, wait_for
from core.settings import Settings

if TYPE_CHECKING:  # imported where used: `pr-agent --help` needs neither
    from contracts.knowledge import KnowledgeAnswer
    from contracts.starts import WorkflowStart


def add_parsers(sub: Any) -> None:
    """Add `ask`, bound to its handler, to the `pr-agent` parser."""
    ask = sub.add_parser("ask", help="ask the Knowledge Assistant about the organisation's code, tickets and activity")
    ask.add_argument("question", help='e.g. "How are partial refunds issued?"')
    ask.add_argument("--json", action="store_true", help="print the whole answer as JSON")
    ask.add_argument("--no-wait", action="store_true", help="print the workflow id and leave")
    ask.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the answer")
    ask.set_defaults(handler=ask_question)


async def ask_question(args: argparse.Namespace, settings: Settings) -> int:
    """Start the question's workflow; print its id (`--no-wait`) or wait, showing progress on stderr."""
    from contracts.knowledge import KnowledgeAnswer
    from core.temporal.client import start_workflow

    plan = _plan(args)  # a rejected question is a ValueError: one clear line, exit 2
    client = await temporal_client(settings)
    handle = await start_workflow(client, settings.temporal, plan)
    if args.no_wait:
        sys.stdout.write(handle.id + "\n")
        return EXIT_OK
    typed = client.get_workflow_handle(handle.id, result_type=KnowledgeAnswer)
    try:
        [outcome] = await asyncio.wait_for(wait_for([typed], sys.stderr), timeout=args.timeout)
    except TimeoutError:
        sys.stderr.write(f"pr-agent: no answer after {args.timeout:.0f} s; the workflow is {handle.id}\n")
        return EXIT_FAILED
    if not outcome.ok:
        sys.stderr.write(f"pr-agent: {handle.id} failed: {outcome.reason}\n")
        return EXIT_FAILED
    answer: KnowledgeAnswer = outcome.result
    text = json.dumps({"workflow_id": handle.id, **asdict(answer)}, indent=2) if args.json else format_answer(answer)
    sys.stdout.write(text + "\n")
    return EXIT_OK


def _plan(args: argparse.Namespace) -> WorkflowStart:
    from contracts.starts import ask_knowledge_start

    return ask_knowledge_start(question=args.question, asked_by=f"cli:{_user()}", trigger="cli")


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
