"""What each webhook event starts (DESIGN.md, Workflows table), decided as data.

`route_github` / `route_jira` return a `Routed` with the planned starts, or with a reason why the
event is ignored. A payload whose shape is wrong raises `InvalidPayload` (the API answers 400).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from contracts.common import (
    INDEX_REPO,
    INVESTIGATE_REPO,
    REGISTER_REPO,
    REVIEW_PR,
    SYNC_GITHUB_ACTIVITY,
    SYNC_JIRA,
    SYNC_PACKAGES,
    IndexRepoInput,
    InvestigateRepoInput,
    NewCommit,
    NewHead,
    PullRequestRef,
    RegisterRepoInput,
    ReviewPullRequestInput,
    SyncGithubActivityInput,
    SyncJiraInput,
    SyncPackagesInput,
    activity_workflow_id,
    index_workflow_id,
    investigate_workflow_id,
    register_workflow_id,
    review_workflow_id,
    sync_jira_workflow_id,
    sync_packages_workflow_id,
)
from contracts.starts import WorkflowStart
from domain.webhooks.events import (
    IssueCommentEvent,
    JiraEvent,
    PackageEvent,
    PullRequestEvent,
    PushEvent,
    RepositoryEvent,
)

REVIEWED_PR_ACTIONS = frozenset({"opened", "synchronize", "reopened", "ready_for_review"})
REVIEW_COMMAND = "/review"
_NULL_SHA = "0" * 40
_Shape = TypeVar("_Shape", bound=BaseModel)


class InvalidPayload(ValueError):
    """The body is JSON but not the event's shape; the message says what is wrong."""


@dataclass(frozen=True)
class RoutingConfig:
    main_branches: tuple[str, ...] = ("main", "master")


@dataclass
class Routed:
    action: str | None = None
    repository: str | None = None
    starts: list[WorkflowStart] = field(default_factory=list)
    ignored_reason: str | None = None

    @property
    def ignored(self) -> bool:
        return not self.starts


def parse(shape: type[_Shape], payload: Any) -> _Shape:
    try:
        return shape.model_validate(payload)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in error.errors()[:5])
        raise InvalidPayload(f"not a valid {shape.__name__} payload: {problems}") from None


def route_github(event: str, payload: Any, config: RoutingConfig, delivery_id: str) -> Routed:
    if not isinstance(payload, dict):
        raise InvalidPayload("the body must be a JSON object")
    router = _GITHUB_ROUTERS.get(event)
    if router is None:
        return Routed(action=payload.get("action"), ignored_reason=f"event {event!r} is not handled")
    return router(payload, config, delivery_id)


def _pull_request(payload: Any, config: RoutingConfig, delivery_id: str) -> Routed:
    event = parse(PullRequestEvent, payload)
    repo, pr = event.repository.full_name, event.pull_request
    routed = Routed(action=event.action, repository=repo)
    if event.action not in REVIEWED_PR_ACTIONS:
        routed.ignored_reason = f"pull_request action {event.action!r} does not start a review"
    elif pr.draft:
        routed.ignored_reason = "draft pull requests are reviewed when marked ready for review"
    elif pr.state != "open":
        routed.ignored_reason = f"pull request is {pr.state}"
    else:
        routed.starts.append(review_start(repo, event.number, pr.head.sha, "webhook", False, delivery_id))
    return routed


def review_start(
    repository: str, number: int, head_sha: str | None, trigger: Any, force: bool, delivery_id: str | None
) -> WorkflowStart:
    """ReviewPR by signal-with-start on the PR's one workflow id: the newest head wins."""
    ref = PullRequestRef(repository=repository, number=number)
    return WorkflowStart(
        workflow=REVIEW_PR,
        workflow_id=review_workflow_id(repository, number),
        input=ReviewPullRequestInput(ref, head_sha, trigger, force, delivery_id),
        signal="new_head",
        signal_arg=NewHead(head_sha or "", trigger, force, delivery_id),
        repository=repository,
        pr_number=number,
        trigger=trigger,
    )


def _issue_comment(payload: Any, config: RoutingConfig, delivery_id: str) -> Routed:
    event = parse(IssueCommentEvent, payload)
    repo = event.repository.full_name
    routed = Routed(action=event.action, repository=repo)
    command = event.comment.body.strip().split(maxsplit=1)[0] if event.comment.body.strip() else ""
    if event.action != "created":
        routed.ignored_reason = f"issue_comment action {event.action!r} is not a command"
    elif event.issue.pull_request is None:
        routed.ignored_reason = "comment is on an issue, not a pull request"
    elif command != REVIEW_COMMAND:
        routed.ignored_reason = f"{command or 'the comment'!r} is not a command we know (try /review)"
    else:
        routed.starts.append(review_start(repo, event.issue.number, None, "comment", True, delivery_id))
    return routed


def _push(payload: Any, config: RoutingConfig, delivery_id: str) -> Routed:
    event = parse(PushEvent, payload)
    repo = event.repository.full_name
    routed = Routed(action=None, repository=repo)
    branch = event.ref.removeprefix("refs/heads/")
    if not event.ref.startswith("refs/heads/"):
        routed.ignored_reason = f"{event.ref} is not a branch"
    elif event.deleted or event.after == _NULL_SHA:
        routed.ignored_reason = f"branch {branch} was deleted"
    elif branch not in config.main_branches:
        routed.ignored_reason = f"branch {branch} is not a main branch ({', '.join(config.main_branches)})"
    else:
        routed.starts.extend(main_branch_starts(repo, branch, event.after, event.repository.clone_url, "webhook"))
        routed.starts.append(_activity_start(repo, branch, event.commits))
    return routed


def main_branch_starts(
    repository: str, branch: str, commit: str, clone_url: str | None, trigger: Any
) -> list[WorkflowStart]:
    """IndexRepo and InvestigateRepo for a new main-branch commit; bursts coalesce in each run."""
    common = {"signal": "new_commit", "signal_arg": NewCommit(commit), "repository": repository, "trigger": trigger}
    return [
        WorkflowStart(
            workflow=INDEX_REPO,
            workflow_id=index_workflow_id(repository, branch),
            input=IndexRepoInput(repository, branch, commit, False, trigger, clone_url),
            **common,
        ),
        WorkflowStart(
            workflow=INVESTIGATE_REPO,
            workflow_id=investigate_workflow_id(repository, branch),
            input=InvestigateRepoInput(repository, branch, commit, False, trigger, clone_url),
            **common,
        ),
    ]


def _activity_start(repository: str, branch: str, commits: list[dict[str, Any]]) -> WorkflowStart:
    recorded = [
        {
            "sha": c.get("id"),
            "message": c.get("message"),
            "author": (c.get("author") or {}).get("username") or (c.get("author") or {}).get("name"),
            "timestamp": c.get("timestamp"),
            "url": c.get("url"),
            "branch": branch,
        }
        for c in commits
        if c.get("id")
    ]
    return WorkflowStart(
        workflow=SYNC_GITHUB_ACTIVITY,
        workflow_id=activity_workflow_id(repository),
        input=SyncGithubActivityInput(repository, days=0, trigger="webhook"),
        signal="record_commits",
        signal_arg=recorded,
        repository=repository,
        trigger="webhook",
    )


def _repository(payload: Any, config: RoutingConfig, delivery_id: str) -> Routed:
    event = parse(RepositoryEvent, payload)
    repo = event.repository.full_name
    routed = Routed(action=event.action, repository=repo)
    if event.action != "created":
        routed.ignored_reason = f"repository action {event.action!r} needs no work (Reconcile catches up)"
        return routed
    routed.starts.append(
        WorkflowStart(
            workflow=REGISTER_REPO,
            workflow_id=register_workflow_id(repo),
            input=RegisterRepoInput(repo, investigate=True, trigger="webhook"),
            repository=repo,
            trigger="webhook",
        )
    )
    return routed


def _package(payload: Any, config: RoutingConfig, delivery_id: str) -> Routed:
    event = parse(PackageEvent, payload)
    package = event.package or event.registry_package
    repo = event.repository.full_name if event.repository else None
    routed = Routed(action=event.action, repository=repo)
    if package is None:
        raise InvalidPayload("not a valid PackageEvent payload: package: missing")
    kind = (package.package_type or "").lower()
    if event.action != "published":
        routed.ignored_reason = f"package action {event.action!r} needs no work"
    elif kind != "npm":
        routed.ignored_reason = f"package type {package.package_type!r} is not tracked (only npm)"
    else:
        version = package.package_version.version if package.package_version else None
        org = repo.split("/", 1)[0] if repo else None
        routed.starts.append(
            WorkflowStart(
                workflow=SYNC_PACKAGES,
                workflow_id=sync_packages_workflow_id(package.name),
                input=SyncPackagesInput(package.name, version, org, "webhook"),
                on_conflict="terminate_existing",  # newest version wins; the sync is an idempotent upsert
                repository=repo,
                trigger="webhook",
            )
        )
    return routed


def _ping(payload: Any, config: RoutingConfig, delivery_id: str) -> Routed:
    repo = (payload.get("repository") or {}).get("full_name")
    return Routed(repository=repo, ignored_reason="ping: the webhook is configured")


_GITHUB_ROUTERS: dict[str, Callable[[Any, RoutingConfig, str], Routed]] = {
    "pull_request": _pull_request,
    "issue_comment": _issue_comment,
    "push": _push,
    "repository": _repository,
    "package": _package,
    "registry_package": _package,
    "ping": _ping,
}

JIRA_EVENTS = {"jira:issue_created": "created", "jira:issue_updated": "updated", "jira:issue_deleted": "deleted"}


def route_jira(payload: Any) -> Routed:
    if not isinstance(payload, dict):
        raise InvalidPayload("the body must be a JSON object")
    event = parse(JiraEvent, payload)
    kind = JIRA_EVENTS.get(event.webhookEvent)
    if kind is None:
        return Routed(action=event.webhookEvent, ignored_reason=f"Jira event {event.webhookEvent!r} is not handled")
    if event.issue is None:
        raise InvalidPayload(f"not a valid JiraEvent payload: issue: required for {event.webhookEvent}")
    key = event.issue.key
    start = WorkflowStart(
        workflow=SYNC_JIRA,
        workflow_id=sync_jira_workflow_id(key),
        input=SyncJiraInput(key, kind, payload["issue"], "webhook"),  # type: ignore[arg-type]
        on_conflict="terminate_existing",  # newest state wins
        trigger="webhook",
    )
    return Routed(action=event.webhookEvent, starts=[start])
