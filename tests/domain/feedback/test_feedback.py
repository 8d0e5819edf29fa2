"""Learning from reactions, the pure parts: votes from reactions and replies, a verdict per finding, numbers
per rule, when a rule is muted, which findings a later commit addressed, and holding muted findings back."""

from __future__ import annotations

import pytest

from domain.diff import parse_patch
from domain.feedback.addressed import PostedFinding, addressed
from domain.feedback.mutes import MutedRule, hold_back_muted, muted_lines
from domain.feedback.stats import FindingFeedback, MutePolicy, RuleStats, rule_stats
from domain.feedback.votes import Reaction, reaction_votes, reply_verdict
from domain.findings import Finding


def test_reactions_become_one_vote_per_person_and_bots_do_not_vote() -> None:
    reactions = [
        Reaction("alice", "-1"),
        Reaction("bob", "+1"),
        Reaction("bob", "heart"),
        Reaction("carol", "+1"),
        Reaction("carol", "-1"),  # both: no vote
        Reaction("pr-agent[bot]", "+1"),
        Reaction("ci-helper", "+1", user_is_bot=True),
        Reaction("renovate", "-1"),
    ]

    assert reaction_votes(reactions, frozenset({"renovate"})) == {"alice": "rejected", "bob": "accepted"}


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("Good catch, fixed in the next commit", "accepted"),
        ("Thanks!", "accepted"),
        ("This is a false positive: the id is an int here", "rejected"),
        ("thanks, but wrong: it is escaped by the template", "rejected"),
        ("Won't fix, by design", "rejected"),
        ("Why would that matter?", "neutral"),
    ],
)
def test_a_reply_accepts_or_rejects_by_its_words(text: str, verdict: str) -> None:
    assert reply_verdict(text) == verdict


def test_a_findings_verdict_weighs_people_and_an_addressed_line() -> None:
    assert FindingFeedback("r", "x", accepts=1).verdict == "accepted"
    assert FindingFeedback("r", "x", rejects=2, accepts=1).verdict == "rejected"
    assert FindingFeedback("r", "x", rejects=1, addressed=True).verdict is None
    assert FindingFeedback("r", "x", addressed=True).verdict == "accepted"
    assert FindingFeedback("r", "x").verdict is None


def test_rule_numbers_count_findings_not_people() -> None:
    rows = rule_stats(
        [
            FindingFeedback("acme/api", "php.unescaped-output", rejects=3),
            FindingFeedback("acme/api", "php.unescaped-output", accepts=1, addressed=True),
            FindingFeedback("acme/api", "php.unescaped-output"),
            FindingFeedback("acme/web", "php.unescaped-output", accepts=1),
            FindingFeedback("acme/api", "llm/style", rejects=1),
        ]
    )

    assert rows == [
        RuleStats("acme/api", "llm/style", posted=1, accepted=0, rejected=1, addressed=0),
        RuleStats("acme/api", "php.unescaped-output", posted=3, accepted=1, rejected=1, addressed=1),
        RuleStats("acme/web", "php.unescaped-output", posted=1, accepted=1, rejected=0, addressed=0),
    ]
    assert rows[1].precision == 0.5 and rows[1].votes == 2


def test_a_rule_is_muted_under_the_precision_over_enough_votes_only() -> None:
    policy = MutePolicy(precision=0.3, min_votes=4)

    assert policy.mutes(RuleStats("r", "x", posted=9, accepted=1, rejected=3))  # 0.25 over 4
    assert not policy.mutes(RuleStats("r", "x", posted=9, accepted=0, rejected=3))  # only 3 votes
    assert not policy.mutes(RuleStats("r", "x", posted=9, accepted=2, rejected=2))  # 0.5
    assert not policy.mutes(RuleStats("r", "x", posted=9))  # no votes, no precision


def test_a_finding_is_addressed_when_a_later_commit_changes_or_removes_its_line() -> None:
    patch = "@@ -10,4 +10,4 @@\n a\n-b = 1\n+b = 2\n c\n d\n"
    change = parse_patch("app.py", patch)
    gone = parse_patch("old.py", "@@ -1,2 +0,0 @@\n-x\n-y\n", "removed")
    findings = [
        PostedFinding("m-changed", "app.py", 11, "h1"),
        PostedFinding("m-kept", "app.py", 12, "h1"),
        PostedFinding("m-deleted-file", "old.py", 1, "h1"),
        PostedFinding("m-untouched-file", "other.py", 11, "h1"),
    ]

    assert addressed(findings, [change, gone]) == {"m-changed", "m-deleted-file"}


def test_muted_rules_hold_back_their_findings_and_say_so_with_their_numbers() -> None:
    findings = [
        Finding("a.php", 3, "high", "php.unescaped-output", "x"),
        Finding("a.php", 4, "high", "php.unescaped-output", "y"),
        Finding("a.php", 5, "medium", "php.debug-leftover", "z"),
    ]
    muted = [MutedRule("php.unescaped-output", 0.0, 0, 2), MutedRule("llm/style", 0.1, 1, 9)]

    kept, held = hold_back_muted(findings, muted)

    assert [f.rule_id for f in kept] == ["php.debug-leftover"]
    assert held == [MutedRule("php.unescaped-output", 0.0, 0, 2, held_back=2)]  # llm/style held nothing back
    assert muted_lines(held, "acme/api") == [
        "- `php.unescaped-output`: 2 findings held back. Muted in acme/api at precision 0.00 over 2 votes "
        "(0 accepted, 2 rejected); an admin can unmute it (`pr-agent rules unmute acme/api php.unescaped-output`)."
    ]
