"""Which workflows and activities each task queue serves: one entry per queue kind."""

from __future__ import annotations

from collections.abc import Callable

from contracts.common import QueueKind
from workers.base import QueueRegistration, WorkerDeps, embedder_for


def _reviews(deps: WorkerDeps) -> QueueRegistration:
    from activities.autofix_edits import AutofixEditActivities
    from activities.autofix_push import AutofixPushActivities
    from activities.autofix_reply import AutofixReplyActivities
    from activities.autofix_target import AutofixTargetActivities
    from activities.knowledge import KnowledgeActivities
    from activities.review_analysis import AnalysisActivities
    from activities.review_context import ReviewContextActivities
    from activities.review_feedback import FeedbackActivities
    from activities.review_github import PullRequestActivities
    from activities.review_llm import LlmReviewActivities
    from activities.review_record import ReviewRecordActivities
    from activities.review_verify import VerifyActivities
    from workflows.autofix import AutoFixPRWorkflow
    from workflows.feedback import RecordFeedbackWorkflow
    from workflows.knowledge import AskKnowledgeWorkflow
    from workflows.review import ReviewPullRequestWorkflow

    pull_requests = PullRequestActivities(deps.settings, deps.pool, deps.review_providers)
    context = ReviewContextActivities(deps.settings, deps.pool, deps.review_providers)
    llm = LlmReviewActivities(deps.settings, deps.pool)
    knowledge = KnowledgeActivities(deps.settings, deps.pool, embedder=embedder_for(deps))
    commands = _commands(deps)
    target = AutofixTargetActivities(deps.settings, deps.pool)
    edits = AutofixEditActivities(deps.settings, deps.pool)
    replies = AutofixReplyActivities(deps.settings, deps.pool)
    feedback = FeedbackActivities(deps.settings, deps.pool, deps.review_providers)
    return QueueRegistration(
        [
            ReviewPullRequestWorkflow,
            AskKnowledgeWorkflow,
            AutoFixPRWorkflow,
            RecordFeedbackWorkflow,
            *commands.workflows,
        ],
        [
            knowledge.retrieve_knowledge_evidence,
            knowledge.answer_knowledge_question,
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
            target.load_autofix_target,
            target.prepare_autofix_workspace,
            edits.produce_autofix_edit,
            edits.check_autofix_edits,
            AutofixPushActivities(deps.settings).push_autofix_commit,
            replies.reply_autofix,
            replies.record_autofix,
            *commands.activities,
        ],
    )


def _commands(deps: WorkerDeps) -> QueueRegistration:
    """The pull-request commands (/improve, /ask, /describe, /help): on the reviews queue, sharing
    ReviewPR's fetch, context and analysis activities."""
    from activities.ask import AskActivities
    from activities.commands import CommandActivities
    from activities.describe import DescribeActivities
    from activities.improve import ImproveActivities
    from workflows.ask import AskPullRequestWorkflow
    from workflows.describe import DescribePullRequestWorkflow
    from workflows.help import HelpWorkflow
    from workflows.improve import ImprovePullRequestWorkflow

    args = (deps.settings, deps.pool, deps.review_providers)
    commands, improve = CommandActivities(*args), ImproveActivities(*args)
    describe, ask = DescribeActivities(*args), AskActivities(*args)
    return QueueRegistration(
        [ImprovePullRequestWorkflow, DescribePullRequestWorkflow, AskPullRequestWorkflow, HelpWorkflow],
        [
            commands.admit_command,
            commands.reply_to_command,
            commands.find_command_reply,
            commands.help_text,
            commands.record_command,
            improve.generate_improvements,
            improve.post_improvements,
            describe.generate_description,
            describe.write_description,
            ask.gather_ask_evidence,
            ask.answer_question,
        ],
    )


def _indexing(deps: WorkerDeps) -> QueueRegistration:
    from activities.discovery import DiscoveryActivities
    from activities.impact_facts import ImpactFactsActivities
    from activities.indexing import IndexingActivities
    from activities.lifecycle import LifecycleActivities
    from workflows.discovery import DiscoverReposWorkflow, RegisterRepoWorkflow
    from workflows.indexing import IndexRepoWorkflow
    from workflows.lifecycle import RenameRepoWorkflow, UpdateRepoAccessWorkflow

    indexing = IndexingActivities(deps.settings, deps.pool, embedder=embedder_for(deps))
    impact_facts = ImpactFactsActivities(deps.pool, clones=indexing.clones)
    discovery = DiscoveryActivities(deps.settings, deps.pool)
    lifecycle = LifecycleActivities(deps.settings, deps.pool)
    return QueueRegistration(
        [IndexRepoWorkflow, DiscoverReposWorkflow, RegisterRepoWorkflow, RenameRepoWorkflow, UpdateRepoAccessWorkflow],
        [
            indexing.plan_index,
            indexing.index_files,
            impact_facts.refresh_impact_facts,
            discovery.list_org_repositories,
            discovery.register_repository,
            lifecycle.rename_repository,
            lifecycle.update_repository_access,
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
