"""Pull requests where they live: GitHub, or a local clone."""

from __future__ import annotations

from clients.pull_requests.base import (
    Comparison,
    FetchedPullRequest,
    InlineComment,
    PostingRejected,
    ReviewProvider,
)
from clients.pull_requests.github import GithubProvider
from clients.pull_requests.local import LocalGitProvider, files_from_diff
from contracts.review import PullRequestRef
from core.settings import GithubSettings

__all__ = [
    "Comparison",
    "FetchedPullRequest",
    "GithubProvider",
    "InlineComment",
    "LocalGitProvider",
    "PostingRejected",
    "ReviewProvider",
    "files_from_diff",
    "provider_for",
]


def provider_for(settings: GithubSettings, pr: PullRequestRef) -> ReviewProvider:
    if pr.provider == "local":
        return LocalGitProvider(pr)
    return GithubProvider(settings, pr)
