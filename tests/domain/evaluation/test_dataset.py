"""The own-format loader on the shipped dataset and on broken copies of it."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from domain.diff import parse_unified_diff
from domain.evaluation.dataset import NotADatasetError, load_dataset

SHIPPED = Path(__file__).resolve().parents[2] / "fixtures" / "eval"


def test_every_shipped_case_loads() -> None:
    dataset = load_dataset(SHIPPED)

    assert dataset.format == "own"
    assert dataset.errors == ()
    assert len(dataset.cases) == 25
    assert dataset.golden_count == 37
    assert Counter(case.kind for case in dataset.cases) == {"bug": 18, "clean": 7}


def test_shipped_dataset_covers_the_five_stacks_with_clean_cases_in_each() -> None:
    cases = load_dataset(SHIPPED).cases

    by_language = Counter(case.language for case in cases)
    assert by_language == {"typescript": 7, "tsx": 4, "php": 4, "python": 6, "sql": 4}
    clean_stacks = {case.stack for case in cases if case.kind == "clean"}
    assert clean_stacks == {"nestjs", "react", "pdo", "fastapi", "postgres"}


def test_shipped_golden_comments_sit_on_lines_the_diff_adds_or_shows() -> None:
    for case in load_dataset(SHIPPED).cases:
        files = {f.path: f for f in parse_unified_diff(case.diff)}
        for comment in case.golden:
            assert comment.path is not None and comment.line is not None
            assert comment.line in files[comment.path].new_side_lines(), case.case_id


def test_shipped_head_files_are_the_diffs_new_side() -> None:
    cases = {case.case_id: case for case in load_dataset(SHIPPED).cases}
    case = cases["ts-nestjs-auth-token-scheme"]

    head = case.head_files["src/user/auth.middleware.ts"].splitlines()
    assert head[25 - 1].strip() == "const token = header.split(' ')[1];"
    assert [(g.line, g.severity, g.category) for g in case.golden] == [(25, "medium", "security"), (26, "high", "bug")]
    assert case.base_files["src/user/auth.middleware.ts"].count("scheme !== 'Token'") == 1


@pytest.fixture
def broken_copy(tmp_path: Path) -> Path:
    root = tmp_path / "eval"
    shutil.copytree(SHIPPED, root)
    cases = root / "cases"
    (cases / "sql-postgres-delete-user-null" / "case.toml").unlink()
    toml = cases / "py-fastapi-jwt-expiry" / "case.toml"
    toml.write_text(toml.read_text().replace('severity = "high"', 'severity = "urgent"', 1))
    toml = cases / "php-pdo-password-md5" / "case.toml"
    toml.write_text(toml.read_text().replace("line = 22", "line = 2"))
    toml = cases / "tsx-react-polling-leak" / "case.toml"
    toml.write_text(toml.read_text().replace('kind = "bug"', 'kind = "clean"'))
    head = cases / "sql-postgres-left-join-filter" / "head" / "queries" / "author_activity.sql"
    head.write_text(head.read_text().replace("COUNT(*)", "COUNT(a.id)"))
    (cases / "ts-nestjs-extract-slugify" / "case.toml").write_text('title = "unterminated\n')
    return root


def test_malformed_cases_are_reported_by_name_and_the_rest_still_load(broken_copy: Path) -> None:
    dataset = load_dataset(broken_copy)

    reasons = {error.name: error.reason for error in dataset.errors}
    assert set(reasons) == {
        "sql-postgres-delete-user-null",
        "py-fastapi-jwt-expiry",
        "php-pdo-password-md5",
        "tsx-react-polling-leak",
        "sql-postgres-left-join-filter",
        "ts-nestjs-extract-slugify",
    }
    assert reasons["sql-postgres-delete-user-null"] == "case.toml is missing"
    assert "golden.0.severity" in reasons["py-fastapi-jwt-expiry"]
    assert "application/models/usermodel.php:2" in reasons["php-pdo-password-md5"]
    assert reasons["tsx-react-polling-leak"] == "a clean case has golden comments"
    assert "head/queries/author_activity.sql line 4" in reasons["sql-postgres-left-join-filter"]
    assert "not valid TOML" in reasons["ts-nestjs-extract-slugify"]
    assert len(dataset.cases) == 25 - 6


def test_a_golden_comment_on_a_file_outside_the_diff_is_refused(tmp_path: Path) -> None:
    case = tmp_path / "cases" / "one"
    case.mkdir(parents=True)
    (case / "change.diff").write_text("--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a = 1\n+a = 2\n")
    (case / "case.toml").write_text(
        'title = "t"\nlanguage = "python"\nkind = "bug"\nsource = "s"\nlicence = "MIT"\n'
        '[[golden]]\npath = "y.py"\nline = 1\nseverity = "low"\ncategory = "bug"\ntext = "t"\n'
    )

    dataset = load_dataset(tmp_path)

    assert dataset.cases == ()
    assert [(e.name, e.reason) for e in dataset.errors] == [
        ("one", "golden comment on y.py, which the diff does not change")
    ]


def test_a_folder_in_neither_format_is_not_a_dataset(tmp_path: Path) -> None:
    with pytest.raises(NotADatasetError):
        load_dataset(tmp_path)
