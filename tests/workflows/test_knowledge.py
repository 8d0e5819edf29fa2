"""AskKnowledge on the real Temporal and PostgreSQL, litellm against the local model stand-in."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

import asyncpg
import pytest
from temporalio.client import Client, WorkflowHistory
from temporalio.worker import Replayer

from contracts.knowledge import KnowledgeAnswer
from contracts.starts import ask_knowledge_start
from core.settings import Settings
from core.temporal.client import start_workflow
from tests.fakes.llm import FakeLLM
from tests.support.knowledge_world import ORDERS, PULL, QUESTION, TICKET, citing_answer, seed_knowledge_world
from tests.support.settings import make_settings
from workers.base import SANDBOX, WorkerDeps, build_worker
from workers.registry import REGISTRATIONS
from workflows.knowledge import AskKnowledgeWorkflow

RECORDED_ID = "knowledge:recorded"
HISTORIES = sorted((Path(__file__).parent / "histories_knowledge").glob("*.json"))


async def ask(
    client: Client, settings: Settings, pool: asyncpg.Pool, question: str, workflow_id: str | None = None
) -> KnowledgeAnswer:
    plan = ask_knowledge_start(question=question, asked_by="test", trigger="cli", asked_at=uuid.uuid4().hex)
    if workflow_id:
        plan = replace(plan, workflow_id=workflow_id)
    deps = WorkerDeps(settings, pool)
    async with build_worker(client, deps, "reviews", REGISTRATIONS["reviews"](deps)):
        handle = await start_workflow(client, settings.temporal, plan)
        return await client.get_workflow_handle(handle.id, result_type=KnowledgeAnswer).result()


async def _replays(client: Client, workflow_id: str) -> None:
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    await Replayer(workflows=[AskKnowledgeWorkflow], workflow_runner=SANDBOX).replay_workflow(history)


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_recorded_history_replays(path: Path) -> None:
    history = WorkflowHistory.from_json(RECORDED_ID, path.read_text())
    await Replayer(workflows=[AskKnowledgeWorkflow], workflow_runner=SANDBOX).replay_workflow(history)


def test_a_recorded_history_is_present() -> None:
    assert HISTORIES, "tests/workflows/histories_knowledge/ must hold at least one recorded AskKnowledge history"


async def test_answer_cites_the_evidence_it_was_shown_and_flags_what_it_was_not(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    await seed_knowledge_world(pool, tmp_path)
    with FakeLLM(responder=citing_answer) as llm:
        settings = make_settings(db_dsn, LLM_MODEL="openai/assistant", LLM_API_BASE=llm.url + "/v1", LLM_API_KEY="test")
        answer = await ask(temporal_client, settings, pool, QUESTION)
        [call] = llm.chat_calls
    prompt = call.messages[-1]["content"]
    assert QUESTION in prompt and f"ticket `{TICKET}`" in prompt and f"`{ORDERS}#{PULL}`" in prompt
    assert "acme/orders:app/refunds.py:" in prompt  # code and the architecture section's qualified citations
    assert answer.llm_used and answer.answer and answer.model == "openai/assistant"
    cited = {c.text: c for c in answer.citations}
    assert cited[TICKET].known and cited[TICKET].url == "https://acme.atlassian.net/browse/ORD-7"
    assert cited[f"{ORDERS}#{PULL}"].known and cited[f"{ORDERS}#{PULL}"].url == f"https://github.com/{ORDERS}/pull/42"
    code = [c for c in answer.citations if c.kind == "code" and c.known]
    assert code and code[0].url and code[0].url.startswith("https://github.com/acme/")
    assert not cited["acme/ghost:src/nowhere.py:1"].known
    usage = await pool.fetch("SELECT purpose, model, workflow_id FROM api_usage")
    await _replays(temporal_client, usage[0]["workflow_id"])  # the run's own history replays on this code
    assert [(r["purpose"], r["model"]) for r in usage] == [("knowledge", "openai/assistant")]
    assert usage[0]["workflow_id"].startswith("knowledge:")


async def test_without_a_model_the_answer_is_the_ranked_evidence_and_says_the_model_was_skipped(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path, settings: Settings
) -> None:
    await seed_knowledge_world(pool, tmp_path)
    answer = await ask(temporal_client, settings, pool, f"What changed for {TICKET} in gift card refunds?")
    assert answer.answer is None and not answer.llm_used
    assert answer.llm_skipped_reason and "no LLM is configured" in answer.llm_skipped_reason
    kinds = {e.kind for e in answer.evidence}
    assert {"code", "architecture", "ticket", "pull_request"} <= kinds
    assert answer.evidence[0].ref == TICKET  # named in the question: first
    scores = [e.score for e in answer.evidence]
    assert scores == sorted(scores, reverse=True)
    assert any("code index chunks" in s for s in answer.sources_searched)
    assert await pool.fetchval("SELECT count(*) FROM api_usage") == 0


async def test_an_empty_organisation_gets_no_model_call_and_says_what_is_missing(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    with FakeLLM() as llm:
        settings = make_settings(db_dsn, LLM_MODEL="openai/assistant", LLM_API_BASE=llm.url + "/v1", LLM_API_KEY="test")
        answer = await ask(temporal_client, settings, pool, "Who owns the billing service?")
        assert llm.chat_calls == []
    assert answer.evidence == [] and answer.llm_skipped_reason == "nothing relevant was found to answer from"
    assert "no Jira tickets yet" in answer.sources_missing and "no code index chunks yet" in answer.sources_missing


async def test_a_provider_that_keeps_failing_leaves_the_evidence_and_the_reason(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    await seed_knowledge_world(pool, tmp_path)
    with FakeLLM(api_key="the-right-key") as llm:  # every call is refused with 401
        settings = make_settings(
            db_dsn, LLM_MODEL="openai/assistant", LLM_API_BASE=llm.url + "/v1", LLM_API_KEY="wrong"
        )
        workflow_id = f"knowledge:refused-{uuid.uuid4().hex[:8]}"
        answer = await ask(temporal_client, settings, pool, QUESTION, workflow_id)
    assert answer.answer is None and answer.evidence
    assert answer.llm_skipped_reason == "the LLM provider refused the request"
    await _replays(temporal_client, workflow_id)
