"""An AutoFixPR world: a real git repository (served to the clone step as a local bare remote) that the
GitHub stand-in mirrors commit for commit, a pull request on it, a reviews worker wired to both and
to the LLM stand-in, on the real Temporal and PostgreSQL.

The repository and its code are made up for these tests (a small Python order service).
"""

from __future__ import annotations

import copy
import subprocess
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from temporalio.client import Client
from temporalio.worker import Worker

from contracts.autofix import AutoFixPRResult, autofix_workflow_id
from contracts.webhooks import RoutingConfig, route_github
from core.settings import Settings
from core.temporal.client import start_workflow
from db.reviews import ReviewRecord, ReviewRepository
from domain.autofix.report import TRAILER, marker_in
from domain.findings import Finding
from tests.fakes.github import FakeGitHub
from tests.fakes.llm import FakeLLM
from tests.support.fixtures import fixture_json
from tests.support.settings import make_settings
from workers.base import QueueRegistration, WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

REPO = "acme/orders"
NUMBER = 7
BRANCH = "feature/discounts"
AUTHOR = "dev-alice"
ISSUE_COMMENT = "github/go-playground-webhooks__pull-request-issue-comment.json"

MAIN_FILES = {
    "orders/__init__.py": "",
    "orders/pricing.py": "def price(items):\n    return sum(item.amount for item in items)\n",
    "README.md": "# Orders\n",
}
# The change under review: a bare `except:` (an analyzer finding with an exact replacement) and a
# query built by string formatting (a finding the model has to fix).
FEATURE_FILES = {
    "orders/discounts.py": (
        "import logging\n"
        "\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "\n"
        "def discount(order, code):\n"
        "    try:\n"
        "        rate = CODES[code]\n"
        "    except:\n"
        "        rate = 0\n"
        "    return order.total * rate\n"
        "\n"
        "\n"
        "def find(db, code):\n"
        "    return db.execute(\"SELECT * FROM codes WHERE code = '%s'\" % code)\n"
        "\n"
        "\n"
        'CODES = {"WELCOME": 0.1}\n'
    ),
}
BARE_EXCEPT_LINE = 9
QUERY_LINE = 15

DISCOUNTS = "orders/discounts.py"
OLD_QUERY = FEATURE_FILES[DISCOUNTS].splitlines()[QUERY_LINE - 1]
PARAMETERISED = '    return db.execute("SELECT * FROM codes WHERE code = %s", (code,))'
QUERY = Finding(
    DISCOUNTS,
    QUERY_LINE,
    "high",
    "sql.string-built-query",
    "SQL is built by splicing values into the query text: an injection risk.",
    "Pass the values as parameters of the query.",
    source="analyzer:string_sql",
)
BARE_EXCEPT = Finding(
    DISCOUNTS,
    BARE_EXCEPT_LINE,
    "medium",
    "python.bare-except",
    "Bare `except:` also catches KeyboardInterrupt, SystemExit and asyncio cancellation, and hides bugs.",
    "```python\n    except Exception:\n```",
    source="analyzer:python",
)


def model_diff(old: str, new: str, path: str = DISCOUNTS) -> str:
    """A model's answer: a few words, then the diff replacing line 15 (`old`) with `new`."""
    return (
        "The query takes the code as a parameter now.\n\n```diff\n"
        f"--- a/{path}\n+++ b/{path}\n@@ -14,2 +14,2 @@\n def find(db, code):\n-{old}\n+{new}\n```\n"
    )


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@dataclass
class AutofixWorld:
    client: Client
    settings: Settings
    pool: asyncpg.Pool
    github: FakeGitHub
    llm: FakeLLM
    work: Path  # the author's checkout
    bare: Path  # the remote the clone step fetches from
    head: str = ""  # the pull request's head as the test last left it

    # -- the repository, mirrored into the GitHub stand-in -------------------------------------
    def commit(self, files: dict[str, str | None], message: str, *, branch: str = BRANCH, repo: str = REPO) -> str:
        """A real commit on `branch`, pushed to the bare remote, and the same commit (same sha,
        same tree) on the stand-in's branch of `repo`."""
        git(self.work, "checkout", "-q", branch)
        for path, text in files.items():
            target = self.work / path
            if text is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        git(self.work, "add", "-A")
        git(self.work, "commit", "-q", "-m", message)
        sha = git(self.work, "rev-parse", "HEAD")
        git(self.work, "push", "-q", "origin", branch)
        self.github.commit_changes(repo, files, branch=branch, message=message, sha=sha)
        if branch == BRANCH:
            self.head = sha
        return sha

    def branch_head(self, repo: str = REPO) -> str:
        record = self.github.repo_record(repo)
        assert record is not None
        return record.branches[BRANCH]

    def autofix_commits(self, repo: str = REPO) -> list[str]:
        """Commits on the branch (newest first) that carry an auto-fix marker trailer."""
        record = self.github.repo_record(repo)
        assert record is not None
        found, sha = [], record.branches[BRANCH]
        while sha in record.commits:
            if f"\n{TRAILER}: " in record.commits[sha].message:
                found.append(sha)
            parents = record.commits[sha].parents
            sha = parents[0] if parents else ""
        return found

    def file_on_branch(self, path: str, repo: str = REPO) -> str:
        return self.github.tree_of(repo, BRANCH)[path].decode()

    def replies(self) -> list[dict[str, Any]]:
        comments = self.github.issue_comments(REPO, NUMBER) + self.github.review_comments(REPO, NUMBER)
        return [c for c in comments if marker_in(c["body"])]

    # -- reviews and requests ------------------------------------------------------------------
    async def seed_review(self, *findings: Finding, head: str | None = None, number: int = NUMBER) -> None:
        """A posted review of the head with these findings, stored as ReviewPR stores it."""
        await ReviewRepository(self.pool).record(
            ReviewRecord(
                repository=REPO,
                pr_number=number,
                head_sha=head or self.head,
                status="posted",
                trigger="webhook",
                findings=tuple(findings),
            )
        )

    async def comment(
        self, body: str, *, login: str = AUTHOR, comment_id: int | None = None, number: int = NUMBER
    ) -> AutoFixPRResult:
        """A `/auto-fix` comment, routed as the webhook intake routes it, started, and awaited."""
        payload = copy.deepcopy(fixture_json(ISSUE_COMMENT))
        payload["comment"].update(id=comment_id or uuid.uuid4().int % 10**9, body=body)
        payload["comment"]["user"].update(login=login, type="User")
        payload["issue"]["number"] = number
        payload["repository"]["full_name"] = REPO
        routed = route_github("issue_comment", payload, RoutingConfig(), f"delivery-{uuid.uuid4()}")
        [plan] = routed.starts
        await start_workflow(self.client, self.settings.temporal, plan)
        return await self.result(number)

    async def result(self, number: int = NUMBER) -> AutoFixPRResult:
        handle = self.client.get_workflow_handle(autofix_workflow_id(REPO, number), result_type=AutoFixPRResult)
        return await handle.result()

    async def autofix_rows(self) -> list[asyncpg.Record]:
        return await self.pool.fetch(
            "SELECT * FROM review_history WHERE review_type = 'autofix' ORDER BY created_at, id"
        )


def autofix_settings(db_dsn: str, github: FakeGitHub, llm: FakeLLM, cache: Path, **extra: str) -> Settings:
    return make_settings(
        db_dsn,
        GITHUB_API_URL=github.url,
        GITHUB_USER_TOKEN="ghp_test",
        LLM_MODEL="openai/fixer",
        LLM_API_BASE=llm.url + "/v1",
        LLM_API_KEY="test",
        LLM_TIMEOUT_SECONDS="5",
        REPO_CACHE_DIR=str(cache),
        **extra,
    )


ActivityPatch = Callable[[list[Callable[..., Any]]], list[Callable[..., Any]]]


@asynccontextmanager
async def autofix_world(
    client: Client,
    db_dsn: str,
    pool: asyncpg.Pool,
    tmp_path: Path,
    *,
    main_files: dict[str, str] | None = None,
    patch_activities: ActivityPatch | None = None,
    **variables: str,
) -> AsyncIterator[AutofixWorld]:
    """The repository with its pull request open, and a reviews worker serving AutoFixPR."""
    with FakeGitHub() as github, FakeLLM() as llm:
        settings = autofix_settings(db_dsn, github, llm, tmp_path / "cache", **variables)
        world = _make_repository(client, settings, pool, github, llm, tmp_path, main_files or MAIN_FILES)
        deps = WorkerDeps(settings, pool)
        registration = REGISTRATIONS["reviews"](deps)
        if patch_activities is not None:
            registration = QueueRegistration(registration.workflows, patch_activities(registration.activities))
        worker: Worker = build_worker(client, deps, "reviews", registration)
        async with worker:
            yield world


def _make_repository(
    client: Client,
    settings: Settings,
    pool: asyncpg.Pool,
    github: FakeGitHub,
    llm: FakeLLM,
    tmp_path: Path,
    main_files: dict[str, str],
) -> AutofixWorld:
    work, bare = tmp_path / "work", tmp_path / "remote" / "orders.git"
    work.mkdir(parents=True)
    git(work, "init", "-q", "-b", "main")
    git(work, "config", "user.email", "dev@example.test")
    git(work, "config", "user.name", "Dev")
    for path, text in main_files.items():
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        (work / path).write_text(text)
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "initial")
    main = git(work, "rev-parse", "HEAD")
    bare.parent.mkdir(parents=True)
    git(tmp_path, "clone", "-q", "--bare", str(work), str(bare))
    git(work, "remote", "add", "origin", str(bare))
    git(work, "checkout", "-q", "-b", BRANCH)
    github.add_repo(REPO, head_sha=main, clone_url=str(bare), files=main_files, language="Python")
    github.add_collaborator(REPO, AUTHOR, "write")
    world = AutofixWorld(client, settings, pool, github, llm, work, bare)
    world.commit(dict(FEATURE_FILES), "Discount codes")
    github.open_pull(REPO, NUMBER, title="Discount codes", head_ref=BRANCH, user_login=AUTHOR)
    return world
