"""Reading a command from a comment body.

A command is the first word of the comment's first non-blank line, starting with "/". Quoted lines
("> /review" in a reply) and code are not commands: people quote commands when they discuss them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

CommandName = Literal["review", "improve", "ask", "describe", "help", "auto-fix"]

# Spellings people use, each mapped to its command.
_ALIASES: dict[str, CommandName] = {
    "review": "review",
    "improve": "improve",
    "ask": "ask",
    "describe": "describe",
    "help": "help",
    "auto-fix": "auto-fix",
    "autofix": "auto-fix",
    "auto_fix": "auto-fix",
    "fix": "auto-fix",
}
_COMMAND = re.compile(r"^/([A-Za-z][A-Za-z_-]*)(?:[ \t]+(.*))?$", re.DOTALL)
MAX_ARGUMENT_CHARS = 2_000


@dataclass(frozen=True)
class Command:
    name: CommandName
    argument: str = ""  # what follows the command word: the question of /ask, "full" for /review, ids for /auto-fix


@dataclass(frozen=True)
class UnknownCommand:
    word: str  # e.g. "/deploy"


def parse_command(body: str | None) -> Command | UnknownCommand | None:
    """The command in a comment, an unknown "/word", or None when the comment is no command at all."""
    text = (body or "").replace("\r\n", "\n").strip()
    if not text.startswith("/"):
        return None
    first, _, rest = text.partition("\n")
    match = _COMMAND.match(first.strip())
    if match is None:
        return None
    word, argument = match.group(1).lower(), (match.group(2) or "").strip()
    name = _ALIASES.get(word)
    if name is None:
        return UnknownCommand(f"/{word}")
    if name == "ask" and rest.strip():
        argument = f"{argument}\n{rest.strip()}".strip()  # a question may go on over several lines
    return Command(name, argument[:MAX_ARGUMENT_CHARS])


def is_full_review(command: Command) -> bool:
    """`/review full` forces a whole review instead of an incremental one."""
    return command.name == "review" and command.argument.split()[:1] == ["full"]


def finding_ids(command: Command) -> list[str]:
    """The finding ids named after `/auto-fix` (as shown in the review, e.g. "F3" or "f3,f7")."""
    return [token.upper() for token in re.findall(r"[A-Za-z]?\d+", command.argument)]
