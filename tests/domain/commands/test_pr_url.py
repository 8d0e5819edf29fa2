"""A pull request named by its URL, and the API that serves its host."""

from __future__ import annotations

import pytest

from domain.commands.pr_url import PullRequestUrl, api_base_for, parse_pr_url


def test_github_urls_are_read_with_any_trailing_part() -> None:
    assert parse_pr_url("https://github.com/acme/orders-api/pull/42") == PullRequestUrl(
        "github.com", "https", "acme/orders-api", 42
    )
    assert parse_pr_url("https://github.com/acme/orders-api/pull/42/files#diff-1").number == 42
    assert parse_pr_url(" https://GHE.acme.example/team/svc/pulls/7/ ").host == "ghe.acme.example"


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/acme/api/issues/3",
        "github.com/acme/api/pull/3",
        "ftp://x/a/b/pull/1",
        "https://github.com/acme",
    ],
)
def test_anything_else_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="is not a pull request URL"):
        parse_pr_url(url)


def test_the_api_base_follows_the_host() -> None:
    public = parse_pr_url("https://github.com/acme/api/pull/1")
    enterprise = parse_pr_url("https://ghe.acme.example/acme/api/pull/1")
    assert api_base_for(public, "https://ghe.acme.example/api/v3") == "https://api.github.com"
    assert api_base_for(enterprise, "https://api.github.com") == "https://ghe.acme.example/api/v3"
    # A configured API on the URL's own host is used as it is (a server behind another path, a stand-in).
    assert (
        api_base_for(enterprise, "https://ghe.acme.example/github/api/v3/") == "https://ghe.acme.example/github/api/v3"
    )
    local = parse_pr_url("http://127.0.0.1:8123/acme/api/pull/1")
    assert api_base_for(local, "http://127.0.0.1:8123") == "http://127.0.0.1:8123"
