"""ReviewPR's feedback step (workflow code): before posting, read what people said about the pull
request's earlier findings and learn which rules the repository has muted.

Reading feedback never fails or holds up a review for long: when the step fails, the review posts
without muting anything (the rules stay muted in the database and apply again next time).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError, CancelledError

with workflow.unsafe.imports_passed_through():
    from activities.review_feedback import FeedbackActivities
    from contracts.feedback import FeedbackInput
    from contracts.review import PullRequestSnapshot
    from core.temporal.retries import LOCAL_RETRY
    from domain.feedback.mutes import MutedRule

# workflow.patched id: from here on a review reads feedback and holds back the findings of muted rules.
LEARN_FROM_FEEDBACK = "learn-from-feedback"


async def muted_rules(snapshot: PullRequestSnapshot) -> list[MutedRule]:
    """The rules muted in the pull request's repository, after reading the reactions on its comments."""
    if not workflow.patched(LEARN_FROM_FEEDBACK):
        return []
    try:
        result = await workflow.execute_activity_method(
            FeedbackActivities.collect_feedback,
            FeedbackInput(snapshot=replace(snapshot, files=[])),  # it reads no file: keep the payload small
            start_to_close_timeout=timedelta(minutes=3),
            heartbeat_timeout=timedelta(minutes=1),
            retry_policy=LOCAL_RETRY,
        )
    except ActivityError as error:
        if isinstance(error.cause, CancelledError):
            raise
        workflow.logger.warning("feedback not read; nothing muted in this review", extra={"error": str(error)})
        return []
    return result.muted
