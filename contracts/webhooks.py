"""What each webhook event starts (DESIGN.md, Workflows table), decided as data through the builders
of `contracts.starts`.

`route_github` / `route_jira` return a `Routed` with the planned starts, or with a reason why the
event is ignored. A payload whose shape is wrong raises `InvalidPayload` (the API answers 400).
The App's life-cycle events (installation, installation_repositories, repository) are routed in
`contracts.webhooks_lifecycle`; what is stored about the event's repository (`RepoStatus`) holds
back reviews and indexing of a repository that is archived or that the App no longer works on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracts.autofix_routing import autofix_command_starts
from contracts.command_routing import CommentSaid, author_of, command_start
from contracts.commands import CommandRequest
from contracts.feedback import FeedbackEvent
from contracts.lifecycle import RepoStatus
from contracts.routing import InvalidPayload, Routed, RoutingConfig, parse, repository_identity
from contracts.starts import (
    JiraEventKind,
    WorkflowStart,
    main_branch_starts,
    record_feedback_start,
    review_pr_start,
    sync_github_activity_start,
    sync_jira_start,
    sync_packages_start,
)
from contracts.webhooks_lifecycle import route_installation, route_installation_repositories, route_repository
from domain.feedback.votes import is_bot, reply_verdict
from domain.webhooks.events import (
    IssueCommentEvent,
    JiraEvent,
    PackageEvent,
    PullRequestEvent,
    PushEvent,
    ReviewCommentEvent,
    ReviewReplyEvent,
    ReviewThreadEvent,
)

__all__ = ["InvalidPayload", "Routed", "RoutingConfig", "repository_identity", "route_github", "route_jira"]

REVIEWED_PR_ACTIONS = frozenset({"opened", "synchronize", "reopened", "ready_for_review"})
# Events that review or index their repository: held back while it is archived or no longer the App's.
WORK_EVENTS = frozenset({"pull_request", "issue_comment", "pull_request_review_comment", "push"})
_NULL_SHA = "0" * 40


def route_github(
    event: str, payload: Any, config: RoutingConfig, delivery_id: str, stored: RepoStatus | None = None
) -> Routed:
    """`stored`: what is stored about the event's repository (None: not registered)."""
    if not isinstance(payload, dict):
        raise InvalidPayload("the body must be a JSON object")
    router = _GITHUB_ROUTERS.get(event)
    if router is None:
        return Routed(action=payload.get("action"), ignored_reason=f"event {event!r} is not handled")
    routed = router(payload, config, delivery_id)
    held = _held_back(payload["repository"], stored) if event in WORK_EVENTS and routed.starts else None
    if held is not None:
        routed.starts, routed.ignored_reason = [], held
    return routed


def _held_back(repository: dict[str, Any], stored: RepoStatus | None) -> str | None:
    """Why work on this repository waits. The payload's `archived` is newer than what is stored
    (an unarchived event may not have been handled yet)."""
    archived = repository.get("archived")
    if archived is True or (archived is None and stored is not None and stored.archived):
        return "the repository is archived: it is not reviewed or indexed until it is unarchived"
    if stored is not None and stored.inactive_reason:
        return f"the App no longer works on this repository: {stored.inactive_reason}"
    return None


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
        routed.starts.append(
            review_pr_start(
                repository=repo, number=event.number, head_sha=pr.head.sha, trigger="webhook", delivery_id=delivery_id
            )
        )
    return routed


def _issue_comment(payload: Any, config: RoutingConfig, delivery_id: str) -> Routed:
    autofix = autofix_command_starts("issue_comment", payload, delivery_id)
    if autofix is not None:
        return autofix
    event = parse(IssueCommentEvent, payload)
    routed = Routed(action=event.action, repository=event.repository.full_name)
    if event.issue.pull_request is None:
        routed.ignored_reason = "comment is on an issue, not a pull request"
        return routed
    comment = event.comment
    request = CommandRequest(
        trigger="comment", author=author_of(comment, event.sender), comment_id=comment.id, delivery_id=delivery_id
    )
    said = CommentSaid("issue_comment", event.action, comment, event.sender, event.changes)
    return _commanded(routed, said, event.issue.number, request, config)


def _review_comment(payload: Any, config: RoutingConfig, delivery_id: str) -> Routed:
    """A command in an inline comment: answered in its thread (an /ask there is about its line); a
    `/auto-fix` reply in a finding's thread asks for that finding's fix."""
    autofix = autofix_command_starts("pull_request_review_comment", payload, delivery_id)
    if autofix is not None:
        return autofix
    if not str((payload.get("comment") or {}).get("body") or "").lstrip().startswith("/"):
        return _review_comment_feedback(payload, config, delivery_id)  # a reply, not a command: feedback
    event = parse(ReviewCommentEvent, payload)
    routed = Routed(action=event.action, repository=event.repository.full_name)
    comment = event.comment
    request = CommandRequest(
        trigger="comment",
        author=author_of(comment, event.sender),
        comment_id=comment.id,
        review_comment=True,
        thread_root_id=comment.in_reply_to_id or comment.id,
        path=comment.path,
        line=comment.line or comment.original_line,
        delivery_id=delivery_id,
    )
    said = CommentSaid("pull_request_review_comment", event.action, comment, event.sender, event.changes)
    return _commanded(routed, said, event.pull_request.number, request, config)


def _commanded(
    routed: Routed, said: CommentSaid, number: int, request: CommandRequest, config: RoutingConfig
) -> Routed:
    bots = frozenset({config.app_login.lower(), *(login.lower() for login in config.bot_logins)})
    decided = command_start(said, routed.repository or "", number, request, bots)
    if isinstance(decided, str):
        routed.ignored_reason = decided
    else:
        routed.starts.append(decided)
    return routed


def _review_thread(payload: Any, config: RoutingConfig, delivery_id: str) -> Routed:
    """A review thread resolved (the finding it is on counts as accepted) or unresolved again."""
    event = parse(ReviewThreadEvent, payload)
    routed = Routed(action=event.action, repository=event.repository.full_name)
    if event.action not in ("resolved", "unresolved"):
        routed.ignored_reason = f"pull_request_review_thread action {event.action!r} says nothing about a finding"
        return routed
    # The thread's root comment first: it is the one that carries a finding (replies never do).
    comments = sorted(event.thread.comments, key=lambda c: c.in_reply_to_id is not None)
    feedback = FeedbackEvent(
        repository=event.repository.full_name,
        number=event.pull_request.number,
        kind="resolved" if event.action == "resolved" else "unresolved",
        comment_ids=[c.id for c in comments],
        actor=event.sender.login if event.sender else "unknown",
    )
    routed.starts.append(record_feedback_start(feedback, delivery_id=delivery_id))
    return routed


def _review_comment_feedback(payload: Any, config: RoutingConfig, delivery_id: str) -> Routed:
    """A person's reply in an inline thread: feedback on the finding the thread is about. A reply that
    is a command ("/ask ...") is the command router's, not feedback."""
    event = parse(ReviewReplyEvent, payload)
    routed = Routed(action=event.action, repository=event.repository.full_name)
    body, author = (event.comment.body or "").strip(), event.comment.user or event.sender
    if event.action != "created":
        routed.ignored_reason = f"pull_request_review_comment action {event.action!r} is not a new reply"
    elif event.comment.in_reply_to_id is None:
        routed.ignored_reason = "a new inline comment, not a reply in a thread"
    elif body.startswith("/"):
        routed.ignored_reason = "a command, not feedback"
    elif author is None:
        routed.ignored_reason = "a reply without an author is not feedback"
    elif author.type == "Bot" or is_bot(author.login):
        routed.ignored_reason = f"a reply by {author.login} (a bot) is not feedback"
    else:
        feedback = FeedbackEvent(
            repository=event.repository.full_name,
            number=event.pull_request.number,
            kind="reply",
            comment_ids=[event.comment.in_reply_to_id],
            actor=author.login if author else "unknown",
            verdict=reply_verdict(body),
        )
        routed.starts.append(record_feedback_start(feedback, delivery_id=delivery_id))
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
        routed.starts.extend(
            main_branch_starts(
                repository=repo,
                branch=branch,
                commit_sha=event.after,
                clone_url=event.repository.clone_url,
                trigger="webhook",
                github_id=event.repository.id,
            )
        )
        routed.starts.append(_activity_start(repo, branch, event.commits))
    return routed


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
    return sync_github_activity_start(repository=repository, trigger="webhook", commits=recorded)


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
            sync_packages_start(
                org=org, package=package.name, version=version, repository=repo, trigger="webhook", newest_wins=True
            )
        )
    return routed


def _ping(payload: Any, config: RoutingConfig, delivery_id: str) -> Routed:
    repo = (payload.get("repository") or {}).get("full_name")
    return Routed(repository=repo, ignored_reason="ping: the webhook is configured")


_GITHUB_ROUTERS: dict[str, Callable[[Any, RoutingConfig, str], Routed]] = {
    "pull_request": _pull_request,
    "issue_comment": _issue_comment,
    "pull_request_review_comment": _review_comment,
    "pull_request_review_thread": _review_thread,
    "push": _push,
    "repository": route_repository,
    "installation": route_installation,
    "installation_repositories": route_installation_repositories,
    "package": _package,
    "registry_package": _package,
    "ping": _ping,
}

JIRA_EVENTS: dict[str, JiraEventKind] = {
    "jira:issue_created": "created",
    "jira:issue_updated": "updated",
    "jira:issue_deleted": "deleted",
}


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
    start = sync_jira_start(ticket_key=key, event=kind, issue=payload["issue"], trigger="webhook")
    return Routed(action=event.webhookEvent, starts=[start])
