"""`/auto-fix` as webhook routing: a comment on the conversation or a reply in an inline finding's
thread becomes the AutoFixPR start it asks for. Kept apart from `contracts.webhooks` (which asks it
first for every issue comment) so other commands' routing can sit beside it."""

from __future__ import annotations

from typing import Any

from contracts.autofix import AutofixRequest
from contracts.routing import Routed
from contracts.starts import autofix_pr_start
from domain.autofix.trigger import autofix_comment


def autofix_command_starts(event: str, payload: Any, delivery_id: str) -> Routed | None:
    """A `/auto-fix` comment (on the conversation, or a reply in an inline finding's thread) as the
    AutoFixPR start it asks for; None when the comment is not `/auto-fix`. The request id is the
    comment's, so a redelivered or replayed webhook asks for the same fix, never a second one."""
    asked = autofix_comment(event, payload)
    if asked is None:
        return None
    routed = Routed(action=payload.get("action"), repository=asked.repository)
    if asked.ignored:
        routed.ignored_reason = asked.ignored
        return routed
    request = AutofixRequest(
        request_id=f"comment-{asked.comment_id}",
        repository=asked.repository,
        number=asked.number,
        trigger="review_comment" if event == "pull_request_review_comment" else "comment",
        requester=asked.requester,
        finding_ids=asked.finding_ids,
        unknown_ids=asked.unknown_ids,
        reply_to=asked.reply_to,
        delivery_id=delivery_id,
    )
    routed.starts.append(autofix_pr_start(request))
    return routed
