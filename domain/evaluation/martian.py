"""Martian's offline code-review benchmark (withmartian/code-review-benchmark, `offline/`), read from disk.

Its golden comments are JSON files, one per source repository, each a list of pull requests:

    [{"pr_title": "...", "url": "https://github.com/getsentry/sentry/pull/93824",
      "original_url": "...",                      # optional
      "comments": [{"comment": "...", "severity": "High", "category": "concurrency"}]}]

`category` is optional (older files have none). The benchmark ships no diffs and its comments carry no
file or line, so a dataset folder here holds `golden_comments/*.json` plus `diffs/<owner>__<repo>__<n>.diff`
for each pull request (`git diff base...head`, or GitHub's `.diff` of the PR). A pull request whose diff
is not on disk is reported by its URL and skipped. Without a judge these comments cannot be matched.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from domain.diff import parse_unified_diff
from domain.evaluation.cases import CaseError, Dataset, EvalCase, GoldenComment, normalise_category, normalise_severity

GOLDEN_DIR = "golden_comments"
DIFFS_DIR = "diffs"
_PR_URL = re.compile(r"^https?://github\.com/([^/\s]+)/([^/\s]+)/pull/(\d+)/?$")


class _EntryError(ValueError):
    pass


def diff_file_name(url: str) -> str | None:
    """`getsentry__sentry__93824.diff` for https://github.com/getsentry/sentry/pull/93824; None if no PR URL."""
    match = _PR_URL.match(url.strip())
    if match is None:
        return None
    owner, repo, number = match.groups()
    return f"{owner}__{repo}__{number}.diff"


def load_martian_dataset(root: Path) -> Dataset:
    """Every pull request of every `golden_comments/*.json` whose diff is in `diffs/`, sorted by case id."""
    cases: dict[str, EvalCase] = {}
    errors: list[CaseError] = []
    for golden_file in sorted((root / GOLDEN_DIR).glob("*.json")):
        for name, entry in _entries(golden_file, errors):
            try:
                case = _case(entry, root / DIFFS_DIR, golden_file.stem)
            except _EntryError as error:
                errors.append(CaseError(name, str(error)))
                continue
            if case.case_id in cases:
                errors.append(CaseError(name, f"pull request listed twice ({case.case_id})"))
                continue
            cases[case.case_id] = case
    ordered = tuple(cases[key] for key in sorted(cases))
    return Dataset(name=root.name, format="martian", cases=ordered, errors=tuple(errors))


def _entries(golden_file: Path, errors: list[CaseError]) -> list[tuple[str, Any]]:
    try:
        data = json.loads(golden_file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        errors.append(CaseError(golden_file.name, f"not valid JSON: {error}"))
        return []
    if not isinstance(data, list):
        errors.append(CaseError(golden_file.name, "expected a list of pull requests"))
        return []
    named: list[tuple[str, Any]] = []
    for index, entry in enumerate(data):
        url = entry.get("url") if isinstance(entry, dict) else None
        named.append((url if isinstance(url, str) and url else f"{golden_file.name}[{index}]", entry))
    return named


def _case(entry: Any, diffs: Path, source_file: str) -> EvalCase:
    if not isinstance(entry, dict):
        raise _EntryError("expected an object with 'url' and 'comments'")
    url = entry.get("url")
    file_name = diff_file_name(url) if isinstance(url, str) else None
    if file_name is None:
        raise _EntryError(f"'url' is not a GitHub pull-request URL: {url!r}")
    diff_path = diffs / file_name
    if not diff_path.is_file():
        raise _EntryError(f"no diff on disk at {DIFFS_DIR}/{file_name}")
    diff = diff_path.read_text(encoding="utf-8", errors="replace")
    changed = parse_unified_diff(diff)
    if not changed:
        raise _EntryError(f"{DIFFS_DIR}/{file_name} holds no file change")
    golden = tuple(_golden(item) for item in _list(entry, "comments"))
    return EvalCase(
        case_id=file_name.removesuffix(".diff"),
        title=str(entry.get("pr_title") or url),
        language=Counter(f.language for f in changed).most_common(1)[0][0],
        kind="bug" if golden else "clean",
        diff=diff,
        golden=golden,
        source=str(entry.get("original_url") or url),
        licence=f"as published by the benchmark ({source_file})",
        stack=source_file,
    )


def _list(entry: dict[str, Any], key: str) -> list[Any]:
    value = entry.get(key, [])
    if not isinstance(value, list):
        raise _EntryError(f"'{key}' is not a list")
    return value


def _golden(item: Any) -> GoldenComment:
    if not isinstance(item, dict) or not isinstance(item.get("comment"), str) or not item["comment"].strip():
        raise _EntryError("a golden comment has no 'comment' text")
    severity = normalise_severity(str(item.get("severity", "")))
    if severity is None:
        raise _EntryError(f"unknown severity {item.get('severity')!r}")
    return GoldenComment(
        text=item["comment"].strip(), severity=severity, category=normalise_category(item.get("category"))
    )
