"""Small diffs built through the real parser, so tests exercise the shapes production sees."""

from __future__ import annotations

from domain.diff import FileDiff, parse_patch, parse_unified_diff
from domain.review.context import PullRequestInfo
from tests.support.fixtures import fixture_paths


def added_file(path: str, lines: list[str], *, start: int = 1) -> FileDiff:
    """A file whose one hunk adds `lines` starting at new-side line `start`."""
    body = "".join(f"+{line}\n" for line in lines)
    return parse_patch(path, f"@@ -{start - 1},0 +{start},{len(lines)} @@\n{body}")


def multi_hunk_file(path: str, hunks: list[int], *, gap: int = 50) -> FileDiff:
    """A modified file with one hunk per entry, each adding that many lines after a context line."""
    patch = ""
    for index, count in enumerate(hunks):
        start = 1 + index * gap
        body = f" context {index}\n" + "".join(f"+line {index}.{n} = {n}\n" for n in range(count))
        patch += f"@@ -{start},1 +{start},{count + 1} @@ def f{index}():\n{body}"
    return parse_patch(path, patch)


def fixture_files(name_start: str) -> list[FileDiff]:
    """The parsed fixture diff whose file name starts with `name_start`."""
    (path,) = fixture_paths(f"diffs/{name_start}*.diff")
    return parse_unified_diff(path.read_text(encoding="utf-8"))


def pr_info(**changes: object) -> PullRequestInfo:
    """A pull request with plausible values; keyword arguments override fields."""
    values: dict[str, object] = {
        "repo_full_name": "acme/api",
        "number": 42,
        "title": "PAY-12: stop double charges",
        "body": "Fixes the retry loop.",
        "author": "octocat",
        "base_ref": "main",
        "head_ref": "feature/PAY-12-retry",
        "head_sha": "0123456789abcdef0123456789abcdef01234567",
        "url": "https://github.com/acme/api/pull/42",
    }
    values.update(changes)
    return PullRequestInfo(**values)  # type: ignore[arg-type]
