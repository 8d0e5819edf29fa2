"""Planned workflow starts: one builder per workflow, each returning a `WorkflowStart` as plain data.

Webhook routing, the admin API, the CLI, Reconcile and the schedules all decide *what* to start
through these builders, so a workflow's id, input, signal and conflict policy are written once and
deciding is testable without Temporal. Carrying a plan out on a Temporal client is
`core.temporal.client.start_workflow`; a workflow starting a child reads the same plan. Plain data:
nothing here imports Temporal (`core.temporal.search_attributes` turns a plan into the SDK's types).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from contracts.autofix import AutoFixPRInput, AutofixRequest, autofix_workflow_id
from contracts.commands import (
    AskInput,
    CommandInput,
    CommandRequest,
    ask_workflow_id,
    describe_workflow_id,
    help_workflow_id,
    improve_workflow_id,
)
from contracts.common import (
    ASK_KNOWLEDGE,
    ASK_PR,
    AUTOFIX_PR,
    DESCRIBE_PR,
    DISCOVER_REPOS,
    HELP_PR,
    IMPROVE_PR,
    INDEX_REPO,
    INVESTIGATE_ALL,
    INVESTIGATE_REPO,
    RECONCILE,
    RECORD_FEEDBACK,
    REGISTER_REPO,
    RENAME_REPO,
    REVIEW_PR,
    SYNC_GITHUB_ACTIVITY,
    SYNC_JIRA,
    SYNC_JIRA_PROJECT,
    SYNC_PACKAGES,
    UPDATE_REPO_ACCESS,
    NewCommit,
    Trigger,
)
from contracts.discovery import DiscoverReposInput, RegisterRepoInput, discover_workflow_id, register_workflow_id
from contracts.feedback import FeedbackEvent, record_feedback_workflow_id
from contracts.indexing import IndexRepoInput, index_workflow_id
from contracts.investigation import (
    InvestigateRepoInput,
    InvestigateReposInput,
    investigate_all_workflow_id,
    investigate_workflow_id,
)
from contracts.knowledge import AskKnowledgeInput, clean_question, knowledge_workflow_id
from contracts.lifecycle import (
    RENAMED_SIGNAL,
    RenameRepoInput,
    RepoRename,
    UpdateRepoAccessInput,
    access_workflow_id,
    rename_workflow_id,
)
from contracts.reconcile import ReconcileInput
from contracts.review import NewHead, PullRequestRef, ReviewPullRequestInput, review_workflow_id
from contracts.sync import (
    SyncGithubActivityInput,
    SyncJiraInput,
    SyncJiraProjectInput,
    SyncPackagesInput,
    activity_workflow_id,
    full_sync_id,
    sync_jira_project_workflow_id,
    sync_jira_workflow_id,
    sync_packages_workflow_id,
)

OnConflict = Literal["use_existing", "terminate_existing", "fail"]
# A command is answered within minutes or not at all; a run stuck past this is failed, visibly.
COMMAND_TIMEOUT = timedelta(minutes=30)
DRY_RUN_SUFFIX = ":dry-run"  # a dry run never shares a workflow with a run that posts
JiraEventKind = Literal["created", "updated", "deleted", "refresh"]


@dataclass(frozen=True, kw_only=True)
class WorkflowStart:
    """Start `workflow` as `workflow_id`; with `signal`, signal the running one or start it (signal-with-start)."""

    workflow: str
    workflow_id: str
    input: Any
    signal: str | None = None
    signal_arg: Any = None
    on_conflict: OnConflict = "use_existing"
    repository: str | None = None
    pr_number: int | None = None
    trigger: str | None = None
    execution_timeout: timedelta | None = None
    memo: dict[str, Any] = field(default_factory=dict)


# --- reviews ----------------------------------------------------------------------------------------


def review_pr_start(
    *,
    repository: str,
    number: int,
    trigger: Trigger,
    head_sha: str | None = None,
    force: bool = False,
    delivery_id: str | None = None,
    full: bool = False,
    dry_run: bool = False,
) -> WorkflowStart:
    """ReviewPR by signal-with-start on the PR's one workflow id: the newest head wins.

    `full` asks for a whole review even when an earlier head was reviewed (`/review full`);
    `dry_run` renders the review without posting it, in a workflow of its own."""
    ref = PullRequestRef(repository=repository, number=number)
    head = NewHead(head_sha=head_sha or "", trigger=trigger, force=force, delivery_id=delivery_id, full=full)
    request = ReviewPullRequestInput(
        pr=ref, head_sha=head_sha, trigger=trigger, force=force, delivery_id=delivery_id, full=full, dry_run=dry_run
    )
    return WorkflowStart(
        workflow=REVIEW_PR,
        workflow_id=review_workflow_id(repository, number) + (DRY_RUN_SUFFIX if dry_run else ""),
        input=request,
        signal="new_head",
        signal_arg=head,
        repository=repository,
        pr_number=number,
        trigger=trigger,
    )


def autofix_pr_start(request: AutofixRequest) -> WorkflowStart:
    """AutoFixPR by signal-with-start on the PR's one workflow id: requests queue up and run one at a
    time, so two fixes of one pull request never race for its branch."""
    return WorkflowStart(
        workflow=AUTOFIX_PR,
        workflow_id=autofix_workflow_id(request.repository, request.number),
        input=AutoFixPRInput(repository=request.repository, number=request.number),
        signal="request",
        signal_arg=request,
        repository=request.repository,
        pr_number=request.number,
        trigger="comment" if request.trigger != "link" else "link",
    )


# --- the Knowledge Assistant -------------------------------------------------------------------------

# A question is answered in seconds to a minute; a run that takes longer than this is stuck.
ASK_KNOWLEDGE_TIMEOUT = timedelta(minutes=15)


def ask_knowledge_start(
    *, question: str, asked_by: str, trigger: Trigger, asked_at: str | None = None
) -> WorkflowStart:
    """AskKnowledge for one question about the organisation; every ask is a new run (the id hashes the
    question and `asked_at`, stamped now when not given). An empty or too long question raises
    QuestionRejected (a ValueError) with the reason."""
    cleaned = clean_question(question)
    stamp = asked_at or datetime.now(UTC).isoformat()
    return WorkflowStart(
        workflow=ASK_KNOWLEDGE,
        workflow_id=knowledge_workflow_id(cleaned, stamp),
        input=AskKnowledgeInput(question=cleaned, asked_by=asked_by, asked_at=stamp, trigger=trigger),
        trigger=trigger,
        execution_timeout=ASK_KNOWLEDGE_TIMEOUT,
    )


# --- pull-request commands -----------------------------------------------------------------------------


def improve_pr_start(*, repository: str, number: int, request: CommandRequest, dry_run: bool = False) -> WorkflowStart:
    """ImprovePR by signal-with-start (`command`): a burst of /improve on one pull request runs once."""
    return _per_pr_command(IMPROVE_PR, improve_workflow_id(repository, number), repository, number, request, dry_run)


def describe_pr_start(*, repository: str, number: int, request: CommandRequest, dry_run: bool = False) -> WorkflowStart:
    """DescribePR by signal-with-start (`command`): a burst of /describe on one pull request runs once."""
    workflow_id = describe_workflow_id(repository, number)
    return _per_pr_command(DESCRIBE_PR, workflow_id, repository, number, request, dry_run)


def ask_pr_start(
    *, repository: str, number: int, request: CommandRequest, question: str, dry_run: bool = False
) -> WorkflowStart:
    """AskPR for one question: its asking comment's workflow (a repeat start finds the running one)."""
    ref = PullRequestRef(repository=repository, number=number)
    workflow_id = ask_workflow_id(repository, number, request.comment_id, question)
    return WorkflowStart(
        workflow=ASK_PR,
        workflow_id=workflow_id + (DRY_RUN_SUFFIX if dry_run else ""),
        input=AskInput(pr=ref, request=request, question=question, dry_run=dry_run),
        repository=repository,
        pr_number=number,
        trigger=request.trigger,
        execution_timeout=COMMAND_TIMEOUT,
    )


def help_pr_start(*, repository: str, number: int, request: CommandRequest, dry_run: bool = False) -> WorkflowStart:
    """HelpPR: one reply to one /help comment."""
    ref = PullRequestRef(repository=repository, number=number)
    return WorkflowStart(
        workflow=HELP_PR,
        workflow_id=help_workflow_id(repository, number, request.comment_id) + (DRY_RUN_SUFFIX if dry_run else ""),
        input=CommandInput(pr=ref, request=request, dry_run=dry_run),
        repository=repository,
        pr_number=number,
        trigger=request.trigger,
        execution_timeout=COMMAND_TIMEOUT,
    )


def operator_command_start(
    command: str, *, repository: str, number: int, trigger: Trigger, dry_run: bool = False, question: str = ""
) -> WorkflowStart:
    """review, improve, describe or ask started by an operator (CLI, admin API): nobody commented,
    so there is no comment to answer and no permission to read."""
    if command == "review":
        return review_pr_start(repository=repository, number=number, trigger=trigger, force=True, dry_run=dry_run)
    request = CommandRequest(trigger=trigger)
    if command == "ask":
        if not question.strip():
            raise ValueError("ask needs a question")
        return ask_pr_start(repository=repository, number=number, request=request, question=question, dry_run=dry_run)
    if command == "improve":
        return improve_pr_start(repository=repository, number=number, request=request, dry_run=dry_run)
    if command == "describe":
        return describe_pr_start(repository=repository, number=number, request=request, dry_run=dry_run)
    raise ValueError(f"unknown pull-request command {command!r} (review, improve, describe, ask)")


def _per_pr_command(
    workflow: str, workflow_id: str, repository: str, number: int, request: CommandRequest, dry_run: bool
) -> WorkflowStart:
    ref = PullRequestRef(repository=repository, number=number)
    return WorkflowStart(
        workflow=workflow,
        workflow_id=workflow_id + (DRY_RUN_SUFFIX if dry_run else ""),
        input=CommandInput(pr=ref, request=request, dry_run=dry_run),
        signal="command",
        signal_arg=request,
        repository=repository,
        pr_number=number,
        trigger=request.trigger,
        execution_timeout=COMMAND_TIMEOUT,
    )


def record_feedback_start(event: FeedbackEvent, *, delivery_id: str, trigger: Trigger = "webhook") -> WorkflowStart:
    """RecordFeedback for one review-thread webhook (a resolved thread, a reply), one run per delivery."""
    return WorkflowStart(
        workflow=RECORD_FEEDBACK,
        workflow_id=record_feedback_workflow_id(event.repository, event.number, delivery_id),
        input=event,
        repository=event.repository,
        pr_number=event.number,
        trigger=trigger,
    )


# --- indexing and investigations ----------------------------------------------------------------------


def index_repo_start(
    *,
    repository: str,
    branch: str,
    trigger: Trigger,
    commit_sha: str | None = None,
    full: bool = False,
    clone_url: str | None = None,
    github_id: int | None = None,
) -> WorkflowStart:
    """IndexRepo for a branch. With a commit (a push), a running index is signalled `new_commit`
    and catches up; without one (by hand), a running index is reused."""
    request = IndexRepoInput(
        repository=repository,
        branch=branch,
        commit_sha=commit_sha,
        full=full,
        trigger=trigger,
        clone_url=clone_url,
        github_id=github_id,
    )
    return WorkflowStart(
        workflow=INDEX_REPO,
        workflow_id=index_workflow_id(repository, branch),
        input=request,
        signal="new_commit" if commit_sha is not None else None,
        signal_arg=NewCommit(commit_sha=commit_sha) if commit_sha is not None else None,
        repository=repository,
        trigger=trigger,
    )


def investigate_repo_start(
    *,
    repository: str,
    branch: str,
    trigger: Trigger,
    commit_sha: str | None = None,
    force: bool = False,
    clone_url: str | None = None,
) -> WorkflowStart:
    """InvestigateRepo for a branch; like IndexRepo, a commit signals a running one `new_commit`."""
    request = InvestigateRepoInput(
        repository=repository, branch=branch, commit_sha=commit_sha, force=force, trigger=trigger, clone_url=clone_url
    )
    return WorkflowStart(
        workflow=INVESTIGATE_REPO,
        workflow_id=investigate_workflow_id(repository, branch),
        input=request,
        signal="new_commit" if commit_sha is not None else None,
        signal_arg=NewCommit(commit_sha=commit_sha) if commit_sha is not None else None,
        repository=repository,
        trigger=trigger,
    )


def main_branch_starts(
    *,
    repository: str,
    branch: str,
    commit_sha: str,
    clone_url: str | None,
    trigger: Trigger,
    github_id: int | None = None,
) -> list[WorkflowStart]:
    """IndexRepo and InvestigateRepo for a new main-branch commit; bursts coalesce in each run."""
    return [
        index_repo_start(
            repository=repository,
            branch=branch,
            commit_sha=commit_sha,
            clone_url=clone_url,
            trigger=trigger,
            github_id=github_id,
        ),
        investigate_repo_start(
            repository=repository, branch=branch, commit_sha=commit_sha, clone_url=clone_url, trigger=trigger
        ),
    ]


def investigate_all_start(
    repositories: list[str], concurrency: int = 4, force: bool = False, trigger: Trigger = "admin"
) -> WorkflowStart:
    """The plan that starts (or finds) the InvestigateRepos fan-out: for the CLI and the admin API."""
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    return WorkflowStart(
        workflow=INVESTIGATE_ALL,
        workflow_id=investigate_all_workflow_id(repositories),
        input=InvestigateReposInput(
            repositories=list(repositories), concurrency=concurrency, force=force, trigger=trigger
        ),
        trigger=trigger,
    )


def discover_repos_start(*, org: str, trigger: Trigger) -> WorkflowStart:
    """DiscoverRepos for an organisation (a running discovery is reused)."""
    return WorkflowStart(
        workflow=DISCOVER_REPOS,
        workflow_id=discover_workflow_id(org),
        input=DiscoverReposInput(org=org, trigger=trigger),
        trigger=trigger,
    )


def register_repo_start(
    *,
    repository: str,
    trigger: Trigger,
    investigate: bool = True,
    installation_id: int | None = None,
    reactivate: bool = False,
) -> WorkflowStart:
    """RegisterRepo for a new repository; it indexes (and investigates) what it registers.
    `reactivate`: the repository was given (back) to the App, which works on it again."""
    request = RegisterRepoInput(
        repository=repository,
        investigate=investigate,
        trigger=trigger,
        installation_id=installation_id,
        reactivate=reactivate,
    )
    return WorkflowStart(
        workflow=REGISTER_REPO,
        workflow_id=register_workflow_id(repository),
        input=request,
        repository=repository,
        trigger=trigger,
    )


# --- the App's life cycle -------------------------------------------------------------------------------


def rename_repo_start(*, rename: RepoRename, trigger: Trigger) -> WorkflowStart:
    """RenameRepo by signal-with-start on the repository's GitHub id: renames apply in the order sent."""
    return WorkflowStart(
        workflow=RENAME_REPO,
        workflow_id=rename_workflow_id(rename.github_id),
        input=RenameRepoInput(github_id=rename.github_id, trigger=trigger),
        signal=RENAMED_SIGNAL,
        signal_arg=rename,
        repository=rename.new_full_name,
        trigger=trigger,
    )


def update_repo_access_start(*, key: str, request: UpdateRepoAccessInput) -> WorkflowStart:
    """UpdateRepoAccess as `access:{key}` (the delivery id: a replayed delivery finds its own run)."""
    only = request.repositories[0].full_name if len(request.repositories) == 1 else None
    return WorkflowStart(
        workflow=UPDATE_REPO_ACCESS,
        workflow_id=access_workflow_id(key),
        input=request,
        repository=only,
        trigger=request.trigger,
    )


# --- sync ---------------------------------------------------------------------------------------------


def sync_jira_start(
    *, ticket_key: str, event: JiraEventKind, trigger: Trigger, issue: dict[str, Any] | None = None
) -> WorkflowStart:
    """SyncJira for one ticket; a newer event terminates the running one (newest state wins)."""
    return WorkflowStart(
        workflow=SYNC_JIRA,
        workflow_id=sync_jira_workflow_id(ticket_key),
        input=SyncJiraInput(ticket_key=ticket_key, event=event, issue=issue, trigger=trigger),
        on_conflict="terminate_existing",
        trigger=trigger,
    )


def sync_jira_project_start(*, project_key: str, trigger: Trigger, full: bool = False) -> WorkflowStart:
    """SyncJiraProject: a project's tickets changed since the last sync (or all, when full)."""
    return WorkflowStart(
        workflow=SYNC_JIRA_PROJECT,
        workflow_id=sync_jira_project_workflow_id(project_key),
        input=SyncJiraProjectInput(project_key=project_key, full=full, trigger=trigger),
        trigger=trigger,
    )


def sync_packages_start(
    *,
    org: str | None,
    trigger: Trigger,
    package: str | None = None,
    version: str | None = None,
    repository: str | None = None,
    newest_wins: bool = False,
) -> WorkflowStart:
    """SyncPackages for one package, or (no package) the organisation's full sync. `newest_wins`
    terminates a running sync of the package: a webhook's newer version replaces an older one's."""
    if package is None and org is None:
        raise ValueError("a full package sync needs the organisation")
    workflow_id = sync_packages_workflow_id(package) if package else full_sync_id(org or "")
    return WorkflowStart(
        workflow=SYNC_PACKAGES,
        workflow_id=workflow_id,
        input=SyncPackagesInput(package=package, version=version, org=org, trigger=trigger),
        on_conflict="terminate_existing" if newest_wins else "use_existing",
        repository=repository,
        trigger=trigger,
    )


def sync_github_activity_start(
    *, repository: str, trigger: Trigger, days: int = 0, commits: list[dict[str, Any]] | None = None
) -> WorkflowStart:
    """SyncGithubActivity. Pushed `commits` are signalled (`record_commits`) to the running one or
    start it; without them it reads the last `days` days of history."""
    request = SyncGithubActivityInput(repository=repository, days=days, trigger=trigger)
    return WorkflowStart(
        workflow=SYNC_GITHUB_ACTIVITY,
        workflow_id=activity_workflow_id(repository),
        input=request,
        signal="record_commits" if commits is not None else None,
        signal_arg=commits,
        repository=repository,
        trigger=trigger,
    )


def reconcile_start(
    workflow_id: str, request: ReconcileInput, *, on_conflict: OnConflict = "use_existing"
) -> WorkflowStart:
    """Reconcile as `workflow_id` (the schedule's, the CLI's fixed one, or an admin's fresh one)."""
    return WorkflowStart(
        workflow=RECONCILE, workflow_id=workflow_id, input=request, on_conflict=on_conflict, trigger=request.trigger
    )
