"""`pr-agent rules stats` and `pr-agent rules unmute REPO RULE`: what people think of each rule's findings.

Per rule and repository: findings posted, accepted (👍, an accepting reply, a resolved thread),
rejected (👎, a rejecting reply), addressed (a later commit changed the line), and precision
(accepted / votes). A rule under RULE_MUTE_PRECISION over RULE_MUTE_MIN_VOTES votes is muted in its
repository; `unmute` gives it a fresh start (only findings posted after it count towards muting).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cli.common import EXIT_FAILED, EXIT_OK, database
from core.settings import Settings


def add_parsers(sub: Any) -> None:
    """Add `rules`, bound to its handlers, to the `pr-agent` parser."""
    rules = sub.add_parser("rules", help="per-rule feedback numbers, and unmuting a muted rule")
    actions = rules.add_subparsers(dest="rules_action", required=True)
    stats = actions.add_parser("stats", help="posted, accepted, rejected, addressed and precision per rule")
    stats.add_argument("--repo", help="one repository (owner/name)")
    stats.add_argument("--json", action="store_true", help="print JSON")
    unmute = actions.add_parser("unmute", help="post a muted rule's findings again in a repository")
    unmute.add_argument("repo", help="owner/name")
    unmute.add_argument("rule", help="the rule id, e.g. php.debug-leftover or llm/style")
    unmute.add_argument("--by", default="cli", help="who unmutes it (recorded)")
    rules.set_defaults(handler=rules_command)


async def rules_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.rules_action == "unmute":
        return await rules_unmute(args, settings)
    return await rules_stats(args, settings)


async def rules_stats(args: argparse.Namespace, settings: Settings) -> int:
    from db.feedback import FeedbackRepository

    async with database(settings) as pool:
        feedback = FeedbackRepository(pool)
        rows, summaries = await feedback.rule_report(args.repo), await feedback.summary_votes(args.repo)
    if args.json:
        data = {"rules": rows, "summaries": [votes.__dict__ for votes in summaries]}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return EXIT_OK
    if not rows:
        sys.stdout.write("no findings posted yet\n")
    else:
        sys.stdout.write(_table(rows) + "\n")
    for votes in summaries:
        sys.stdout.write(f"review summaries in {votes.repository}: {votes.accepted} 👍, {votes.rejected} 👎\n")
    return EXIT_OK


async def rules_unmute(args: argparse.Namespace, settings: Settings) -> int:
    from db.feedback import FeedbackRepository

    async with database(settings) as pool:
        done = await FeedbackRepository(pool).unmute(args.repo, args.rule, args.by)
    if not done:
        sys.stderr.write(f"pr-agent: {args.rule} is not muted in {args.repo}\n")
        return EXIT_FAILED
    sys.stdout.write(f"{args.rule} unmuted in {args.repo}: its findings are posted again\n")
    return EXIT_OK


def _table(rows: list[dict[str, Any]]) -> str:
    header = f"{'repository':<28}{'rule':<34}{'posted':>7}{'acc':>5}{'rej':>5}{'addr':>6}{'precision':>11}  state"
    lines = [header, "-" * len(header)]
    for row in rows:
        precision = "n/a" if row["precision"] is None else f"{row['precision']:.2f}"
        state = "MUTED" if row["muted"] else (f"unmuted by {row['unmuted_by']}" if row["unmuted_by"] else "")
        lines.append(
            f"{row['repository'][:27]:<28}{row['rule_id'][:33]:<34}{row['posted']:>7}{row['accepted']:>5}"
            f"{row['rejected']:>5}{row['addressed']:>6}{precision:>11}  {state}".rstrip()
        )
    return "\n".join(lines)
