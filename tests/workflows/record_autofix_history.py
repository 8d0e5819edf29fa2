"""Record an AutoFixPR history for the replay test: `python -m tests.workflows.record_autofix_history OUT.json`.

The request fixes two findings of a made-up repository: one by the analyzer's exact replacement,
one by the model, both pushed in one commit. Run it after a deliberate, versioned change to
AutoFixPR to add a new history (keep the old ones: they are what running workflows look like).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from cli.temporal_dev import temporal_binary
from contracts.autofix import autofix_workflow_id
from db.embedded import start_embedded
from db.migrate import apply_migrations
from db.pool import create_pool
from tests.support.search_attributes import KEYS
from tests.workflows.autofix_support import (
    BARE_EXCEPT,
    NUMBER,
    OLD_QUERY,
    PARAMETERISED,
    QUERY,
    REPO,
    autofix_world,
    model_diff,
)


async def record(out: Path) -> None:
    data = Path(tempfile.mkdtemp(prefix="pr-agent-history-"))
    data.chmod(0o755)
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("PR_AGENT_DATA_DIR", str(data / "home"))  # never the user's data home
    database = start_embedded(data)
    try:
        await apply_migrations(database.dsn)
        pool = await create_pool(database.dsn)
        env = await WorkflowEnvironment.start_local(dev_server_existing_path=temporal_binary(), search_attributes=KEYS)
        async with autofix_world(env.client, database.dsn, pool, data / "world") as world:
            await world.seed_review(QUERY, BARE_EXCEPT)
            world.llm.enqueue(model_diff(OLD_QUERY, PARAMETERISED))
            result = await world.comment("/auto-fix", comment_id=4242)
            assert [o.status for o in result.outcomes] == ["pushed"], result
            history = await env.client.get_workflow_handle(autofix_workflow_id(REPO, NUMBER)).fetch_history()
        out.write_text(history.to_json())
        await env.shutdown()
        await pool.close()
    finally:
        database.close()


if __name__ == "__main__":
    asyncio.run(record(Path(sys.argv[1])))
