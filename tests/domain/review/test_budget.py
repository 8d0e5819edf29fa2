from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.diff import FileDiff, parse_patch
from domain.findings import Finding
from domain.review.budget import (
    CoveragePlan,
    commentable_lines,
    estimate_tokens,
    plan_coverage,
    render_diff_for_prompt,
    render_file_header,
    render_hunk,
)
from tests.domain.review.helpers import added_file, fixture_files, multi_hunk_file


def _finding(path: str, line: int, severity: str = "high") -> Finding:
    return Finding(path, line, severity, "rule", "message")  # type: ignore[arg-type]


def _covered_paths(plan: CoveragePlan) -> set[str]:
    return {p for p, _ in plan.included} | {s.path for s in plan.skipped}


def test_estimate_tokens_is_a_quarter_of_the_characters_rounded_up() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("abcd") == 1
    assert estimate_tokens("abcde") == 2
    assert estimate_tokens("x" * 400) == 100


def test_everything_fits_in_a_generous_budget() -> None:
    files = fixture_files("ts-nestjs")
    plan = plan_coverage(files, [], 100_000)
    assert plan.skipped == []
    assert len(plan.included) == sum(len(f.hunks) for f in files)
    assert estimate_tokens(render_diff_for_prompt(files, plan)) <= plan.used_tokens <= 100_000


def test_huge_diff_lists_every_file_it_could_not_show_with_a_reason() -> None:
    files = [multi_hunk_file(f"src/module_{i}.py", [40, 40]) for i in range(30)]
    plan = plan_coverage(files, [], 2_000)
    assert plan.skipped, "a 30-file diff cannot fit in 2,000 tokens"
    assert _covered_paths(plan) == {f.path for f in files}
    for item in plan.skipped:
        assert "token budget" in item.reason
    assert estimate_tokens(render_diff_for_prompt(files, plan)) <= 2_000


def test_partly_shown_file_names_the_hunks_left_out() -> None:
    big = multi_hunk_file("src/big.py", [5, 300])
    plan = plan_coverage([big], [], estimate_tokens(render_file_header(big)) + 60)
    assert plan.included == [("src/big.py", 0)]
    (item,) = plan.skipped
    assert item.hunk_indexes == (1,)
    assert "1 of 2 hunks" in item.reason


def test_files_with_findings_come_before_larger_files() -> None:
    small = added_file("src/small.py", [f"a{i} = {i}" for i in range(10)])
    large = added_file("src/large.py", [f"x{i} = {i}" for i in range(20)])
    budget = estimate_tokens(render_file_header(large) + render_hunk(large.hunks[0]))
    without = plan_coverage([small, large], [], budget)
    with_finding = plan_coverage([small, large], [_finding("src/small.py", 2)], budget)
    assert without.included_paths() == ["src/large.py"]
    assert with_finding.included_paths() == ["src/small.py"]
    assert [s.path for s in with_finding.skipped] == ["src/large.py"]


def test_source_is_preferred_over_tests_and_docs() -> None:
    lines = [f"value_{i} = {i}" for i in range(10)]
    files = [added_file("docs/guide.md", lines), added_file("tests/test_x.py", lines)]
    files.append(added_file("src/x.py", lines))
    one_file = estimate_tokens(render_file_header(files[2]) + render_hunk(files[2].hunks[0]))
    plan = plan_coverage(files, [], one_file)
    assert plan.included_paths() == ["src/x.py"]
    assert {s.path for s in plan.skipped} == {"docs/guide.md", "tests/test_x.py"}


def test_larger_change_wins_among_equals() -> None:
    small = added_file("src/a.py", ["a = 1"])
    large = added_file("src/b.py", [f"b{i} = {i}" for i in range(8)])
    budget = estimate_tokens(render_file_header(large) + render_hunk(large.hunks[0]))
    plan = plan_coverage([small, large], [], budget)
    assert plan.included_paths() == ["src/b.py"]


def test_binary_deleted_and_rename_only_files_are_skipped_with_reasons() -> None:
    binary = FileDiff("logo.png", None, "modified", [], is_binary=True)
    deleted = parse_patch("old.py", "@@ -1,1 +0,0 @@\n-x = 1\n", status="removed")
    renamed = FileDiff("new.py", "old_name.py", "renamed", [])
    plan = plan_coverage([binary, deleted, renamed], [], 10_000)
    reasons = {s.path: s.reason for s in plan.skipped}
    assert reasons["logo.png"] == "binary file"
    assert "deleted" in reasons["old.py"]
    assert "rename" in reasons["new.py"]
    assert plan.included == []


def test_included_hunks_are_listed_in_diff_order() -> None:
    files = fixture_files("php-sql")
    last = files[-1]
    plan = plan_coverage(files, [_finding(last.path, 1)], 100_000)
    expected = [(f.path, i) for f in files for i in range(len(f.hunks))]
    assert plan.included == expected


def test_rendered_lines_carry_new_side_numbers() -> None:
    (file,) = fixture_files("python__")
    plan = plan_coverage([file], [], 100_000)
    text = render_diff_for_prompt([file], plan)
    assert text.startswith("=== app/api/dependencies/database.py (modified)\n")
    assert re.search(r"^\s+3 \+from asyncpg.connection import Connection$", text, re.M)
    assert re.search(r"^\s+-def get_repository", text, re.M), "deleted lines have no number"
    for number, content in file.added_lines().items():
        assert re.search(rf"^\s*{number} \+{re.escape(content)}$", text, re.M)


def test_commentable_lines_are_the_added_lines_of_included_hunks() -> None:
    big = multi_hunk_file("src/big.py", [2, 300])
    plan = plan_coverage([big], [], 80)
    assert commentable_lines([big], plan) == {"src/big.py": {2, 3}}


_file_specs = st.lists(
    st.tuples(
        st.sampled_from(["src/a.py", "src/b.ts", "tests/test_c.py", "docs/d.md", "yarn.lock"]),
        st.lists(st.integers(min_value=0, max_value=60), min_size=0, max_size=4),
    ),
    max_size=6,
    unique_by=lambda spec: spec[0],
)


@settings(max_examples=60, deadline=None)
@given(specs=_file_specs, budget=st.integers(min_value=0, max_value=3_000), flagged=st.booleans())
def test_plan_never_loses_a_file_and_never_exceeds_the_budget(
    specs: list[tuple[str, list[int]]], budget: int, flagged: bool
) -> None:
    files = [multi_hunk_file(path, hunks) for path, hunks in specs]
    findings = [_finding(files[0].path, 2)] if files and flagged else []
    plan = plan_coverage(files, findings, budget)
    assert _covered_paths(plan) == {f.path for f in files}
    skipped_hunks = {(s.path, i) for s in plan.skipped for i in s.hunk_indexes}
    assert not skipped_hunks & set(plan.included)
    for item in plan.skipped:
        whole = not item.hunk_indexes
        assert not (whole and item.path in plan.included_paths())
    shown = render_diff_for_prompt(files, plan)
    assert estimate_tokens(shown) <= plan.used_tokens <= budget
