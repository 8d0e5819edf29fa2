"""The impact world inside the soak: the four repositories of tests/fixtures/impact_world (an API, a
front end and a worker using it, a shared package) as real repositories of the soak organisation,
indexed through the ordinary webhooks, and pull requests made of real commits that break the API or
the package (or change nothing others use), reviewed while processes die and GitHub fails."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.support.impact_world import WorldChange, load_change, repositories, repository_files

if TYPE_CHECKING:
    from bench.soak.world import Sent, SoakWorld

CHANGES = ("remove-route", "rename-topic", "drop-column", "break-export", "internal-only")
PREFIX = "impact-"


def soak_name(world_repository: str, org: str) -> str:
    """`acme/web` of the world is `<org>/impact-web` in the soak."""
    return f"{org}/{PREFIX}{world_repository.split('/', 1)[1]}"


def impact_repositories(world: SoakWorld, org: str) -> list[Sent]:
    """Create the world's repositories (content known to the stand-in) and their `created` deliveries."""
    return [
        world.new_repository(soak_name(name, org).split("/", 1)[1], repository_files(name)) for name in repositories()
    ]


def impact_pull(world: SoakWorld, org: str) -> Sent:
    """A pull request of one world change on its repository, as real commits; its `opened` delivery."""
    change = load_change(world.rng.choice(CHANGES))
    repo = soak_name(change.repository, org)
    branch = f"impact-{len(world.impact_pulls) + 1}-{change.name}"
    head = world.github.commit_changes(repo, {f.path: f.head for f in change.files}, branch=branch)
    number = world.github.open_pull(repo, title=change.title, head_ref=branch)
    world.record_pull(repo, number, head)
    world.impact_pulls[(repo, number)] = change.name
    return world.pull_request_opened(repo, number, head, change.title)


def expected_evidence(change: WorldChange, org: str) -> list[tuple[str, str]]:
    """(consumer repository in the soak, how the summary cites its line) for each expected impact."""
    named = [(soak_name(e.repository, org), e) for e in change.expected]
    return [(consumer, f"{consumer} `{e.path}:{e.line}`") for consumer, e in named]
