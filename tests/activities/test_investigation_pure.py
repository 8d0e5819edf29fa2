"""The pure decisions of the investigation activities: fingerprints, type overrides, Retry-After."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from activities.investigation import PROMPTS_ROOT
from activities.investigation_repo import choose_type
from clients.llm import classify, retry_after_seconds
from domain.investigation.promptsets import PromptSet, changed_steps, list_prompt_sets, load_prompt_set
from domain.repo_profile import RepoProfile
from tests.workflows.investigation_support import bump_step_version, copy_prompts


def bumped(prompt_set: PromptSet, step_id: str) -> PromptSet:
    steps = [replace(s, version=s.version + 1) if s.id == step_id else s for s in prompt_set.steps]
    return replace(prompt_set, steps=steps)


def test_a_version_bump_changes_the_fingerprints_of_that_step_and_its_dependents_only() -> None:
    base = load_prompt_set("backend-nestjs", PROMPTS_ROOT)
    before = base.fingerprints()
    for step in base.steps:
        after = bumped(base, step.id).fingerprints()
        moved = {k for k in before if before[k] != after[k]}
        assert moved == changed_steps(base.step_keys(), bumped(base, step.id)), step.id
    assert base.fingerprints() == before  # stable


def test_the_same_step_from_another_set_file_has_another_fingerprint(tmp_path: Path) -> None:
    root = copy_prompts(tmp_path / "prompts")
    nest, default = load_prompt_set("backend-nestjs", root), load_prompt_set("default", root)
    assert nest.fingerprints()["overview"] == default.fingerprints()["overview"]  # shared: reused
    bump_step_version(root, "shared", "overview")
    assert load_prompt_set("default", root).fingerprints()["overview"] != default.fingerprints()["overview"]


PROFILE = RepoProfile("typescript", {"typescript": 3}, ["express"], [], "backend", "express")


def test_type_choice_detection_table_and_repository_file() -> None:
    sets = list_prompt_sets(PROMPTS_ROOT)
    assert choose_type(PROFILE, None, {}, sets).prompt_set == "backend-nodejs"
    assert choose_type(PROFILE, "backend-php", {}, sets).prompt_set == "backend-php"
    assert choose_type(PROFILE, "monorepo", {"prompt_set": "library"}, sets).prompt_set == "monorepo"
    assert choose_type(PROFILE, None, {"prompt_set": "library"}, sets).source == "repository-file"
    assert choose_type(PROFILE, None, {"prompt_set": "no-such-set"}, sets).source == "detected"
    chosen = choose_type(PROFILE, "frontend/react", {}, sets)
    assert (chosen.repo_type, chosen.subtype, chosen.prompt_set) == ("frontend", "react", "frontend-react")


def test_retry_after_takes_seconds_or_an_http_date_and_is_capped() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("99999") == 600.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


class _Failure(Exception):
    def __init__(self, status: int | None) -> None:
        super().__init__(f"status {status}")
        self.status_code = status


def test_classify_marks_4xx_permanent_and_rate_limits_timeouts_5xx_retryable() -> None:
    assert classify(_Failure(400), "m").non_retryable and classify(_Failure(401), "m").non_retryable
    for status in (408, 429, 500, 503, None):
        assert not classify(_Failure(status), "m").non_retryable, status
