"""The fake's git objects and computed diffs, checked against git itself: tree and blob ids, and
the `files` entries of a change between two trees (patches byte for byte)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fakes.github_diff import files_from_unified_diff
from tests.fakes.github_objects import EMPTY_TREE, blob_sha, every_tree, tree_sha
from tests.fakes.github_textdiff import diff_trees

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git as the oracle")

BEFORE = {
    "README.md": b"# api\n",
    "src/app.py": b"".join(b"line %d\n" % n for n in range(1, 30)).replace(b"line 10\n", b"def handler():\n"),
    "src/lib/old_name.py": b"moved = True\n",
    "src.txt": b"no newline",
    "gone.txt": b"bye\n",
    "logo.png": b"\x89PNG\0\0binary",
}
AFTER = {
    **{k: v for k, v in BEFORE.items() if k not in ("gone.txt", "src/lib/old_name.py")},
    "src/app.py": BEFORE["src/app.py"].replace(b"line 14\n", b"line fourteen\n") + b"tail",
    "src/lib/new_name.py": b"moved = True\n",
    "src.txt": b"no newline\nnow two lines\n",
    "docs/guide.md": b"# guide\n",
    "logo.png": b"\x89PNG\0\0changed",
}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def _commit(repo: Path, files: dict[str, bytes]) -> str:
    for old in repo.glob("*"):
        if old.name != ".git":
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    for path, data in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_bytes(data)
    _git(repo, "add", "-A")
    return _git(repo, "write-tree").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    _git(tmp_path, "init", "-q")
    return tmp_path


def test_tree_and_blob_ids_are_git_s(repo: Path) -> None:
    assert tree_sha(BEFORE) == _commit(repo, BEFORE)
    assert tree_sha(AFTER) == _commit(repo, AFTER)
    assert tree_sha({}) == EMPTY_TREE
    assert blob_sha(b"moved = True\n") == _git(repo, "hash-object", "src/lib/new_name.py").strip()
    subtrees = every_tree(AFTER)
    assert subtrees[_git(repo, "rev-parse", f"{tree_sha(AFTER)}:src/lib").strip()] == {"new_name.py": b"moved = True\n"}


def test_computed_files_match_git_diff(repo: Path) -> None:
    old, new = _commit(repo, BEFORE), _commit(repo, AFTER)
    text = _git(repo, "diff", "--no-color", "-M", old, new)
    expected = [{k: v for k, v in entry.items() if k != "sha"} for entry in files_from_unified_diff(text)]
    ours = [{k: v for k, v in entry.items() if k != "sha"} for entry in diff_trees(BEFORE, AFTER)]
    assert sorted(ours, key=lambda e: e["filename"]) == sorted(expected, key=lambda e: e["filename"])
    app = next(e for e in ours if e["filename"] == "src/app.py")
    assert app["patch"].startswith("@@ -11,7 +11,7 @@ def handler():")  # git's function heading
    assert app["patch"].endswith("+tail\n\\ No newline at end of file")
