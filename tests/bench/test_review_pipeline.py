"""The in-process baseline must do the review's real work, or the overhead ratio means nothing."""

import json

from bench.common import fake_sha, pull_request_event
from bench.review_pipeline import PipelineInput, instant_answer, review_in_process, snapshot_from_github
from contracts.review import PullRequestSnapshot
from tests.fakes.github_diff import files_from_unified_diff
from tests.support.fixtures import fixture_bytes

PHP = "diffs/php-sql__panique-mini__a386292_crud-update-song_PR125.diff"


def php_snapshot() -> PullRequestSnapshot:
    files = files_from_unified_diff(fixture_bytes(PHP).decode())
    return snapshot_from_github(pull_request_event(7, fake_sha("php")), files)


def test_without_llm_the_summary_has_the_analyzer_findings_and_says_the_llm_was_skipped() -> None:
    snapshot = php_snapshot()
    assert snapshot.pr.number == 7 and snapshot.files
    summary = review_in_process(PipelineInput(snapshot, None))
    assert "pr-agent:summary" in summary and f"pr-agent:head={snapshot.head_sha}" in summary
    assert "php.unescaped-output" in summary
    assert "LLM review skipped: no LLM_API key configured" in summary


def test_the_instant_llm_answer_is_parsed_and_its_comment_survives_validation() -> None:
    snapshot = php_snapshot()
    answer = instant_answer(snapshot)
    [comment] = json.loads(answer)["comments"]
    assert comment["path"] in {f.path for f in snapshot.files}
    summary = review_in_process(PipelineInput(snapshot, answer))
    assert "Benchmark review: the change looks plausible." in summary
    assert "LLM review skipped" not in summary
