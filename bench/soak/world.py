"""The outside world of the soak: GitHub, Jira and the LLM (local fakes), real git repositories, and a
mixed, signed stream of real-shaped webhook deliveries sent at a fixed rate, retried like GitHub does.
"""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.soak.autofix import FIXER, AutofixTraffic
from bench.soak.impact import impact_pull
from domain.webhooks.signatures import sign
from tests.fakes.github import FakeGitHub
from tests.fakes.github_diff import files_from_unified_diff
from tests.fakes.jira import FakeJira
from tests.fakes.llm import FakeLLM
from tests.support.fixtures import fixture_bytes, fixture_json

GITHUB_SECRET = "soak-github-secret"
COMMANDER = "soak-dev"  # a developer with write access, who gives the pull-request commands
COMMAND_KINDS = ("improve", "describe", "ask", "help")
JIRA_SECRET = "soak-jira-secret"
ORG = "soakorg"
DIFFS = [
    "php-sql__panique-mini__a386292_crud-update-song_PR125.diff",
    "ts-nestjs__lujakob-nestjs-realworld__8f5ab17_fix-articles-feed-endpoint.diff",
    "python__nsidnev-fastapi-realworld__e96b98a_db-connection-per-request_PR62.diff",
]


@dataclass
class Sent:
    """One delivery and what became of it: first answer, retries, acknowledgement latency."""

    delivery_id: str
    path: str
    body: bytes
    headers: dict[str, str]
    statuses: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    duplicate_of: str | None = None

    @property
    def accepted(self) -> bool:
        return any(s in (200, 202) for s in self.statuses)


@dataclass
class PullState:
    repo: str
    number: int
    heads: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CommandSent:
    """One command comment (one delivery) and where its answer must appear."""

    repo: str
    number: int
    kind: str
    comment_id: int


@dataclass
class SoakWorld:
    root: Path
    github: FakeGitHub
    jira: FakeJira
    llm: FakeLLM
    rng: random.Random
    repos: dict[str, Path] = field(default_factory=dict)  # full name -> bare repository
    heads: dict[str, str] = field(default_factory=dict)  # full name -> main head
    pulls: dict[tuple[str, int], PullState] = field(default_factory=dict)
    sent: dict[str, Sent] = field(default_factory=dict)
    retry_queue: list[Sent] = field(default_factory=list)
    late: list[tuple[float, Sent]] = field(default_factory=list)  # (when to send, delivery): webhooks that lag
    counts: dict[str, int] = field(default_factory=dict)
    commands: list[CommandSent] = field(default_factory=list)
    autofix: AutofixTraffic = field(default_factory=AutofixTraffic)
    mirrored: set[str] = field(default_factory=set)  # repositories whose content the GitHub stand-in holds
    impact_pulls: dict[tuple[str, int], str] = field(default_factory=dict)  # (repo, number) -> world change
    _serial: int = 0

    # -- repositories ---------------------------------------------------------------------------
    def create_repo(self, name: str, files: dict[str, str] | None = None) -> str:
        """A real repository pushed to a bare remote; with `files`, the stand-in holds its content too
        (pull requests on it are then made of real commits, and its pushes are mirrored)."""
        full = f"{ORG}/{name}"
        work = self.root / "work" / name
        bare = self.root / "remotes" / f"{name}.git"
        work.mkdir(parents=True)
        _git(work, "init", "-q", "-b", "main")
        default = {
            "package.json": json.dumps({"name": name, "dependencies": {"@nestjs/core": "^10"}}),
            "src/main.ts": "export function main(): number {\n  return 1;\n}\n",
        }
        for path, text in (files or default).items():
            (work / path).parent.mkdir(parents=True, exist_ok=True)
            (work / path).write_text(text)
        (work / "src").mkdir(exist_ok=True)
        head = _commit(work, "initial")
        subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
        _git(work, "remote", "add", "origin", str(bare))
        self.repos[full], self.heads[full] = bare, head
        self.github.add_repo(
            full, default_branch="main", language="TypeScript", head_sha=head, clone_url=str(bare), files=files
        )
        if files:
            self.mirrored.add(full)
        self.github.add_collaborator(full, COMMANDER, "write")
        self.github.add_collaborator(full, FIXER, "write")
        return full

    def push_commit(self, full: str) -> tuple[str, str]:
        """A real commit on main, pushed to the bare repository; (before, after)."""
        work = self.root / "work" / full.split("/", 1)[1]
        self._serial += 1
        target = work / "src" / f"feature_{self._serial % 7}.ts"
        target.write_text(
            f"export function feature{self._serial}(x: number): number {{\n  return x * {self._serial};\n}}\n"
        )
        changes: dict[str, str | None] = {f"src/{target.name}": target.read_text()}
        others = sorted(p for p in (work / "src").iterdir() if p.is_file() and p.name.startswith("feature_"))
        others = [p for p in others if p.name != target.name]
        if self._serial % 5 == 0 and others:
            others[0].unlink()  # deletions too, so the index must drop chunks
            changes[f"src/{others[0].name}"] = None
        before = self.heads[full]
        after = _commit(work, f"change {self._serial}")
        _git(work, "push", "-q", "origin", "main")
        self.heads[full] = after
        if full in self.mirrored:
            self.github.commit_changes(full, changes, branch="main", sha=after, message=f"change {self._serial}")
        else:
            self.github.add_branch(full, "main", after)
        return before, after

    # -- deliveries -----------------------------------------------------------------------------
    def github_delivery(self, path: str, event: str, payload: dict[str, Any]) -> Sent:
        body = json.dumps(payload).encode()
        self._serial += 1
        delivery = f"soak-{self._serial}-{self.rng.getrandbits(32):08x}"
        headers = {
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": delivery,
            "X-Hub-Signature-256": sign(GITHUB_SECRET, body),
            "Content-Type": "application/json",
        }
        return Sent(delivery, path, body, headers)

    def pr_opened(self) -> Sent:
        repo = self.rng.choice(sorted(self.repos))
        number = len([p for p in self.pulls if p[0] == repo]) + 1
        head = f"{self.rng.getrandbits(160):040x}"
        title = f"SOAK-{number} change {number}"
        self.github.add_pull(
            repo,
            number,
            title=title,
            head_ref=f"feature-{number}",
            head_sha=head,
            base_ref="main",
            base_sha=self.heads[repo],
            files=self._files(),
        )
        self.record_pull(repo, number, head)
        return self.pull_request_opened(repo, number, head, title)

    def record_pull(self, repo: str, number: int, head: str) -> None:
        self.pulls[(repo, number)] = PullState(repo, number, [head])

    def pull_request_opened(self, repo: str, number: int, head: str, title: str) -> Sent:
        """The `pull_request` `opened` delivery of a pull request the stand-in already has."""
        payload = fixture_json("github/octokit-webhooks__pull_request_opened.payload.json")
        pr = payload["pull_request"]
        payload["number"] = pr["number"] = number
        pr["head"]["sha"], pr["title"] = head, title
        payload["repository"]["full_name"] = repo
        payload["repository"]["name"] = repo.split("/")[1]
        return self.github_delivery("/api/v1/github_webhooks", "pull_request", payload)

    def pr_synchronize(self, state: PullState) -> Sent:
        head = f"{self.rng.getrandbits(160):040x}"
        self.github.push_to_pull(state.repo, state.number, head, files=self._files())
        state.heads.append(head)
        payload = fixture_json("github/octokit-webhooks__pull_request_synchronize.payload.json")
        payload["number"] = payload["pull_request"]["number"] = state.number
        payload["pull_request"]["head"]["sha"] = head
        payload["repository"]["full_name"] = state.repo
        return self.github_delivery("/api/v1/github_webhooks", "pull_request", payload)

    def pr_push_late(self, state: PullState) -> None:
        """A push whose webhook arrives seconds late: a review under way sees the head move on GitHub."""
        delivery = self.pr_synchronize(state)
        self.late.append((time.monotonic() + self.rng.uniform(2.0, 6.0), delivery))

    def due_late(self) -> list[Sent]:
        now = time.monotonic()
        due = [item for when, item in self.late if when <= now]
        self.late = [(when, item) for when, item in self.late if when > now]
        return due

    def refuse_next_review(self) -> str | None:
        """GitHub refuses the next batched review on a PR (422), and the first comment posted alone."""
        if not self.pulls:
            return None
        repo, number = self.rng.choice(sorted(self.pulls))
        self.github.fail_next_review(repo, number, status=422)
        refusal = {"message": "Validation Failed", "errors": [{"field": "line", "message": "could not be resolved"}]}
        self.github.faults.push(status=422, body=refusal, method="POST", path=f"/repos/{repo}/pulls/{number}/comments$")
        return f"{repo}#{number}"

    def review_comment(self, state: PullState) -> Sent:
        payload = fixture_json("github/go-playground-webhooks__pull-request-issue-comment.json")
        payload["comment"]["body"] = "/review"
        payload["issue"]["number"] = state.number
        payload["repository"]["full_name"] = state.repo
        return self.github_delivery("/api/v1/github_webhooks", "issue_comment", payload)

    def command_burst(self, state: PullState) -> list[Sent]:
        """A command on a pull request: /improve and /describe come in bursts (several people, a
        double click), each its own comment and delivery; /ask and /help come one at a time."""
        kind = self.rng.choice(COMMAND_KINDS)
        count = self.rng.randint(2, 3) if kind in ("improve", "describe") else 1
        return [self._command(state, kind) for _ in range(count)]

    def _command(self, state: PullState, kind: str) -> Sent:
        self._serial += 1
        body = f"/ask what does change {self._serial} do to the orders?" if kind == "ask" else f"/{kind}"
        comment_id = self.github.add_issue_comment(state.repo, state.number, body, user_login=COMMANDER)
        payload = fixture_json("github/go-playground-webhooks__pull-request-issue-comment.json")
        author = {"login": COMMANDER, "type": "User"}
        payload["comment"].update(body=body, id=comment_id, user=author)
        payload["sender"] = author
        payload["issue"]["number"] = state.number
        payload["repository"]["full_name"] = state.repo
        self.commands.append(CommandSent(state.repo, state.number, kind, comment_id))
        return self.github_delivery("/api/v1/github_webhooks", "issue_comment", payload)

    def push_main(self) -> Sent:
        repo = self.rng.choice(sorted(self.repos))
        before, after = self.push_commit(repo)
        payload = fixture_json("github/go-playground-webhooks__push.json")
        payload.update(ref="refs/heads/main", before=before, after=after, created=False, deleted=False)
        payload["repository"].update(full_name=repo, clone_url=str(self.repos[repo]), default_branch="main")
        payload["commits"] = [
            {
                "id": after,
                "message": "soak change",
                "timestamp": "2026-11-24T00:00:00Z",
                "author": {"name": "soak", "username": "soak"},
                "url": f"https://example.invalid/{after}",
            }
        ]
        return self.github_delivery("/api/v1/webhooks/push", "push", payload)

    def new_repository(self, name: str | None = None, files: dict[str, str] | None = None) -> Sent:
        full = self.create_repo(name or f"svc{len(self.repos) + 1}", files)
        payload = fixture_json("github/octokit-webhooks__repository_created.payload.json")
        payload["repository"].update(full_name=full, name=full.split("/")[1], clone_url=str(self.repos[full]))
        return self.github_delivery("/api/v1/webhooks/github/organization", "repository", payload)

    def package_published(self) -> Sent:
        self._serial += 1
        version = f"1.{self._serial}.0"
        self.github.add_package(ORG, "soak-shared", versions=[f"1.{v}.0" for v in range(1, self._serial + 1)])
        payload = fixture_json("github/octokit-webhooks__package_published.npm.payload.json")
        payload["package"]["name"] = "soak-shared"
        payload["package"]["package_version"]["version"] = version
        return self.github_delivery("/api/v1/webhooks/github/organization", "package", payload)

    def jira_update(self) -> Sent:
        payload = fixture_json("jira/zulip__issue_updated__status.json")
        self._serial += 1
        key = f"SOAK-{self._serial % 5 + 1}"
        payload["issue"]["key"] = key
        payload["issue"]["fields"]["summary"] = f"Soak ticket {key} rev {self._serial}"
        payload["issue"]["fields"]["updated"] = (
            f"2026-11-24T00:{self._serial // 60 % 60:02d}:{self._serial % 60:02d}.000+0000"
        )
        self.jira.add_issue(
            key,
            summary=payload["issue"]["fields"]["summary"],
            description="Soak",
            status="In Progress",
            updated=payload["issue"]["fields"]["updated"],
        )
        body = json.dumps(payload).encode()
        delivery = f"soak-jira-{self._serial}"
        headers = {
            "X-Hub-Signature": sign(JIRA_SECRET, body),
            "X-Atlassian-Webhook-Identifier": delivery,
            "Content-Type": "application/json",
        }
        return Sent(delivery, "/api/v1/webhooks/jira", body, headers)

    def duplicate(self) -> Sent | None:
        accepted = [s for s in self.sent.values() if s.accepted and s.duplicate_of is None]
        if not accepted:
            return None
        original = self.rng.choice(accepted)
        return Sent(
            original.delivery_id, original.path, original.body, original.headers, duplicate_of=original.delivery_id
        )

    def _files(self) -> list[dict[str, Any]]:
        return files_from_unified_diff(fixture_bytes(f"diffs/{self.rng.choice(DIFFS)}").decode())

    # -- sending --------------------------------------------------------------------------------
    def next_event(self) -> list[Sent]:
        """One step of the mixed stream (a synchronize burst is several deliveries)."""
        roll = self.rng.random()
        open_pulls = list(self.pulls.values())
        if roll < 0.22 or not open_pulls:
            kind, events = "pr_opened", [self.pr_opened()]
        elif roll < 0.38:
            state = self.rng.choice(open_pulls)
            kind, events = "pr_sync_burst", [self.pr_synchronize(state) for _ in range(self.rng.randint(2, 6))]
        elif roll < 0.42:
            self.pr_push_late(self.rng.choice(open_pulls))
            kind, events = "pr_push_late_webhook", []
        elif roll < 0.46:
            kind, events = "review_comment", [self.review_comment(self.rng.choice(open_pulls))]
        elif roll < 0.54:
            kind, events = "command_burst", self.command_burst(self.rng.choice(open_pulls))
        elif roll < 0.60:
            dup = self.duplicate()
            kind, events = "duplicate", [dup] if dup else []
        elif roll < 0.70:
            kind, events = "push_main", [self.push_main()]
        elif roll < 0.75:
            kind, events = self._autofix_step()
        elif roll < 0.79:
            kind, events = "new_repository", [self.new_repository()]
        elif roll < 0.84 and self.mirrored:
            kind, events = "impact_pr", [impact_pull(self, ORG)]
        elif roll < 0.90:
            kind, events = "package_published", [self.package_published()]
        else:
            kind, events = "jira_update", [self.jira_update()]
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return events

    def _autofix_step(self) -> tuple[str, list[Sent]]:
        """`/auto-fix` on a reviewed fixable pull request when there is one, else open one."""
        asked = self.autofix.ask(self)
        if asked is not None:
            return "autofix_comment", [asked]
        return "autofix_pr_opened", [self.autofix.open_pull(self)]

    async def send(self, client: httpx.AsyncClient, api_url: str, item: Sent) -> None:
        if item.duplicate_of is None:
            self.sent.setdefault(item.delivery_id, item)
        started = time.monotonic()
        try:
            response = await client.post(api_url + item.path, content=item.body, headers=item.headers, timeout=15)
            status = response.status_code
        except httpx.HTTPError:
            status = 0  # the API was down: GitHub would retry the delivery
        record = self.sent[item.delivery_id] if item.duplicate_of else item
        record.statuses.append(status)
        if status in (200, 202):
            record.latencies.append(time.monotonic() - started)
        elif item.duplicate_of is None:
            self.retry_queue.append(item)


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _commit(work: Path, message: str) -> str:
    _git(work, "add", "-A")
    author = ["-c", "user.name=soak", "-c", "user.email=soak@example.invalid"]
    _git(work, *author, "commit", "-q", "--allow-empty", "-m", message)
    return _git(work, "rev-parse", "HEAD")


async def pace(rate_per_second: float, deadline: float) -> Any:
    """Yield at a fixed rate until the deadline (monotonic seconds)."""
    interval = 1.0 / rate_per_second
    tick = time.monotonic()
    while tick < deadline:
        yield
        tick += interval
        await asyncio.sleep(max(0.0, tick - time.monotonic()))
