"""An indexing-queue worker in a process of its own, so a test can SIGKILL it mid-index.

    python -m tests.workflows.index_worker_main   (configured by environment variables)

It differs from `pr-agent worker --queue indexing` in two test-only ways: its embedder sleeps per
text and logs a digest of every text it embeds (so re-embedding across processes is countable),
and the SDK's heartbeat throttle is 1 s instead of 0.8 x the heartbeat timeout (so the server
holds the newest progress before the kill).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import sys
from datetime import timedelta

from temporalio.client import Client
from temporalio.worker import Worker

from core.settings import Settings
from core.temporal.client import task_queue
from db.pool import create_pool
from domain.embeddings import HashingEmbedder
from workers.base import WorkerDeps
from workers.registry import REGISTRATIONS


class LoggingEmbedder(HashingEmbedder):
    def __init__(self, log_path: str, seconds_per_text: float) -> None:
        super().__init__(384)
        self._log_path = log_path
        self._delay = seconds_per_text

    async def embed(self, texts: list[str]) -> list[list[float]]:
        await asyncio.sleep(self._delay * len(texts))
        vectors = await super().embed(texts)
        self._log(texts)
        return vectors

    def _log(self, texts: list[str]) -> None:
        # Appended as soon as embedded, so a SIGKILL loses nothing already counted.
        with open(self._log_path, "a", encoding="utf-8") as log:
            log.writelines(hashlib.sha1(text.encode()).hexdigest() + "\n" for text in texts)


async def main() -> None:
    env = os.environ
    settings = Settings.from_variables(
        {name: env[name] for name in ("DATABASE_URL", "TASK_QUEUE_INDEXING", "REPO_CACHE_DIR", "NODE_ENV")}
    )
    client = await Client.connect(env["TEMPORAL_ADDRESS"])
    pool = await create_pool(env["DATABASE_URL"])
    embedder = LoggingEmbedder(env["EMBED_LOG"], float(env.get("SECONDS_PER_TEXT", "0")))
    deps = WorkerDeps(settings, pool, embedder=embedder)
    registration = REGISTRATIONS["indexing"](deps)
    worker = Worker(
        client,
        task_queue=task_queue(settings.temporal, "indexing"),
        workflows=registration.workflows,
        activities=registration.activities,
        workflow_failure_exception_types=[Exception],
        max_heartbeat_throttle_interval=timedelta(seconds=1),
        default_heartbeat_throttle_interval=timedelta(seconds=1),
    )
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    await worker.run()


if __name__ == "__main__":
    asyncio.run(main())
