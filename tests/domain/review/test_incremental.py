"""A follow-up head is reviewed on what its new commits changed, within the pull request's diff."""

from __future__ import annotations

from domain.diff import parse_unified_diff
from domain.review.incremental import incremental_scope

PR_DIFF = """diff --git a/src/users.ts b/src/users.ts
--- a/src/users.ts
+++ b/src/users.ts
@@ -1,3 +1,5 @@
 import x from 'x';
+export function a() {}
+export function b() {}
 const one = 1;
 const two = 2;
@@ -20,2 +22,4 @@ class Users {
   find() {}
+  remove() {}
+  purge() {}
 }
diff --git a/src/orders.ts b/src/orders.ts
--- a/src/orders.ts
+++ b/src/orders.ts
@@ -1,1 +1,2 @@
 const o = 1;
+const p = 2;
"""

SINCE_DIFF = """diff --git a/src/users.ts b/src/users.ts
--- a/src/users.ts
+++ b/src/users.ts
@@ -23,2 +23,2 @@ class Users {
   remove() {}
-  purge() { }
+  purge() {}
 }
"""


def test_only_hunks_touched_by_the_new_commits_are_in_scope() -> None:
    scope = incremental_scope(parse_unified_diff(PR_DIFF), parse_unified_diff(SINCE_DIFF))
    assert [f.path for f in scope.files] == ["src/users.ts"]
    assert [h.new_start for h in scope.files[0].hunks] == [22]
    assert scope.new_lines == {"src/users.ts": {24}}
    assert scope.unchanged_files == ["src/orders.ts"]
    assert not scope.empty


def test_a_pure_deletion_still_brings_its_hunk_into_scope() -> None:
    since = """diff --git a/src/users.ts b/src/users.ts
--- a/src/users.ts
+++ b/src/users.ts
@@ -2,3 +2,2 @@
 export function a() {}
-export function gone() {}
 export function b() {}
"""
    scope = incremental_scope(parse_unified_diff(PR_DIFF), parse_unified_diff(since))
    assert [h.new_start for h in scope.files[0].hunks] == [1]
    assert scope.new_lines["src/users.ts"] == set()


def test_commits_that_only_revert_to_base_leave_nothing_to_review() -> None:
    since = """diff --git a/src/gone.ts b/src/gone.ts
--- a/src/gone.ts
+++ b/src/gone.ts
@@ -1,1 +1,1 @@
-const a = 1;
+const a = 2;
"""
    scope = incremental_scope(parse_unified_diff(PR_DIFF), parse_unified_diff(since))
    assert scope.empty
    assert scope.unchanged_files == ["src/users.ts", "src/orders.ts"]
