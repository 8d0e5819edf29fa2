"""A pull request named by its web address (`pr-agent improve --pr-url ...`), and the API that serves it.

github.com's API lives at api.github.com; GitHub Enterprise Server serves it under /api/v3 on the same
host. When the configured GITHUB_API_URL already points at the URL's host, that one is used as it
is (an Enterprise server behind another path, or a local stand-in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

PUBLIC_API = "https://api.github.com"
_PATH = re.compile(r"^/([^/\s]+)/([^/\s]+)/pulls?/(\d+)(?:/.*)?$")


@dataclass(frozen=True)
class PullRequestUrl:
    host: str  # with the port, when the URL has one
    scheme: str
    repository: str  # owner/name
    number: int


def parse_pr_url(url: str) -> PullRequestUrl:
    """`https://{host}/{owner}/{repo}/pull/{n}` (any trailing part, e.g. /files); ValueError otherwise."""
    parts = urlsplit(url.strip())
    match = _PATH.match(parts.path.rstrip("/") or "/")
    if parts.scheme not in ("http", "https") or not parts.netloc or match is None:
        raise ValueError(f"{url!r} is not a pull request URL (https://HOST/OWNER/REPO/pull/NUMBER)")
    owner, name, number = match.groups()
    return PullRequestUrl(parts.netloc.lower(), parts.scheme, f"{owner}/{name.removesuffix('.git')}", int(number))


def api_base_for(pr: PullRequestUrl, configured_api_url: str) -> str:
    """The REST API base that serves `pr` (see the module docstring)."""
    if pr.host in ("github.com", "www.github.com"):
        return PUBLIC_API
    if urlsplit(configured_api_url).netloc.lower() == pr.host:
        return configured_api_url.rstrip("/")
    return f"{pr.scheme}://{pr.host}/api/v3"
