"""The made-up repositories of tests/fixtures/synthetic_repos as git repositories, and their
labelled retrieval queries.

Credential files are added here rather than stored with the fixtures: their values are made up
at run time (so no token-shaped literal sits in this repository for a scanner to flag), and
every repository built here holds some, so that whatever indexes it must leave them out.
"""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tests.support.fixtures import FIXTURES
from tests.workflows.index_support import LocalRepo

SYNTHETIC_REPOS = FIXTURES / "synthetic_repos"
NEST_API = "synthetic__nest-ticketing-api"
PHP_MVC = "synthetic__php-library-mvc"
REPOSITORIES = (NEST_API, PHP_MVC)


@dataclass(frozen=True)
class RetrievalQuery:
    """A query with the files that answer it (any one of them counts)."""

    repository: str
    query: str
    kind: str
    expected: tuple[str, ...]


def made_up_password() -> str:
    # Assembled, not written out: a realistic-looking value without a literal in the source.
    return "Vx" + "9q" + "T4mZ" + "r7Lp2" + "Wk"


def credential_files() -> dict[str, str]:
    """Files that hold credentials, as a real repository sometimes (wrongly) commits them."""
    password = made_up_password()
    key_body = "\n".join(["MIIEpAIBAAKCAQEA" + "x7Rk2Pq9" * 6] * 4)
    return {
        ".env": f"DATABASE_URL=postgres://app:{password}@db.internal:5432/app\nJWT_SECRET={password}42\n",
        "prisma/.env": f'DATABASE_URL="postgresql://app:{password}@localhost:5432/app?schema=public"\n',
        "deploy/keys/server.pem": f"-----BEGIN RSA PRIVATE KEY-----\n{key_body}\n-----END RSA PRIVATE KEY-----\n",
        "deploy/service-account.json": '{"type": "service_account", "project_id": "made-up", "private_key_id": "'
        + password
        + '"}\n',
    }


def build_repository(name: str, destination: Path, *, with_credentials: bool = True) -> LocalRepo:
    """A git repository (branch main, one commit) holding a synthetic repository's files."""
    source = SYNTHETIC_REPOS / name
    if not source.is_dir():
        raise FileNotFoundError(f"no synthetic repository {name!r} in {SYNTHETIC_REPOS}")
    shutil.copytree(source, destination)
    repo = LocalRepo(destination)
    if with_credentials:
        for path, text in credential_files().items():
            repo.write(path, text)
    repo.commit(f"{name}: initial")
    return repo


def retrieval_queries(path: Path = SYNTHETIC_REPOS / "retrieval_queries.toml") -> list[RetrievalQuery]:
    """The labelled queries, in file order."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [RetrievalQuery(q["repository"], q["query"], q["kind"], tuple(q["expected"])) for q in data["query"]]
