"""`pr-agent ask "question"` end to end: AskKnowledge on a real Temporal and database, printed."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import asyncpg
import pytest
from temporalio.client import Client

from cli import ask_commands
from core.settings import Settings
from tests.fakes.llm import FakeLLM
from tests.support.knowledge_world import QUESTION, TICKET, citing_answer, seed_knowledge_world
from tests.support.settings import make_settings
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="pr-agent")
    ask_commands.add_parsers(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def _on(settings: Settings, client: Client) -> Settings:
    temporal = settings.temporal.model_copy(update={"address": client.service_client.config.target_host})
    return settings.model_copy(update={"temporal": temporal})


async def test_ask_prints_the_answer_and_marks_a_citation_the_evidence_lacks(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await seed_knowledge_world(pool, tmp_path)
    with FakeLLM(responder=citing_answer) as llm:
        settings = _on(
            make_settings(db_dsn, LLM_API_BASE=llm.url + "/v1", LLM_API_KEY="test", LLM_MODEL="openai/assistant"),
            temporal_client,
        )
        deps = WorkerDeps(settings, pool)
        async with build_worker(temporal_client, deps, "reviews", REGISTRATIONS["reviews"](deps)):
            args = _parse(["ask", QUESTION])
            assert await args.handler(args, settings) == 0
    out = capsys.readouterr().out
    assert out.startswith("Partial refunds go through `issue_refund`")
    assert f"  ok  {TICKET}  https://acme.atlassian.net/browse/ORD-7" in out
    assert "  NOT IN EVIDENCE  acme/ghost:src/nowhere.py:1" in out
    assert "Evidence, ranked:\n   1. [" in out


async def test_ask_without_a_model_prints_the_evidence_and_json_on_request(
    temporal_client: Client, settings: Settings, pool: asyncpg.Pool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await seed_knowledge_world(pool, tmp_path)
    settings = _on(settings, temporal_client)
    deps = WorkerDeps(settings, pool)
    async with build_worker(temporal_client, deps, "reviews", REGISTRATIONS["reviews"](deps)):
        args = _parse(["ask", "--json", QUESTION])
        assert await args.handler(args, settings) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["answer"] is None and body["workflow_id"].startswith("knowledge:")
    assert "no LLM is configured" in body["llm_skipped_reason"] and body["evidence"]


async def test_an_empty_question_is_one_clear_error(settings: Settings) -> None:
    args = _parse(["ask", "  "])
    with pytest.raises(ValueError, match="Type a question first"):
        await args.handler(args, settings)
