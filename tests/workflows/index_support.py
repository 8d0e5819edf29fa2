"""Helpers for the indexing tests: local git repositories built in the test, workers, embedders."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from collections.abc import Sequence
from pathlib import Path

import asyncpg
from temporalio.client import Client

from activities.indexer import Finish, Indexer, file_tasks
from clients.git import head_commit
from contracts.common import INDEX_REPO
from contracts.indexing import IndexRepoInput, IndexRepoResult, index_workflow_id
from core.settings import PathsSettings, Settings
from core.temporal.client import task_queue
from db.chunks import StoredChunk
from db.repositories import RepositoryStore
from domain.embeddings import Embedder, HashingEmbedder

_GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


class LocalRepo:
    """A git repository on disk with a `main` branch, edited and committed by the test."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "--quiet", "--initial-branch=main")

    def git(self, *args: str) -> str:
        env = {**os.environ, **_GIT_ENV, "HOME": str(self.path)}
        result = subprocess.run(["git", *args], cwd=self.path, env=env, capture_output=True, check=True)
        return result.stdout.decode().strip()

    def write(self, relative: str, content: str | bytes) -> None:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)

    def remove(self, relative: str) -> None:
        self.git("rm", "--quiet", relative)

    def rename(self, old: str, new: str) -> None:
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", old, new)

    def commit(self, message: str) -> str:
        self.git("add", "--all")
        self.git("commit", "--quiet", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")


PYTHON_SERVICE = '''"""User accounts."""

import hashlib


class UserService:
    def __init__(self, db):
        self.db = db

    def find_user_by_email(self, email):
        return self.db.query("SELECT * FROM users WHERE email = %s", email)

    def hash_password(self, password, salt):
        return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 100000)


def normalise_email(email):
    return email.strip().lower()
'''

TS_CONTROLLER = """import { Controller, Get, Param } from '@nestjs/common';
import { ArticleService } from './article.service';

@Controller('articles')
export class ArticleController {
  constructor(private readonly articles: ArticleService) {}

  @Get(':slug')
  async findOne(@Param('slug') slug: string) {
    return this.articles.findBySlug(slug);
  }
}

export function slugify(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
"""

PHP_MODEL = """<?php
class SongModel
{
    public function getAllSongs()
    {
        $sql = "SELECT id, artist, track, link FROM song";
        $query = $this->db->prepare($sql);
        $query->execute();
        return $query->fetchAll();
    }

    public function deleteSong($song_id)
    {
        $sql = "DELETE FROM song WHERE id = :song_id";
        $query = $this->db->prepare($sql);
        $query->execute(array(':song_id' => $song_id));
    }
}
"""

GO_HANDLER = """package main

import "net/http"

func healthHandler(w http.ResponseWriter, r *http.Request) {
\tw.WriteHeader(http.StatusOK)
\tw.Write([]byte("ok"))
}
"""


def seed_polyglot(repo: LocalRepo) -> str:
    """Several languages, a committed dist/, a binary, a lockfile and docs; returns the commit."""
    repo.write("app/users.py", PYTHON_SERVICE)
    repo.write("src/articles/article.controller.ts", TS_CONTROLLER)
    repo.write("application/model/song.php", PHP_MODEL)
    repo.write("cmd/health.go", GO_HANDLER)
    repo.write("README.md", "# Demo\n\nA service with users, articles and songs.\n")
    repo.write("package.json", '{"name": "demo", "dependencies": {"@nestjs/core": "^10.0.0"}}\n')
    repo.write("package-lock.json", '{"lockfileVersion": 3}\n')
    repo.write("dist/main.js", "function compiled(){return 1}\n" * 20)
    repo.write("assets/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    repo.write("data/blob.bin", b"\x00\x01binary\x00payload\n" * 10)
    return repo.commit("initial")


def settings_with_cache(settings: Settings, cache_dir: Path) -> Settings:
    return settings.model_copy(update={"paths": PathsSettings(repo_cache_dir=str(cache_dir))})


class SlowEmbedder(HashingEmbedder):
    """The offline embedder, slowed per text so that a test can act while a pass runs."""

    def __init__(self, seconds_per_text: float, name: str | None = None) -> None:
        super().__init__(384)
        self._delay = seconds_per_text
        self.embedded = 0
        if name:
            self.name = name

    async def embed(self, texts: list[str]) -> list[list[float]]:
        await asyncio.sleep(self._delay * len(texts))
        self.embedded += len(texts)
        return await super().embed(texts)


async def run_index(
    client: Client, settings: Settings, repository: str, clone_url: Path | str, *, full: bool = False
) -> IndexRepoResult:
    """Run IndexRepo to completion for the `main` branch of a local repository."""
    return await client.execute_workflow(
        INDEX_REPO,
        IndexRepoInput(
            repository=repository, branch="main", commit_sha=None, full=full, trigger="cli", clone_url=str(clone_url)
        ),
        id=index_workflow_id(repository, "main"),
        task_queue=task_queue(settings.temporal, "indexing"),
        result_type=IndexRepoResult,
    )


def paths_of(rows: Sequence[StoredChunk]) -> set[str]:
    return {row.path for row in rows}


def unique_name(prefix: str) -> str:
    """A repository name no other test uses (the Temporal server is shared by the session)."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def index_directly(pool: asyncpg.Pool, repo: LocalRepo, name: str, embedder: Embedder | None = None) -> int:
    """Full-index a local repository with the engine alone (no Temporal); returns the chunk count."""
    record = await RepositoryStore(pool).ensure(name, "main", str(repo.path))
    target = head_commit(repo.path, "HEAD")
    tasks = file_tasks(repo.path, None, target)
    indexer = Indexer(pool, embedder or HashingEmbedder(384))
    counts = await indexer.run(repo.path, record.id, target, tasks, finish=Finish(target, [t.path for t in tasks]))
    return counts.chunks_written
