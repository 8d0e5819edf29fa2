"""Unified-diff parsing on the real fixture diffs (line numbers checked by hand) and edge cases."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.diff import FileDiff, parse_patch, parse_unified_diff
from tests.support.fixtures import fixture_path

PHP_DIFF = fixture_path("diffs/php-sql__panique-mini__a386292_crud-update-song_PR125.diff")
TS_DIFF = fixture_path("diffs/ts-nestjs__lujakob-nestjs-realworld__8f5ab17_fix-articles-feed-endpoint.diff")
PY_DIFF = fixture_path("diffs/python__nsidnev-fastapi-realworld__e96b98a_db-connection-per-request_PR62.diff")


def by_path(files: list[FileDiff]) -> dict[str, FileDiff]:
    return {file.path: file for file in files}


def test_php_fixture_files_statuses_and_languages() -> None:
    files = parse_unified_diff(PHP_DIFF.read_text())
    assert [(f.path, f.status, f.language) for f in files] == [
        ("application/controller/songs.php", "modified", "php"),
        ("application/models/songsmodel.php", "modified", "php"),
        ("application/views/songs/edit.php", "added", "php"),
        ("application/views/songs/index.php", "modified", "php"),
    ]
    assert all(f.old_path is None and not f.is_binary for f in files)


def test_php_fixture_added_line_numbers() -> None:
    files = by_path(parse_unified_diff(PHP_DIFF.read_text()))
    controller = files["application/controller/songs.php"].added_lines()
    # Hunk 1 replaces line 33; hunk 2 (@@ -80,4 +80,59) keeps 80-82 and adds 83-137.
    assert sorted(controller) == [33, *range(83, 138)]
    assert controller[92] == "    public function editSong($song_id)"
    assert controller[105] == "            var_dump($song);"
    model = files["application/models/songsmodel.php"].added_lines()
    assert model[70].strip().startswith('$sql = "SELECT id, artist, track, link FROM song')
    assert model[97].strip().startswith('$sql = "UPDATE song SET')
    index = files["application/views/songs/index.php"].added_lines()
    assert index == {
        31: "                <td>EDIT</td>",
        46: "                     <td><a href=\"<?php echo URL . 'songs/editsong/' . $song->id; ?>\">E</a></td>",
    }


def test_php_fixture_context_and_deleted_lines_keep_both_numbers() -> None:
    songs = parse_unified_diff(PHP_DIFF.read_text())[0]
    first = songs.hunks[0]
    assert (first.old_start, first.old_count, first.new_start, first.new_count) == (30, 7, 30, 7)
    assert first.section == "class Songs extends Controller"
    deleted = [line for line in first.lines if line.kind == "del"]
    assert [(d.old_line, d.new_line) for d in deleted] == [(33, None)]
    context = [line for line in first.lines if line.kind == "ctx"]
    assert [(c.old_line, c.new_line) for c in context][:3] == [(30, 30), (31, 31), (32, 32)]
    index = by_path(parse_unified_diff(PHP_DIFF.read_text()))["application/views/songs/index.php"]
    shown = index.new_side_lines()
    assert "deletesong" in shown[45] and 45 not in index.added_lines()


def test_new_file_covers_every_line() -> None:
    edit = by_path(parse_unified_diff(PHP_DIFF.read_text()))["application/views/songs/edit.php"]
    assert len(edit.hunks) == 1
    assert sorted(edit.added_lines()) == list(range(1, 19))
    assert edit.added_lines()[8].strip().startswith('<input autofocus type="text" name="artist"')


def test_ts_fixture_no_newline_marker_and_line_numbers() -> None:
    files = by_path(parse_unified_diff(TS_DIFF.read_text()))
    assert len(files) == 6
    assert files["package.json"].language == "json"
    assert files["package.json"].added_lines() == {3: '  "version": "1.1.1",'}
    controller = files["src/article/article.controller.ts"]
    assert sorted(controller.added_lines()) == list(range(30, 39))
    last = controller.hunks[1].lines[-1]
    # The "\ No newline at end of file" marker is not a line; the closing brace is new line 107.
    assert (last.kind, last.text, last.old_line, last.new_line) == ("ctx", "}", 106, 107)
    assert files["src/user/user.decorator.ts"].added_lines() == {9: "  }"}
    assert files["src/user/user.service.ts"].added_lines() == {93: "    }", 118: "      id: user.id,"}


def test_python_fixture_added_lines() -> None:
    (file,) = parse_unified_diff(PY_DIFF.read_text())
    assert file.path == "app/api/dependencies/database.py" and file.language == "python"
    added = file.added_lines()
    assert sorted(added) == [3, *range(15, 29)]
    assert added[15] == "async def _get_connection_from_pool("
    assert added[28] == "        return repo_type(conn)"


def test_rename_with_changes() -> None:
    text = (
        "diff --git a/src/old name.ts b/src/new name.ts\n"
        "similarity index 90%\n"
        "rename from src/old name.ts\n"
        "rename to src/new name.ts\n"
        "index 1111111..2222222 100644\n"
        "--- a/src/old name.ts\n"
        "+++ b/src/new name.ts\n"
        "@@ -1,2 +1,2 @@\n"
        " const a = 1;\n"
        "-const b = 2;\n"
        "+const b = 3;\n"
    )
    (file,) = parse_unified_diff(text)
    assert (file.path, file.old_path, file.status) == ("src/new name.ts", "src/old name.ts", "renamed")
    assert file.added_lines() == {2: "const b = 3;"}


def test_pure_rename_deleted_file_binary_and_mode_change() -> None:
    text = (
        "diff --git a/a.py b/b.py\n"
        "similarity index 100%\n"
        "rename from a.py\n"
        "rename to b.py\n"
        "diff --git a/gone.sql b/gone.sql\n"
        "deleted file mode 100644\n"
        "index 3333333..0000000\n"
        "--- a/gone.sql\n"
        "+++ /dev/null\n"
        "@@ -1,2 +0,0 @@\n"
        "-DELETE FROM t;\n"
        "-SELECT 1;\n"
        "diff --git a/logo.png b/logo.png\n"
        "index 4444444..5555555 100644\n"
        "Binary files a/logo.png and b/logo.png differ\n"
        "diff --git a/run.sh b/run.sh\n"
        "old mode 100644\n"
        "new mode 100755\n"
    )
    renamed, deleted, binary, mode = parse_unified_diff(text)
    assert (renamed.path, renamed.old_path, renamed.status, renamed.hunks) == (
        "b.py",
        "a.py",
        "renamed",
        [],
    )
    assert (deleted.path, deleted.status, deleted.added_lines()) == ("gone.sql", "deleted", {})
    assert [line.old_line for line in deleted.hunks[0].lines] == [1, 2]
    assert (binary.path, binary.is_binary, binary.hunks) == ("logo.png", True, [])
    assert (mode.path, mode.status, mode.hunks) == ("run.sh", "modified", [])


def test_quoted_paths_are_unescaped() -> None:
    text = (
        'diff --git "a/docs/caf\\303\\251 \\"menu\\".md" "b/docs/caf\\303\\251 \\"menu\\".md"\n'
        "new file mode 100644\n"
        "--- /dev/null\n"
        '+++ "b/docs/caf\\303\\251 \\"menu\\".md"\n'
        "@@ -0,0 +1 @@\n"
        "+# Menu\n"
    )
    (file,) = parse_unified_diff(text)
    assert file.path == 'docs/café "menu".md'
    assert (file.status, file.language, file.added_lines()) == ("added", "markdown", {1: "# Menu"})


def test_counts_end_a_hunk_even_when_a_removed_line_looks_like_a_header() -> None:
    # Removing the SQL comment "-- old" prints "--- old"; it is a deletion, not a file header.
    text = (
        "diff --git a/m.sql b/m.sql\n"
        "--- a/m.sql\n"
        "+++ b/m.sql\n"
        "@@ -1,3 +1,2 @@\n"
        "--- old\n"
        " SELECT 1;\n"
        "-SELECT 2;\n"
        "+SELECT 3;\n"
        "diff --git a/n.sql b/n.sql\n"
        "--- a/n.sql\n"
        "+++ b/n.sql\n"
        "@@ -1 +1 @@\n"
        "-a\n"
        "+b\n"
    )
    first, second = parse_unified_diff(text)
    assert [(line.kind, line.text) for line in first.hunks[0].lines] == [
        ("del", "-- old"),
        ("ctx", "SELECT 1;"),
        ("del", "SELECT 2;"),
        ("add", "SELECT 3;"),
    ]
    assert first.added_lines() == {2: "SELECT 3;"}
    assert second.path == "n.sql" and second.added_lines() == {1: "b"}


def test_plain_unified_diff_without_git_header_and_crlf() -> None:
    text = (
        "--- a/app.js\t2024-01-01 10:00:00\r\n"
        "+++ b/app.js\t2024-01-02 10:00:00\r\n"
        "@@ -5,2 +5,3 @@ function main() {\r\n"
        " one();\r\n"
        "+two();\r\n"
        " three();\r\n"
    )
    (file,) = parse_unified_diff(text)
    assert (file.path, file.status, file.language) == ("app.js", "modified", "javascript")
    assert file.added_lines() == {6: "two();"}
    assert file.hunks[0].section == "function main() {"


def test_parse_patch_from_github_files_api() -> None:
    patch = "@@ -10,2 +10,3 @@ def f():\n     a = 1\n+    b = 2\n     c = 3\n\\ No newline at end of file"
    file = parse_patch("svc/app.py", patch)
    assert (file.path, file.status, file.old_path) == ("svc/app.py", "modified", None)
    assert file.added_lines() == {11: "    b = 2"}
    assert [line.new_line for line in file.hunks[0].lines] == [10, 11, 12]
    moved = parse_patch("new.ts", "@@ -1 +1 @@\n-x\n+y", status="renamed", old_path="old.ts")
    assert (moved.status, moved.old_path, moved.added_lines()) == ("renamed", "old.ts", {1: "y"})
    assert parse_patch("gone.ts", "@@ -1 +0,0 @@\n-x", status="removed").status == "deleted"
    assert parse_patch("img.png", "", status="added").hunks == []


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("a/b.ts", "typescript"),
        ("a/b.d.ts", "typescript"),
        ("a/B.tsx", "tsx"),
        ("x.mjs", "javascript"),
        ("x.jsx", "jsx"),
        ("index.PHP", "php"),
        ("m.py", "python"),
        ("q.sql", "sql"),
        ("package.json", "json"),
        ("README.md", "markdown"),
        ("Makefile", "other"),
        ("x.go", "other"),
    ],
)
def test_language_from_extension(path: str, language: str) -> None:
    assert FileDiff(path=path, old_path=None, status="modified").language == language


LINE = st.sampled_from(["a", "b", "", "-- c", "++ d", "--- e", "+++ f", "\\ g", "@@ h", " i"])


@settings(max_examples=150, deadline=None)
@given(old=st.lists(LINE, max_size=25), new=st.lists(LINE, max_size=25))
def test_line_numbers_match_both_sides_for_any_difflib_diff(old: list[str], new: list[str]) -> None:
    text = "\n".join(difflib.unified_diff(old, new, "a/x.sql", "b/x.sql", lineterm=""))
    files = parse_unified_diff(text)
    if old == new:
        assert files == []
        return
    (file,) = files
    for hunk in file.hunks:
        for line in hunk.lines:
            if line.new_line is not None:
                assert new[line.new_line - 1] == line.text
            if line.old_line is not None:
                assert old[line.old_line - 1] == line.text
    kept = len(new) - len(file.added_lines())
    assert kept == len(old) - sum(1 for h in file.hunks for line in h.lines if line.kind == "del")
