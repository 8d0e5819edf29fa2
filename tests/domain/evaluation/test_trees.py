"""Both sides of a case as whole files: made from the case's folders, or from its diff alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.diff import parse_unified_diff
from domain.evaluation.cases import EvalCase
from domain.evaluation.dataset import load_dataset
from domain.evaluation.trees import PatchMismatch, apply_hunks, case_trees

SHIPPED = Path(__file__).resolve().parents[2] / "fixtures" / "eval"

DIFF = """diff --git a/app.py b/app.py
index 1111111..2222222 100644
--- a/app.py
+++ b/app.py
@@ -2,3 +2,3 @@ def handler():
     a = 1
-    b = 2
+    b = 3
     return a + b
@@ -9,2 +9,3 @@ def other():
     x = 1
+    y = 2
     return x
"""
BASE = "def handler():\n    a = 1\n    b = 2\n    return a + b\n\n\n\ndef other():\n    x = 1\n    return x\n"
HEAD = BASE.replace("b = 2", "b = 3").replace("x = 1\n", "x = 1\n    y = 2\n")


def a_case(diff: str = DIFF, base: dict[str, str] | None = None, head: dict[str, str] | None = None) -> EvalCase:
    return EvalCase(
        case_id="c", title="t", language="python", kind="clean", diff=diff, golden=(),
        head_files=head or {}, base_files=base or {},
    )  # fmt: skip


def test_the_head_is_the_base_with_the_hunks_applied_and_back() -> None:
    [changed] = parse_unified_diff(DIFF)

    assert apply_hunks(BASE, changed, reverse=False) == HEAD
    assert apply_hunks(HEAD, changed, reverse=True) == BASE


@pytest.mark.parametrize(
    ("base", "head"), [({"app.py": BASE}, None), (None, {"app.py": HEAD}), ({"app.py": BASE}, {"app.py": HEAD})]
)
def test_a_missing_side_is_made_from_the_other_one(base: dict[str, str] | None, head: dict[str, str] | None) -> None:
    trees = case_trees(a_case(base=base, head=head))

    assert trees.base == {"app.py": BASE} and trees.head == {"app.py": HEAD}


def test_with_the_diff_alone_each_side_keeps_the_diffs_line_numbers() -> None:
    trees = case_trees(a_case())

    head_lines = trees.head["app.py"].splitlines()
    assert head_lines[2] == "    b = 3" and head_lines[9] == "    y = 2"  # new-side lines 3 and 10
    assert head_lines[0] == "" and head_lines[4:7] == ["", "", ""]  # what the diff does not show is blank
    assert trees.base["app.py"].splitlines()[2] == "    b = 2"


def test_a_base_that_disagrees_with_the_diff_is_refused_with_the_file_and_line() -> None:
    wrong = BASE.replace("b = 2", "b = 5")

    with pytest.raises(PatchMismatch, match=r"app.py: line 3 "):
        case_trees(a_case(base={"app.py": wrong}))


def test_base_and_head_that_are_not_the_diffs_two_sides_are_refused() -> None:
    with pytest.raises(PatchMismatch, match="base/ with the diff applied is not head/"):
        case_trees(a_case(base={"app.py": BASE}, head={"app.py": HEAD.replace("y = 2", "y = 3")}))


def test_a_path_leaving_the_repository_is_refused() -> None:
    escaping = DIFF.replace("a/app.py", "a/../app.py").replace("b/app.py", "b/../app.py")

    with pytest.raises(PatchMismatch, match="not a path inside"):
        case_trees(a_case(diff=escaping))


def test_added_and_deleted_files_exist_on_one_side_only() -> None:
    diff = (
        "diff --git a/new.sql b/new.sql\nnew file mode 100644\n--- /dev/null\n+++ b/new.sql\n@@ -0,0 +1,2 @@\n"
        "+CREATE TABLE t (id int);\n+CREATE INDEX ON t (id);\n"
        "diff --git a/old.sql b/old.sql\ndeleted file mode 100644\n--- a/old.sql\n+++ /dev/null\n@@ -1 +0,0 @@\n"
        "-DROP TABLE t;\n"
    )
    trees = case_trees(a_case(diff=diff))

    assert trees.base == {"old.sql": "DROP TABLE t;\n"}
    assert trees.head == {"new.sql": "CREATE TABLE t (id int);\nCREATE INDEX ON t (id);\n"}


def test_every_shipped_case_gives_a_head_whose_added_lines_sit_where_the_diff_says() -> None:
    for case in load_dataset(SHIPPED).cases:
        trees = case_trees(case)
        for changed in parse_unified_diff(case.diff):
            lines = trees.head[changed.path].splitlines()
            assert {n: lines[n - 1] for n in changed.added_lines()} == changed.added_lines(), case.case_id
