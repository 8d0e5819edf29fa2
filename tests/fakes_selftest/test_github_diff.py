"""`files_from_unified_diff` and the commentable-line map, checked against git itself and
against hand-made edge cases."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fakes.github_diff import diff_hunk, files_from_unified_diff, patch_lines
from tests.support.fixtures import fixture_paths

DIFFS = fixture_paths("diffs/*.diff")


def _git_numstat(diff: Path) -> list[tuple[int, int, str]]:
    out = subprocess.run(["git", "apply", "--numstat", str(diff)], capture_output=True, text=True, check=True).stdout
    rows = [line.split("\t") for line in out.splitlines()]
    return [(int(a), int(d), name) for a, d, name in rows]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git as the oracle")
@pytest.mark.parametrize("diff", DIFFS, ids=lambda p: p.name.split("__")[0])
def test_fixture_diffs_split_like_git_counts_them(diff: Path) -> None:
    files = files_from_unified_diff(diff.read_text())
    ours = [(f["additions"], f["deletions"], f["filename"]) for f in files]
    assert ours == _git_numstat(diff)
    text = diff.read_text()
    for entry in files:
        assert entry["patch"].startswith("@@ ") and not entry["patch"].endswith("\n")
        assert entry["patch"] in text  # hunks are kept verbatim, headers are stripped
        assert "+++ " not in entry["patch"].split("\n")[0]


def test_new_deleted_renamed_and_binary_files() -> None:
    diff = "\n".join(
        [
            "diff --git a/new.py b/new.py",
            "new file mode 100644",
            "--- /dev/null",
            "+++ b/new.py",
            "@@ -0,0 +1,2 @@",
            "+a = 1",
            "+b = 2",
            "diff --git a/gone.py b/gone.py",
            "deleted file mode 100644",
            "--- a/gone.py",
            "+++ /dev/null",
            "@@ -1 +0,0 @@",
            "-x = 1",
            "diff --git a/old/name.py b/new/name.py",
            "similarity index 90%",
            "rename from old/name.py",
            "rename to new/name.py",
            "--- a/old/name.py",
            "+++ b/new/name.py",
            "@@ -1,2 +1,2 @@",
            " keep",
            "-old",
            "+new",
            "\\ No newline at end of file",
            "diff --git a/logo.png b/logo.png",
            "Binary files a/logo.png and b/logo.png differ",
        ]
    )
    added, removed, renamed, binary = files_from_unified_diff(diff)
    assert (added["filename"], added["status"], added["additions"]) == ("new.py", "added", 2)
    assert (removed["filename"], removed["status"], removed["deletions"]) == (
        "gone.py",
        "removed",
        1,
    )
    assert renamed["status"] == "renamed" and renamed["previous_filename"] == "old/name.py"
    assert renamed["filename"] == "new/name.py"
    assert renamed["patch"].endswith("\\ No newline at end of file")
    assert (renamed["additions"], renamed["deletions"]) == (1, 1)
    assert binary["filename"] == "logo.png" and "patch" not in binary


def test_a_removed_line_that_looks_like_a_header_stays_in_the_hunk() -> None:
    diff = "--- a/notes.md\n+++ b/notes.md\n@@ -1,2 +1,1 @@\n--- a divider\n keep\n"
    (entry,) = files_from_unified_diff(diff)
    assert entry["filename"] == "notes.md"
    assert entry["deletions"] == 1 and entry["additions"] == 0
    assert entry["patch"] == "@@ -1,2 +1,1 @@\n--- a divider\n keep"


def test_patch_lines_give_sides_lines_and_positions() -> None:
    patch = "@@ -10,2 +10,2 @@ def f():\n ctx\n-old\n+new\n@@ -40,1 +40,2 @@\n tail\n+added"
    lines = {(x.side, x.line): x.position for x in patch_lines(patch)}
    assert lines == {
        ("LEFT", 10): 1,
        ("RIGHT", 10): 1,
        ("LEFT", 11): 2,
        ("RIGHT", 11): 3,
        ("LEFT", 40): 5,  # the second hunk header is position 4
        ("RIGHT", 40): 5,
        ("RIGHT", 41): 6,
    }
    target = next(x for x in patch_lines(patch) if (x.side, x.line) == ("RIGHT", 41))
    assert diff_hunk(patch, target) == "@@ -40,1 +40,2 @@\n tail\n+added"
