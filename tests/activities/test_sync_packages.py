"""Pure parts of the package sync: npm names, the latest release, records from GitHub's JSON."""

from __future__ import annotations

import pytest
from github import GithubException
from temporalio.exceptions import ApplicationError

from activities.sync_packages import github_name, latest_version, npm_name, package_record
from clients.github import github_failure


def test_npm_names_live_in_the_lowercased_owner_scope() -> None:
    assert npm_name("Codertocat", "hello-world-npm") == "@codertocat/hello-world-npm"
    assert npm_name("acme", "@acme/auth") == "@acme/auth"
    assert github_name("@acme/auth") == "auth" and github_name("auth") == "auth"


@pytest.mark.parametrize(
    ("versions", "latest"),
    [
        (["2.0.0-rc.1", "1.4.0", "1.3.9"], "1.4.0"),
        (["1.0.0-beta.2", "1.0.0-beta.1"], "1.0.0-beta.2"),
        ([], None),
    ],
)
def test_latest_is_the_newest_release_before_any_prerelease(versions: list[str], latest: str | None) -> None:
    assert latest_version(versions) == latest


def test_an_announced_version_missing_from_the_listing_comes_first() -> None:
    record = package_record("acme", {"name": "auth", "repository": None}, ["1.0.0"], "1.1.0")
    assert (record.name, record.latest_version, record.versions) == ("@acme/auth", "1.1.0", ["1.1.0", "1.0.0"])
    listed = package_record("acme", {"name": "auth"}, ["1.1.0", "1.0.0"], "1.0.0")
    assert listed.versions == ["1.1.0", "1.0.0"] and listed.latest_version == "1.1.0"


def test_an_archived_source_repository_deprecates_the_package() -> None:
    package = {"name": "auth", "repository": {"full_name": "acme/auth", "archived": True}}
    record = package_record("acme", package, ["1.0.0"], None)
    assert record.deprecated and record.deprecation_message == "its repository acme/auth is archived"
    assert record.repository == "acme/auth"


@pytest.mark.parametrize(
    ("status", "headers", "permanent"),
    [
        (401, {}, True),
        (422, {}, True),
        (403, {"x-ratelimit-remaining": "0"}, False),
        (429, {}, False),
        (502, {}, False),
    ],
)
def test_only_refusals_that_retrying_cannot_fix_are_permanent(status: int, headers: dict, permanent: bool) -> None:
    error = github_failure(GithubException(status, {"message": "no"}, headers), "sync")
    assert isinstance(error, ApplicationError) and error.non_retryable == permanent
