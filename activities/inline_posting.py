"""Posting inline comments so that one refused comment never sinks the others.

GitHub takes a review's comments as one batch and refuses the whole batch (422) when one comment
points at a line outside the diff, without saying which. The batch is tried first (one request,
one notification); when it is refused, each comment is posted on its own, and the ones GitHub
refuses are returned with GitHub's words. Outages are not refusals: they propagate and Temporal
retries the activity, where the markers of comments already posted keep them from being posted
twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clients.pull_requests import InlineComment, PostingRejected, ReviewProvider


@dataclass
class InlineOutcome:
    posted: list[InlineComment] = field(default_factory=list)
    rejected: list[tuple[InlineComment, str]] = field(default_factory=list)


def post_with_fallback(provider: ReviewProvider, head_sha: str, comments: list[InlineComment]) -> InlineOutcome:
    """Post `comments` on `head_sha` as one review, or one by one when the review is refused."""
    if not comments:
        return InlineOutcome()
    try:
        provider.post_inline(head_sha, comments)
        return InlineOutcome(posted=list(comments))
    except PostingRejected:
        pass
    outcome = InlineOutcome()
    for comment in comments:
        try:
            provider.post_inline_comment(head_sha, comment)
        except PostingRejected as refused:
            outcome.rejected.append((comment, refused.reason))
        else:
            outcome.posted.append(comment)
    return outcome
