"""RecordFeedback: a review thread resolved or reopened, or a reply in it, written to the finding it is on.

Started by the `pull_request_review_thread` and `pull_request_review_comment` webhooks, one run per
delivery; the write is an upsert, so a retried or replayed run records it once.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.review_feedback import FeedbackActivities
    from contracts.common import RECORD_FEEDBACK
    from contracts.feedback import FeedbackEvent, FeedbackEventResult
    from core.temporal.retries import LOCAL_RETRY


@workflow.defn(name=RECORD_FEEDBACK)
class RecordFeedbackWorkflow:
    @workflow.run
    async def run(self, event: FeedbackEvent) -> FeedbackEventResult:
        return await workflow.execute_activity_method(
            FeedbackActivities.record_feedback_event,
            event,
            start_to_close_timeout=timedelta(minutes=1),
            retry_policy=LOCAL_RETRY,
        )
