"""Record a ReviewPR history for the replay test: `python -m tests.workflows.record_history OUT.json [verified]`.

`verified`: the model comments once and the verification pass scores it (histories since "verify-comments"; v3 also
reads feedback before posting, "learn-from-feedback").

Run it after a deliberate, versioned change to ReviewPR to add a new history (keep the old ones:
they are what running workflows on the old code look like).
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
from tests.support.review_harness import llm_answer, review_harness
from tests.support.search_attributes import KEYS

COMMENT = {
    "path": "application/controller/songs.php",
    "line": 102,
    "severity": "medium",
    "category": "bug",
    "message": "`$song[0]` is read without checking that a song was found.",
}
VERDICTS = '{"verdicts": [{"id": "c1", "score": 8, "reason": "getSong may return nothing."}]}'


async def record(out: Path, verified: bool = False) -> None:
    data = Path(tempfile.mkdtemp(prefix="pr-agent-history-"))
    data.chmod(0o755)
    database = start_embedded(data)
    try:
        await apply_migrations(database.dsn)
        pool = await create_pool(database.dsn)
        env = await WorkflowEnvironment.start_local(dev_server_existing_path=temporal_binary(), search_attributes=KEYS)
        async with review_harness(env.client, database.dsn, pool, LLM_VERIFY=str(verified).lower()) as h:
            head = h.seed_pull("php-sql__panique-mini__a386292_crud-update-song_PR125.diff")
            if verified:
                h.llm.enqueue(llm_answer("Recorded review.", [COMMENT]), VERDICTS)  # type: ignore[union-attr]
            else:
                h.llm.enqueue(llm_answer("Recorded review."))  # type: ignore[union-attr]
            await h.review(head)
            history = await env.client.get_workflow_handle("review:Codertocat/Hello-World#2").fetch_history()
        out.write_text(history.to_json())
        await env.shutdown()
        await pool.close()
    finally:
        database.close()


if __name__ == "__main__":
    asyncio.run(record(Path(sys.argv[1]), verified=sys.argv[2:] == ["verified"]))
