"""Martian's offline golden-comment files, with PR diffs on disk, on a small sample written here."""

from __future__ import annotations

import json
from pathlib import Path

from domain.evaluation.dataset import load_dataset
from domain.evaluation.martian import diff_file_name

DIFF = """diff --git a/src/sentry/utils/cursors.py b/src/sentry/utils/cursors.py
index 1111111..2222222 100644
--- a/src/sentry/utils/cursors.py
+++ b/src/sentry/utils/cursors.py
@@ -10,3 +10,4 @@ class Cursor:
     def __init__(self, value, offset=0):
         self.value = value
-        self.offset = int(offset)
+        self.offset = offset
+        self.is_prev = False
"""

SAMPLE = [
    {
        "pr_title": "Enhanced Pagination Performance",
        "url": "https://github.com/getsentry/sentry/pull/93824",
        "original_url": "https://github.com/getsentry/sentry/pull/90000",
        "comments": [
            {"comment": "Negative offsets reach queryset slicing.", "severity": "High", "category": "bug"},
            {"comment": "Docstring no longer matches.", "severity": "Low"},
        ],
    },
    {
        "pr_title": "No diff for this one",
        "url": "https://github.com/getsentry/sentry/pull/1",
        "comments": [{"comment": "x", "severity": "Medium"}],
    },
    {
        "pr_title": "Bad severity",
        "url": "https://github.com/getsentry/sentry/pull/2",
        "comments": [{"comment": "x", "severity": "Catastrophic"}],
    },
    {"pr_title": "No URL", "comments": []},
]


def write_sample(root: Path) -> None:
    (root / "golden_comments").mkdir(parents=True)
    (root / "diffs").mkdir()
    (root / "golden_comments" / "sentry.json").write_text(json.dumps(SAMPLE))
    (root / "golden_comments" / "broken.json").write_text("[{")
    (root / "diffs" / "getsentry__sentry__93824.diff").write_text(DIFF)
    (root / "diffs" / "getsentry__sentry__2.diff").write_text(DIFF)


def test_pull_requests_with_a_diff_on_disk_become_cases(tmp_path: Path) -> None:
    write_sample(tmp_path)

    dataset = load_dataset(tmp_path)

    assert dataset.format == "martian"
    [case] = dataset.cases
    assert case.case_id == "getsentry__sentry__93824"
    assert (case.title, case.language, case.kind, case.stack) == (
        "Enhanced Pagination Performance",
        "python",
        "bug",
        "sentry",
    )
    assert case.source == "https://github.com/getsentry/sentry/pull/90000"
    assert [(g.severity, g.category, g.path, g.line) for g in case.golden] == [
        ("high", "bug", None, None),
        ("low", "uncategorised", None, None),
    ]
    assert case.diff == DIFF


def test_malformed_or_diffless_pull_requests_are_reported_by_url(tmp_path: Path) -> None:
    write_sample(tmp_path)

    errors = {error.name: error.reason for error in load_dataset(tmp_path).errors}

    assert errors == {
        "broken.json": errors["broken.json"],
        "https://github.com/getsentry/sentry/pull/1": "no diff on disk at diffs/getsentry__sentry__1.diff",
        "https://github.com/getsentry/sentry/pull/2": "unknown severity 'Catastrophic'",
        "sentry.json[3]": "'url' is not a GitHub pull-request URL: None",
    }
    assert errors["broken.json"].startswith("not valid JSON")


def test_diff_file_names_come_from_the_pull_request_url() -> None:
    assert diff_file_name("https://github.com/calcom/cal.com/pull/8087") == "calcom__cal.com__8087.diff"
    assert diff_file_name("https://github.com/calcom/cal.com/pull/8087/") == "calcom__cal.com__8087.diff"
    assert diff_file_name("https://github.com/calcom/cal.com/issues/8087") is None
