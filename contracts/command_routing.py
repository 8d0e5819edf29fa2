"""What a comment on a pull request starts: a command's workflow, or the reason it starts nothing.

A command runs when a person wrote it: comments by bots (and by this product) are never commands.
An edited comment runs its command only when the edit added it, so a command is not run twice when
its comment is edited. An unknown `/word` is ignored with its reason (the delivery keeps it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from contracts.commands import CommandRequest
from contracts.starts import (
    WorkflowStart,
    ask_pr_start,
    describe_pr_start,
    help_pr_start,
    improve_pr_start,
    review_pr_start,
)
from domain.commands.parse import Command, UnknownCommand, is_full_review, parse_command
from domain.webhooks.events import Changes, Comment, User


@dataclass(frozen=True)
class CommentSaid:
    """A comment event's parts that decide whether it is a command: its event, action, text and author."""

    event: str  # issue_comment or pull_request_review_comment
    action: str
    comment: Comment
    sender: User | None
    changes: Changes | None


def command_start(
    said: CommentSaid, repository: str, number: int, request: CommandRequest, bots: frozenset[str]
) -> WorkflowStart | str:
    """The start the comment asks for, or why it asks for none. `bots`: lower-case logins of bots."""
    command = parse_command(said.comment.body)
    bot = _bot(said, bots)
    if said.action not in ("created", "edited"):
        return f"{said.event} action {said.action!r} is not a command"
    if bot:
        return f"comment by {bot} (a bot): bots do not give commands"
    if command is None:
        return "the comment holds no command"
    if isinstance(command, UnknownCommand) or command.name not in _STARTS:
        word = command.word if isinstance(command, UnknownCommand) else f"/{command.name}"
        return f"{word!r} is not a command we know (try /help)"
    if said.action == "edited" and not _edit_added_command(said.changes):
        return "the edit did not add the command (it ran when the comment was written)"
    return _STARTS[command.name](repository, number, command, request)


def author_of(comment: Comment, sender: User | None) -> str | None:
    return comment.user.login if comment.user else sender.login if sender else None


def _bot(said: CommentSaid, bots: frozenset[str]) -> str | None:
    """The login of the bot that wrote the comment, or None for a person."""
    for user in (said.comment.user, said.sender):
        if user is not None and (user.type == "Bot" or user.login.lower() in bots):
            return user.login
    return None


def _edit_added_command(changes: Changes | None) -> bool:
    """An edit runs a command only when the text before it held none."""
    if changes is None or changes.body is None:
        return False
    return not isinstance(parse_command(changes.body.from_), Command)


def _review(repo: str, number: int, command: Command, request: CommandRequest) -> WorkflowStart:
    full = is_full_review(command)
    return review_pr_start(
        repository=repo, number=number, trigger="comment", force=True, delivery_id=request.delivery_id, full=full
    )


def _improve(repo: str, number: int, command: Command, request: CommandRequest) -> WorkflowStart:
    return improve_pr_start(repository=repo, number=number, request=request)


def _describe(repo: str, number: int, command: Command, request: CommandRequest) -> WorkflowStart:
    return describe_pr_start(repository=repo, number=number, request=request)


def _ask(repo: str, number: int, command: Command, request: CommandRequest) -> WorkflowStart:
    return ask_pr_start(repository=repo, number=number, request=request, question=command.argument)


def _help(repo: str, number: int, command: Command, request: CommandRequest) -> WorkflowStart:
    return help_pr_start(repository=repo, number=number, request=request)


# The commands a comment can start; any other command word is answered as unknown.
_STARTS: dict[str, Callable[[str, int, Command, CommandRequest], WorkflowStart]] = {
    "review": _review,
    "improve": _improve,
    "describe": _describe,
    "ask": _ask,
    "help": _help,
}
