"""What one person's reaction, reply or resolved thread says about one posted finding.

A 👍 accepts, a 👎 rejects; a person with both says nothing. A reply accepts or rejects when its
words do ("fixed", "good catch"; "false positive", "won't fix"), and is otherwise only a reply.
Resolving a thread accepts. Bots never vote (the product's own reactions included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["accepted", "rejected", "neutral"]
Signal = Literal["reaction", "reply", "thread", "addressed"]
SUMMARY_MARKER = "summary"  # the marker under which reactions on the summary comment are kept

_ACCEPT = re.compile(
    r"\b(fixed|done|good catch|nice catch|thanks|thank you|agreed|agree|makes sense|will fix|addressed|"
    r"updated|changed it|you'?re right|correct|lgtm)\b",
    re.IGNORECASE,
)
_REJECT = re.compile(
    r"\b(false positive|not a bug|not an issue|won'?t fix|wontfix|wrong|incorrect|not relevant|irrelevant|"
    r"noise|nonsense|ignore|by design|intended|intentional|disagree|not true|doesn'?t apply|does not apply)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reaction:
    """One reaction as GitHub lists it: who, and its content ("+1", "-1", "heart", ...)."""

    user: str
    content: str
    user_is_bot: bool = False


def is_bot(login: str, known_bots: frozenset[str] = frozenset()) -> bool:
    return login.lower().endswith("[bot]") or login.lower() in known_bots


def reaction_votes(reactions: list[Reaction], known_bots: frozenset[str] = frozenset()) -> dict[str, Verdict]:
    """Each person's vote from their reactions on one comment (people with no 👍/👎, or both, are left out)."""
    ups: set[str] = set()
    downs: set[str] = set()
    for reaction in reactions:
        if reaction.user_is_bot or is_bot(reaction.user, known_bots):
            continue
        if reaction.content == "+1":
            ups.add(reaction.user)
        elif reaction.content == "-1":
            downs.add(reaction.user)
    votes: dict[str, Verdict] = {user: "accepted" for user in ups - downs}
    votes.update({user: "rejected" for user in downs - ups})
    return votes


def reply_verdict(text: str) -> Verdict:
    """What a reply in a finding's thread says: rejecting words win over accepting ones ("thanks, but wrong")."""
    if _REJECT.search(text or ""):
        return "rejected"
    if _ACCEPT.search(text or ""):
        return "accepted"
    return "neutral"
