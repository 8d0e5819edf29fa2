"""Record an AskKnowledge history for the replay test:
`python -m tests.workflows.record_knowledge_history tests/workflows/histories_knowledge/NAME.json`.

Run it after a deliberate, versioned change to AskKnowledge (keep the old files: they are what
running workflows on the old code look like).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from cli.temporal_dev import temporal_binary
from db.embedded import start_embedded
from db.migrate import apply_migrations
from db.pool import create_pool
from tests.fakes.llm import FakeLLM
from tests.support.knowledge_world import QUESTION, citing_answer, seed_knowledge_world
from tests.support.search_attributes import KEYS
from tests.support.settings import make_settings
from tests.workflows.test_knowledge import RECORDED_ID, ask


async def record(out: Path) -> None:
    data = Path(tempfile.mkdtemp(prefix="pr-agent-history-"))
    data.chmod(0o755)
    database = start_embedded(data)
    try:
        await apply_migrations(database.dsn)
        pool = await create_pool(database.dsn)
        env = await WorkflowEnvironment.start_local(dev_server_existing_path=temporal_binary(), search_attributes=KEYS)
        await seed_knowledge_world(pool, data / "repos")
        with FakeLLM(responder=citing_answer) as llm:
            settings = make_settings(
                database.dsn, LLM_MODEL="openai/assistant", LLM_API_BASE=llm.url + "/v1", LLM_API_KEY="test"
            )
            await ask(env.client, settings, pool, QUESTION, RECORDED_ID)
        history = await env.client.get_workflow_handle(RECORDED_ID).fetch_history()
        out.write_text(history.to_json())
        await env.shutdown()
        await pool.close()
    finally:
        database.close()


if __name__ == "__main__":
    asyncio.run(record(Path(sys.argv[1])))
