"""GitHub fake route comparing two commits: `GET /repos/{o}/{r}/compare/{base}...{head}`.

Either side may be a branch, a sha (or a unique abbreviation) or "owner:branch" of a fork. The
answer is GitHub's: `status` ahead/behind/diverged/identical, `ahead_by`/`behind_by`, the commits
reachable from head but not base (oldest first, 250 to a page by default, up to 1000), and the
files of the three-dot diff (merge base to head) on the first page only. A ref GitHub does not
know, or two unrelated histories, is a 404.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from tests.fakes import github_shapes_git as git_shapes
from tests.fakes.github_graph import commits_between, comparison_status, merge_base, range_files, resolve_commit
from tests.fakes.github_pull_routes import unified_diff
from tests.fakes.http import RecordedRequest, Reply

if TYPE_CHECKING:
    from tests.fakes.github import FakeGitHub

COMPARE = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/compare/(?P<basehead>.+)"
DOCS = "https://docs.github.com/rest/commits/commits#compare-two-commits"
_DEFAULT_PAGE, _MAX_PAGE = 250, 1000


def register(fake: FakeGitHub) -> None:
    """Add the compare route to `fake`."""
    fake.route("GET", COMPARE, lambda request, params: _compare(fake, request, params))


def _compare(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    base_ref, dots, head_ref = p["basehead"].partition("...")
    if repo is None or not dots:
        return fake.error_reply(404, documentation_url=DOCS)
    base_sha, head_sha = _resolve(fake, p, base_ref), _resolve(fake, p, head_ref)
    if base_sha is None or head_sha is None:
        return fake.error_reply(404, documentation_url=DOCS)
    merge_sha = merge_base(repo, base_sha, head_sha)
    if merge_sha is None:
        return fake.error_reply(404, f"No common ancestor between {base_ref} and {head_ref}.", documentation_url=DOCS)
    ahead = commits_between(repo, base_sha, head_sha)
    behind = len(commits_between(repo, head_sha, base_sha))
    files = range_files(repo, merge_sha, head_sha)
    if "diff" in request.headers.get("accept", ""):
        return Reply(200, unified_diff(files), content_type="application/vnd.github.diff")
    counts = (len(ahead), behind, comparison_status(len(ahead), behind))
    page, per_page = _paging(request)
    listed, headers = ahead, {}
    if page is not None:
        headers = _links(fake, request, page, max(1, math.ceil(len(ahead) / per_page)))
        listed = ahead[(page - 1) * per_page : page * per_page]
    shas = (base_sha, head_sha, merge_sha)
    first_page = page in (None, 1)
    body = git_shapes.comparison(
        fake.url, repo, (base_ref, head_ref), shas, counts, listed, files if first_page else None
    )
    return Reply(200, body, headers)


def _resolve(fake: FakeGitHub, p: dict[str, str], ref: str) -> str | None:
    """The sha of `ref`, which may name a fork's branch as "owner:branch"."""
    owner, colon, name = ref.partition(":")
    holder = fake.repo_from(p) if not colon else fake.repo_record(f"{owner}/{p['repo']}")
    if holder is None:
        return None
    return resolve_commit(holder, name if colon else ref)


def _paging(request: RecordedRequest) -> tuple[int | None, int]:
    """(page, per_page) when the client pages the commits, (None, default) when it does not."""
    if request.param("page") is None and request.param("per_page") is None:
        return None, _DEFAULT_PAGE
    page = max(_number(request.param("page"), 1), 1)
    return page, min(max(_number(request.param("per_page"), _DEFAULT_PAGE), 1), _MAX_PAGE)


def _number(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _links(fake: FakeGitHub, request: RecordedRequest, page: int, last: int) -> dict[str, str]:
    links = []
    if page < last:
        links += [
            f'<{fake.link_url(request, page=page + 1)}>; rel="next"',
            f'<{fake.link_url(request, page=last)}>; rel="last"',
        ]
    if page > 1:
        links += [
            f'<{fake.link_url(request, page=page - 1)}>; rel="prev"',
            f'<{fake.link_url(request, page=1)}>; rel="first"',
        ]
    return {"Link": ", ".join(links)} if links else {}
