"""Record histories of the command workflows for the replay test:
`python -m tests.workflows.record_command_histories tests/workflows/histories_commands`.

Run it after a deliberate, versioned change to a command workflow, keeping the old files (they are
what running workflows on the old code look like). The world is the synthetic one of the tests.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from cli.temporal_dev import temporal_binary
from contracts.starts import ask_pr_start, describe_pr_start, help_pr_start, improve_pr_start
from db.embedded import start_embedded
from db.migrate import apply_migrations
from db.pool import create_pool
from tests.support.commands import open_pull, run
from tests.support.review_harness import ReviewHarness, review_harness
from tests.support.search_attributes import KEYS

BASE = {"src/auth.ts": "export function allowed(admin: boolean): boolean {\n  return false;\n}\n"}
ADMINS = "  if (admin) {\n    return true;\n  }\n"
HEAD = {"src/auth.ts": BASE["src/auth.ts"].replace("  return false;\n", ADMINS + "  return false;\n")}
SUGGESTION = {
    "path": "src/auth.ts",
    "start_line": 2,
    "line": 4,
    "existing_code": "  if (admin) {\n    return true;\n  }",
    "improved_code": "  if (admin === true) {\n    return true;\n  }",
    "summary": "Compare strictly.",
    "importance": "medium",
    "category": "correctness",
}


async def record_all(client: Client, h: ReviewHarness, out: Path) -> None:
    world = open_pull(h, BASE, HEAD, body="Admins pass.")
    assert h.llm is not None
    h.llm.enqueue(json.dumps({"suggestions": [SUGGESTION]}), json.dumps({"scores": [{"index": 0, "score": 8}]}))
    burst = [world.comment("/improve"), world.comment("/improve")]
    plans = [improve_pr_start(repository=world.repo, number=world.number, request=r) for r in burst]
    await asyncio.gather(*(run(client, h, plan) for plan in plans))
    h.llm.enqueue(json.dumps({"what": "Admins pass.", "files": [], "labels": ["auth"]}))
    describe = describe_pr_start(repository=world.repo, number=world.number, request=world.comment("/describe"))
    await run(client, h, describe)
    h.llm.enqueue("Admins pass the check (`src/auth.ts:2`).")
    question = world.comment("/ask who passes?")
    ask = ask_pr_start(repository=world.repo, number=world.number, request=question, question="who passes?")
    await run(client, h, ask)
    refused = help_pr_start(
        repository=world.repo, number=world.number, request=world.comment("/help", login="rey-reader")
    )
    await run(client, h, refused)
    for name, plan in (("improve_burst", plans[0]), ("describe", describe), ("ask", ask), ("help_refused", refused)):
        history = await client.get_workflow_handle(plan.workflow_id).fetch_history()
        (out / f"{name}_v1.json").write_text(history.to_json())


async def record(out: Path) -> None:
    data = Path(tempfile.mkdtemp(prefix="pr-agent-history-"))
    data.chmod(0o755)
    database = start_embedded(data)
    try:
        await apply_migrations(database.dsn)
        pool = await create_pool(database.dsn)
        env = await WorkflowEnvironment.start_local(dev_server_existing_path=temporal_binary(), search_attributes=KEYS)
        async with review_harness(env.client, database.dsn, pool) as h:
            await record_all(env.client, h, out)
        await env.shutdown()
        await pool.close()
    finally:
        database.close()


if __name__ == "__main__":
    # The test settings keep their data home where the suite does; outside pytest, in a temporary one.
    os.environ.setdefault("PR_AGENT_DATA_DIR", tempfile.mkdtemp(prefix="pr-agent-history-home-"))
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    asyncio.run(record(Path(sys.argv[1])))
