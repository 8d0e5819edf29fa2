"""An investigations worker in a process of its own, for tests that kill it with SIGKILL.

    python -m tests.workflows.investigation_worker_process
reads its configuration from the environment (the product's variable names, plus
PR_AGENT_TEST_PROMPTS_ROOT), prints "ready" once it polls, and runs until it is killed.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from core.settings import Settings
from core.temporal.client import connect
from db.pool import create_pool
from tests.workflows.investigation_support import investigations_worker, options


async def main() -> None:
    settings = Settings.from_variables(dict(os.environ))
    import litellm  # noqa: F401  (imported up front, so "ready" means ready to call the model)

    assert settings.database.url is not None
    pool = await create_pool(settings.database.url.get_secret_value())
    client = await connect(settings.temporal)
    worker = investigations_worker(client, pool, settings, options(Path(os.environ["PR_AGENT_TEST_PROMPTS_ROOT"])))
    async with worker:
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
