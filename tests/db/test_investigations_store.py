"""Checkpoints, usage records, code-index hints and the architecture context ReviewPR loads."""

from __future__ import annotations

from typing import Any

import asyncpg

from db.analysis import AnalysisKey, AnalysisRepository, RepositoryFacts, known_topics, load_review_architecture
from db.investigations import Checkpoint, CheckpointKey, InvestigationStore, Usage

KEY = CheckpointKey("acme/orders", "c0ffee", "overview", "fp1")


def checkpoint(model: str, answer: str, fingerprint: str = "fp1") -> Checkpoint:
    return Checkpoint("overview", fingerprint, model, answer, 10, 5, 0.001)


async def test_checkpoints_prefer_the_primary_model_and_match_the_fingerprint(pool: asyncpg.Pool) -> None:
    store = InvestigationStore(pool)
    await store.save_checkpoint(KEY, checkpoint("backup", "from backup"), "default", "v1")
    await store.save_checkpoint(KEY, checkpoint("primary", "from primary"), "default", "v1")
    other = CheckpointKey("acme/orders", "c0ffee", "overview", "fp2")
    await store.save_checkpoint(other, checkpoint("primary", "older prompt", "fp2"), "default", "v0")

    found = await store.find_checkpoint(KEY, ["primary", "backup"])
    assert found is not None and found.answer == "from primary"
    found = await store.find_checkpoint(KEY, ["backup", "primary"])
    assert found is not None and found.answer == "from backup"
    assert await store.find_checkpoint(KEY, ["third"]) is None
    assert await store.find_checkpoint(CheckpointKey("acme/orders", "c0ffee", "overview", "fp3"), ["primary"]) is None


async def test_saving_a_checkpoint_again_replaces_it_and_usage_counts_once(pool: asyncpg.Pool) -> None:
    store = InvestigationStore(pool)
    await store.save_checkpoint(KEY, checkpoint("m", "first"), "default", "v1")
    await store.save_checkpoint(KEY, checkpoint("m", "retried"), "default", "v1")
    assert await store.count_checkpoints("acme/orders", "c0ffee") == 1
    found = await store.find_checkpoint(KEY, ["m"])
    assert found is not None and found.answer == "retried"
    usage = Usage("run/1/1", "openai/m", 10, 5, 0.25, "acme/orders", "investigate:acme/orders@main")
    await store.record_usage(usage)
    await store.record_usage(usage)
    rows = await pool.fetch("SELECT purpose, provider, cost_usd FROM api_usage")
    assert [(r["purpose"], r["provider"], float(r["cost_usd"])) for r in rows] == [("investigate", "openai", 0.25)]


async def test_indexed_paths_rank_the_code_index_for_a_step(pool: asyncpg.Pool) -> None:
    repo_id = await pool.fetchval(
        "INSERT INTO repositories (full_name, owner, name) VALUES ('acme/orders', 'acme', 'orders') RETURNING id"
    )
    chunks = [
        ("src/auth/jwt.ts", "verify token authentication guard jwt"),
        ("src/orders/service.ts", "create order total"),
        ("src/auth/login.ts", "login authentication"),
    ]
    for i, (path, content) in enumerate(chunks):
        await pool.execute(
            """INSERT INTO code_chunks (repository_id, path, start_line, end_line, kind, language, content,
                   content_hash, commit_sha, embedding, embedding_model)
               VALUES ($1, $2, 1, 3, 'window', 'typescript', $3, $4, 'c0ffee', $5, 'hashing')""",
            repo_id,
            path,
            content,
            f"h{i}",
            [0.0] * 383 + [1.0],
        )
    store = InvestigationStore(pool)
    found = await store.indexed_paths("acme/orders", ["authentication", "jwt", "guard", "of"])
    assert found == ["src/auth/jwt.ts", "src/auth/login.ts"]
    assert await store.indexed_paths("acme/other", ["authentication"]) == []


def form(repo: str, published: list[str], subscribed: list[str]) -> dict[str, Any]:
    return {
        "repository": repo,
        "type": "backend",
        "subtype": "nestjs",
        "topics": {"published": published, "subscribed": subscribed},
        "apis": [],
        "http_calls": [],
        "dependencies": [],
        "steps": {"overview": "Takes orders."},
        "skipped": {},
    }


async def save(pool: asyncpg.Pool, repo: str, structured: dict[str, Any], commit: str = "c1") -> None:
    facts = RepositoryFacts(repo, "main", None, "backend", "typescript")
    await AnalysisRepository(pool).save(AnalysisKey(repo, commit, "v1", "m"), facts, "default", "doc", structured)


async def test_review_architecture_summarises_the_repository_and_its_neighbours(pool: asyncpg.Pool) -> None:
    assert await load_review_architecture(pool, "acme/orders") == (None, None)
    await save(pool, "acme/orders", form("acme/orders", ["orders.created"], []), "old")
    await save(pool, "acme/orders", form("acme/orders", ["orders.created", "orders.paid"], []))
    await save(pool, "acme/billing", form("acme/billing", [], ["orders.paid"]))

    summary, related = await load_review_architecture(pool, "acme/orders")
    assert summary is not None and summary.startswith("acme/orders: backend/nestjs")
    assert "orders.paid" in summary and "Overview: Takes orders." in summary
    assert related is not None and "acme/billing consumes `orders.paid`" in related
    forms = {a.repository: a.structured for a in await AnalysisRepository(pool).latest()}
    assert known_topics(forms) == {"published": ["orders.created", "orders.paid"], "subscribed": ["orders.paid"]}
