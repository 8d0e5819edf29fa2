"""The soak's auto-fix traffic: pull requests with a real commit (in the bare repository the clone step
fetches, mirrored into the GitHub stand-in under the same sha) whose change has a finding with an
exact replacement, and, once their review is posted, a `/auto-fix` comment from a collaborator.

These pull requests are kept apart from the synchronize traffic: a random head pushed to the
stand-in alone would be a head the clone step can never fetch.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.support.fixtures import fixture_json

if TYPE_CHECKING:
    from bench.soak.world import Sent, SoakWorld

FIXER = "soak-dev"  # a collaborator with write permission on every soak repository


@dataclass
class FixablePull:
    repo: str
    number: int
    branch: str
    head: str
    request_ids: list[str] = field(default_factory=list)


@dataclass
class AutofixTraffic:
    pulls: dict[tuple[str, int], FixablePull] = field(default_factory=dict)

    @property
    def request_ids(self) -> list[str]:
        return [r for pull in self.pulls.values() for r in pull.request_ids]

    def open_pull(self, world: SoakWorld) -> Sent:
        """A branch off main adding a function with a bare `except:`, pushed for real, as a PR."""
        repo = world.rng.choice(sorted(world.repos))
        number = 1000 + len(self.pulls) + 1
        branch = f"fix-{number}"
        work = world.root / "work" / repo.split("/", 1)[1]
        path = f"src/legacy_{number}.py"
        text = (
            f"def legacy_{number}(value):\n    try:\n        return int(value)\n    except:\n        return {number}\n"
        )
        _git(work, "checkout", "-q", "-b", branch, "main")
        (work / path).write_text(text)
        head = _commit(work, f"Legacy parser {number}")
        _git(work, "push", "-q", "origin", branch)
        _git(work, "checkout", "-q", "main")
        world.github.commit_changes(repo, {path: text}, branch=branch, message=f"Legacy parser {number}", sha=head)
        world.github.open_pull(repo, number, title=f"SOAK-{number} legacy parser", head_ref=branch, user_login=FIXER)
        self.pulls[(repo, number)] = FixablePull(repo, number, branch, head)
        payload = fixture_json("github/octokit-webhooks__pull_request_opened.payload.json")
        pr = payload["pull_request"]
        payload["number"] = pr["number"] = number
        pr["head"].update(sha=head, ref=branch)
        pr["title"] = f"SOAK-{number} legacy parser"
        payload["repository"].update(full_name=repo, name=repo.split("/", 1)[1])
        return world.github_delivery("/api/v1/github_webhooks", "pull_request", payload)

    def ask(self, world: SoakWorld) -> Sent | None:
        """`/auto-fix` on a reviewed pull request not asked yet (None when there is none)."""
        reviewed = [
            p
            for p in self.pulls.values()
            if not p.request_ids
            and any("pr-agent:summary" in c["body"] for c in world.github.issue_comments(p.repo, p.number))
        ]
        if not reviewed:
            return None
        pull = world.rng.choice(reviewed)
        comment_id = world.github.add_issue_comment(pull.repo, pull.number, "/auto-fix", user_login=FIXER)
        pull.request_ids.append(f"comment-{comment_id}")
        payload: dict[str, Any] = fixture_json("github/go-playground-webhooks__pull-request-issue-comment.json")
        payload["comment"].update(id=comment_id, body="/auto-fix")
        payload["comment"]["user"].update(login=FIXER, type="User")
        payload["issue"]["number"] = pull.number
        payload["repository"]["full_name"] = pull.repo
        return world.github_delivery("/api/v1/github_webhooks", "issue_comment", payload)


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _commit(work: Path, message: str) -> str:
    _git(work, "add", "-A")
    author = ["-c", "user.name=soak", "-c", "user.email=soak@example.invalid"]
    _git(work, *author, "commit", "-q", "-m", message)
    return _git(work, "rev-parse", "HEAD")
