"""Which workflows and activities each task queue serves: one entry per queue kind."""

from __future__ import annotations

from collections.abc import Callable

from core.contracts import QueueKind
from workers.base import QueueRegistration, WorkerDeps


def _reviews(deps: WorkerDeps) -> QueueRegistration:
    from activities.knowledge import KnowledgeActivities
    from activities.review_analysis import AnalysisActivities
    from activities.review_context import ReviewContextActivities
    from activities.review_github import PullRequestActivities
    from activities.review_llm import LlmReviewActivities
    from activities.review_record import ReviewRecordActivities
    from workflows.knowledge import AskKnowledgeWorkflow
    from workflows.review import ReviewPullRequestWorkflow

    providers = deps.extras.get("review_providers")  # tests may stand in for GitHub
    pull_requests = PullRequestActivities(deps.settings, deps.pool, providers)
    context = ReviewContextActivities(deps.settings, deps.pool, providers)
    knowledge = KnowledgeActivities(deps.settings, deps.pool, deps.extras.get("embedder"))
    return QueueRegistration(
        [ReviewPullRequestWorkflow, AskKnowledgeWorkflow],
        [
            knowledge.retrieve_knowledge_evidence,
            knowledge.answer_knowledge_question,
            pull_requests.fetch_pull_request,
            pull_requests.post_review,
            context.load_review_context,
            AnalysisActivities().analyze_changes,
            LlmReviewActivities(deps.settings, deps.pool).generate_llm_review,
            ReviewRecordActivities(deps.pool).record_review,
        ],
    )


def _indexing(deps: WorkerDeps) -> QueueRegistration:
    from activities.discovery import DiscoveryActivities
    from activities.indexing import IndexingActivities
    from workflows.discovery import DiscoverReposWorkflow, RegisterRepoWorkflow
    from workflows.indexing import IndexRepoWorkflow

    indexing = IndexingActivities(deps)  # extras: "embedder" (a test's), "github_factory"
    discovery = DiscoveryActivities(deps)
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

    options = deps.extras.get("investigation_options")  # tests shorten heartbeats, swap prompt sets
    activities = InvestigationActivities(deps.pool, deps.settings, options)
    return QueueRegistration([InvestigateRepoWorkflow, InvestigateReposWorkflow], activities.all())


def _sync(deps: WorkerDeps) -> QueueRegistration:
    from activities.activity_sync import ActivitySyncActivities
    from workers.sync import sync_registration
    from workflows.activity_sync import SyncGithubActivityWorkflow

    activity_sync = ActivitySyncActivities(deps)
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
