"""Which workflows and activities each task queue serves: one entry per queue kind."""

from __future__ import annotations

from collections.abc import Callable

from contracts.common import QueueKind
from workers.base import QueueRegistration, WorkerDeps, embedder_for


def _reviews(deps: WorkerDeps) -> QueueRegistration:
    from activities.review_analysis import AnalysisActivities
    from activities.review_context import ReviewContextActivities
    from activities.review_feedback import FeedbackActivities
    from activities.review_github import PullRequestActivities
    from activities.review_llm import LlmReviewActivities
    from activities.review_record import ReviewRecordActivities
    from activities.review_verify import VerifyActivities
    from workflows.feedback import RecordFeedbackWorkflow
    from workflows.review import ReviewPullRequestWorkflow

    pull_requests = PullRequestActivities(deps.settings, deps.pool, deps.review_providers)
    context = ReviewContextActivities(deps.settings, deps.pool, deps.review_providers)
    llm = LlmReviewActivities(deps.settings, deps.pool)
    feedback = FeedbackActivities(deps.settings, deps.pool, deps.review_providers)
    return QueueRegistration(
        [ReviewPullRequestWorkflow, RecordFeedbackWorkflow],
        [
            pull_requests.fetch_pull_request,
            pull_requests.post_review,
            context.load_review_context,
            AnalysisActivities().analyze_changes,
            llm.plan_llm_review,
            llm.generate_llm_review,
            VerifyActivities(deps.settings, deps.pool, deps.review_providers).verify_llm_review,
            feedback.collect_feedback,
            feedback.record_feedback_event,
            ReviewRecordActivities(deps.pool).record_review,
        ],
    )


def _indexing(deps: WorkerDeps) -> QueueRegistration:
    from activities.discovery import DiscoveryActivities
    from activities.indexing import IndexingActivities
    from workflows.discovery import DiscoverReposWorkflow, RegisterRepoWorkflow
    from workflows.indexing import IndexRepoWorkflow

    indexing = IndexingActivities(deps.settings, deps.pool, embedder=embedder_for(deps))
    discovery = DiscoveryActivities(deps.settings, deps.pool)
    return QueueRegistration(
        [IndexRepoWorkflow, DiscoverReposWorkflow, RegisterRepoWorkflow],
        [
            indexing.plan_index,
            indexing.index_files,
            discovery.list_org_repositories,
            discovery.register_repository,
        ],
    )


def _investigations(deps: WorkerDeps) -> QueueRegistration:
    from activities.investigation import InvestigationActivities
    from workflows.investigation import InvestigateReposWorkflow, InvestigateRepoWorkflow

    activities = InvestigationActivities(deps.settings, deps.pool, options=deps.investigation_options)
    return QueueRegistration([InvestigateRepoWorkflow, InvestigateReposWorkflow], activities.all())


def _sync(deps: WorkerDeps) -> QueueRegistration:
    from activities.activity_sync import ActivitySyncActivities
    from workers.sync import sync_registration
    from workflows.activity_sync import SyncGithubActivityWorkflow

    activity_sync = ActivitySyncActivities(deps.settings, deps.pool)
    jira_packages_reconcile = sync_registration(deps)
    return QueueRegistration(
        [SyncGithubActivityWorkflow, *jira_packages_reconcile.workflows],
        [activity_sync.record_commits, activity_sync.sync_github_history, *jira_packages_reconcile.activities],
    )


REGISTRATIONS: dict[QueueKind, Callable[[WorkerDeps], QueueRegistration]] = {
    "reviews": _reviews,
    "indexing": _indexing,
    "investigations": _investigations,
    "sync": _sync,
}
