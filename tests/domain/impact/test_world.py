"""The impact world end to end: each pull request gets exactly the findings it should."""

from __future__ import annotations

import json

import pytest

from domain.impact import (
    ChangeSet,
    ImpactReport,
    RepositoryState,
    assess_impact,
    facts_from_json,
    facts_to_json,
    impact_prompt_context,
    impact_section,
    score_impacts,
)
from tests.support.impact_world import WorldChange, change_set, changes, load_change, repositories, world_facts


def _report(name: str, states: list[RepositoryState] | None = None) -> tuple[WorldChange, ImpactReport]:
    change = load_change(name)
    facts = [world_facts(r) for r in repositories()]
    return change, assess_impact(change_set(change), facts, states or [])


@pytest.mark.parametrize("name", [c.name for c in changes()])
def test_each_change_gets_exactly_the_expected_evidence_and_severity(name: str) -> None:
    change, report = _report(name)
    score = score_impacts(report.findings, change.expected)
    assert score.false_positives == ()
    assert score.false_negatives == ()
    assert {(f.kind, f.name): f.severity for f in report.findings} == change.severities


def test_removing_a_route_names_the_front_end_call_and_sits_next_to_the_removed_code() -> None:
    _, report = _report("remove-route")
    [finding] = report.findings
    assert finding.message == "Removes `DELETE /api/users/:slug`, called by acme/web `src/api/users.ts:22`."
    assert (finding.path, finding.line, finding.line_side) == ("src/users/users.controller.ts", 31, "base")
    # The removed block sat between the PATCH handler and the class's closing brace (head line 30).
    assert finding.head_line == 30


def test_renaming_a_topic_is_reported_on_the_changed_constant() -> None:
    _, report = _report("rename-topic")
    [finding] = report.findings
    assert finding.rule_id == "impact.topic-removed"
    assert "renamed to `user.events.v2`" in finding.message
    assert (finding.path, finding.line) == ("src/events/topics.ts", 2)
    assert [(e.repository, e.path, e.line) for e in finding.evidence] == [("acme/worker", "src/main.ts", 9)]


def test_dropping_a_column_reaches_the_worker_query_and_the_front_end_reading_the_field() -> None:
    _, report = _report("drop-column")
    by_name = {f.name: f for f in report.findings}
    column = by_name["users.avatar_url"]
    assert (column.path, column.line) == ("migrations/002_drop_avatar_url.sql", 2)
    assert column.evidence[0].what == "reads `users.avatar_url`"
    route = by_name["GET /api/users/:slug"]
    assert "response field `avatarUrl` removed" in route.message
    assert (route.path, route.line) == ("src/users/dto/user.dto.ts", 6)
    # POST and PATCH changed too, but nothing outside acme/api calls them.
    assert {c.name for c in report.changes if c.kind == "route"} >= {"POST /api/users", "PATCH /api/users/:slug"}
    assert "POST /api/users" not in by_name


def test_breaking_an_export_marks_the_consumer_pinned_to_an_older_release() -> None:
    _, report = _report("break-export")
    [finding] = report.findings
    pinned = {e.repository: e.pinned for e in finding.evidence}
    assert pinned == {"acme/api": "", "acme/web": "", "acme/worker": "1.0.0"}
    assert "acme/worker `src/names.ts:1` (pinned to `1.0.0`: breaks when it upgrades)" in finding.message


def test_a_change_with_no_outside_consumer_alters_edges_but_finds_nothing() -> None:
    _, report = _report("internal-only")
    assert {(c.name, c.change) for c in report.changes} == {
        ("GET /api/health", "removed"),
        ("GET /api/health/live", "added"),
    }
    assert report.findings == ()
    assert "No other indexed repository uses what this change alters" in impact_section(report)


def test_an_addition_already_called_elsewhere_is_info() -> None:
    _, report = _report("add-route")
    [finding] = report.findings
    assert finding.severity == "info"
    assert finding.message.startswith("Adds `GET /api/users/:slug/followers`, called by acme/web")


def test_missing_and_old_consumer_data_is_said_when_edges_change() -> None:
    states = [
        RepositoryState("acme/api", "a" * 40),
        RepositoryState("acme/web", "0" * 40),
        RepositoryState("acme/worker", "f" * 40),
        RepositoryState("acme/billing", "b" * 40),
    ]
    _, report = _report("remove-route", states)
    assert [(n.repository, n.status) for n in report.notes] == [("acme/billing", "missing"), ("acme/worker", "old")]
    section = impact_section(report)
    assert "acme/billing is not indexed" in section
    assert "acme/worker was read at 0000000, its head is fffffff" in section


def test_no_edge_change_means_no_section_and_no_notes() -> None:
    change = load_change("internal-only")
    service_only = change_set(change)
    files = tuple(f for f in service_only.files if f.path.endswith("users.service.ts"))
    report = assess_impact(
        ChangeSet(change.repository, files, service_only.context),
        [world_facts(r) for r in repositories()],
        [RepositoryState("acme/billing", "b" * 40)],
    )
    assert report.changes == () and report.notes == ()
    assert impact_section(report) == "" and impact_prompt_context(report) == ""


def test_the_model_context_lists_findings_with_every_piece_of_evidence() -> None:
    _, report = _report("break-export")
    context = impact_prompt_context(report)
    assert "[high] Removes export `@acme/shared#formatUser`" in context
    assert "acme/worker src/names.ts:1: imports `formatUser` from `@acme/shared`" in context
    assert "added export `@acme/shared#displayName`" in context


@pytest.mark.parametrize("repository", sorted(repositories()))
def test_facts_survive_a_json_round_trip(repository: str) -> None:
    facts = world_facts(repository)
    assert facts_from_json(json.loads(json.dumps(facts_to_json(facts)))) == facts


def test_facts_of_another_schema_version_are_not_trusted() -> None:
    data = facts_to_json(world_facts("acme/web")) | {"schema_version": 0}
    assert facts_from_json(data) is None
