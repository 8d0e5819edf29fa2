"""The sync queue's Jira, package and Reconcile registrations (`workers.registry._sync` adds them)."""

from __future__ import annotations

from activities.reconcile import ReconcileActivities
from activities.review_feedback import FeedbackActivities
from activities.sync_jira import JiraSyncActivities
from activities.sync_packages import PackageSyncActivities
from workers.base import QueueRegistration, WorkerDeps, embedder_for
from workflows.reconcile import ReconcileWorkflow
from workflows.sync_jira import SyncJiraProjectWorkflow, SyncJiraWorkflow
from workflows.sync_packages import SyncPackagesWorkflow


def sync_registration(deps: WorkerDeps) -> QueueRegistration:
    """SyncJira, SyncJiraProject, SyncPackages and Reconcile with their activities."""
    jira = JiraSyncActivities(deps.settings, deps.pool, embedder=embedder_for(deps))
    packages = PackageSyncActivities(deps.settings, deps.pool)
    reconcile = ReconcileActivities(deps.settings, deps.pool)
    feedback = FeedbackActivities(deps.settings, deps.pool, deps.review_providers)
    return QueueRegistration(
        [SyncJiraWorkflow, SyncJiraProjectWorkflow, SyncPackagesWorkflow, ReconcileWorkflow],
        [
            jira.sync_jira_ticket,
            jira.sync_jira_project,
            packages.sync_npm_packages,
            reconcile.plan_reconcile,
            reconcile.check_repository_heads,
            reconcile.replay_deliveries,
            feedback.refresh_feedback,
        ],
    )
