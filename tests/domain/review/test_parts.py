"""Large pull requests are reviewed in parts within a budget, and the parts' answers merged."""

from __future__ import annotations

from domain.diff import FileDiff, parse_unified_diff
from domain.findings import Finding, Severity
from domain.review.merge import dedupe_comments, merge_reviews
from domain.review.parts import file_cost, plan_parts
from domain.review.schema import LlmComment, LlmReview


def _diff(path: str, added: int) -> str:
    body = "".join(f"+line {i} of {path} with some padding text\n" for i in range(added))
    return f"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n@@ -0,0 +1,{added} @@\n{body}"


def _files(spec: dict[str, int]) -> list[FileDiff]:
    return parse_unified_diff("".join(_diff(p, n) for p, n in spec.items()))


def test_a_change_within_budget_is_one_part() -> None:
    files = _files({"src/a.ts": 5, "src/b.ts": 5, "docs/x.md": 3})
    plan = plan_parts(files, [], part_budget=10_000, ceiling_tokens=100_000)
    assert [p.paths for p in plan.parts] == [["src/a.ts", "src/b.ts", "docs/x.md"]]
    assert plan.over_ceiling == []


def test_every_part_fits_its_budget_and_every_file_is_in_one_part() -> None:
    spec = {f"svc{d}/mod{i}.py": 30 for d in range(4) for i in range(5)}
    files = _files(spec)
    budget = file_cost(files[0]) * 4 + 10
    plan = plan_parts(files, [], part_budget=budget, ceiling_tokens=10**9)
    assert all(part.tokens <= budget for part in plan.parts)
    placed = [p for part in plan.parts for p in part.paths]
    assert sorted(placed) == sorted(spec) and len(placed) == len(set(placed))
    assert len(plan.parts) == 5  # 20 files, 4 per part


def test_files_of_one_directory_and_language_stay_together() -> None:
    files = _files({"api/a.ts": 20, "web/a.tsx": 20, "api/b.ts": 20, "web/b.tsx": 20})
    budget = max(file_cost(f) for f in files) * 2 + 5
    plan = plan_parts(files, [], part_budget=budget, ceiling_tokens=10**9)
    assert sorted(sorted(p.paths) for p in plan.parts) == [["api/a.ts", "api/b.ts"], ["web/a.tsx", "web/b.tsx"]]


def test_the_ceiling_lists_what_is_left_out_and_keeps_files_with_findings() -> None:
    files = _files({"a/x.py": 40, "b/y.py": 40, "c/z.py": 40})
    cost = file_cost(files[0])
    finding = Finding(path="c/z.py", line=1, severity="high", rule_id="r", message="m")
    plan = plan_parts(files, [finding], part_budget=cost, ceiling_tokens=cost * 2)
    placed = [p for part in plan.parts for p in part.paths]
    assert "c/z.py" in placed and len(placed) == 2
    assert len(plan.over_ceiling) == 1
    assert "ceiling" in plan.over_ceiling[0].reason


def _comment(line: int, category: str = "bug", message: str = "m", severity: Severity = "medium") -> LlmComment:
    return LlmComment(path="a.py", line=line, severity=severity, category=category, message=message)


def test_merge_takes_the_highest_risk_and_keeps_every_distinct_comment() -> None:
    one = LlmReview(summary="part one", risk="low", comments=[_comment(1)], dropped=1)
    two = LlmReview(summary="part two", risk="high", comments=[_comment(2)], dropped=2)
    merged = merge_reviews([("api", one), ("web", two)])
    assert merged.risk == "high"
    assert [c.line for c in merged.comments] == [1, 2]
    assert merged.dropped == 3
    assert "api" in merged.summary and "part two" in merged.summary


def test_a_single_part_is_returned_unchanged() -> None:
    only = LlmReview(summary="s", risk="medium", comments=[_comment(1)])
    assert merge_reviews([("all", only)]) is only


def test_repeated_comments_on_a_line_collapse_to_the_most_severe() -> None:
    comments = [
        _comment(3, "bug", "Null check missing", "low"),
        _comment(3, "bug", "Other words, same category", "high"),
        _comment(3, "style", "Naming", "info"),
        _comment(4, "bug", "Null check missing", "low"),
        _comment(4, "style", "null check   MISSING!", "medium"),
    ]
    kept = dedupe_comments(comments)
    assert [(c.line, c.category, c.severity) for c in kept] == [
        (3, "bug", "high"),
        (3, "style", "info"),
        (4, "style", "medium"),
    ]
