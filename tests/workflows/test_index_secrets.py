"""Credentials never travel from a repository into the index or a prompt: IndexRepo on a real git
repository, PostgreSQL and Temporal, and a review whose related code comes from that index."""

from __future__ import annotations

from pathlib import Path

import asyncpg
from temporalio.client import Client

from core.settings import Settings
from db.code_search import hybrid_search
from domain.embeddings import HashingEmbedder
from tests.support.retrieval_repos import credential_files, made_up_password
from tests.support.review_harness import llm_answer, review_harness
from tests.workflows.index_support import LocalRepo, index_directly, run_index, settings_with_cache, unique_name
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

PASSWORD = made_up_password()
AWS_KEY = "AKIA" + "Q7WZ" * 4
DATABASE_CONFIG = f"""import {{ Pool }} from 'pg';

// Connection settings of the orders database.
export const DATABASE_URL = 'postgres://orders:{PASSWORD}@db.internal:5432/orders';
const awsAccessKeyId = '{AWS_KEY}';

export function createOrdersPool(): Pool {{
  return new Pool({{ connectionString: DATABASE_URL, max: 10 }});
}}
"""
ORDERS_SERVICE = """import { createOrdersPool } from '../config/database';

export class OrdersService {
  private readonly pool = createOrdersPool();

  async findOrder(id: number) {
    return this.pool.query('SELECT * FROM orders WHERE id = $1', [id]);
  }
}
"""


def seed_repository(repo: LocalRepo) -> str:
    repo.write("src/config/database.ts", DATABASE_CONFIG)
    repo.write("src/orders/orders.service.ts", ORDERS_SERVICE)
    for path, text in credential_files().items():
        repo.write(path, text)
    return repo.commit("orders service")


async def test_credential_files_are_not_indexed_and_values_in_code_are_redacted(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    settings = settings_with_cache(settings, tmp_path / "cache")
    repo = LocalRepo(tmp_path / "repo")
    seed_repository(repo)
    name = unique_name("acme/orders")
    deps = WorkerDeps(settings, pool)
    async with build_worker(temporal_client, deps, "indexing", REGISTRATIONS["indexing"](deps)):
        result = await run_index(temporal_client, settings, name, repo.path)
    assert result.chunks_written > 0
    rows = await pool.fetch(
        "SELECT c.path, c.content FROM code_chunks c JOIN repositories r ON r.id = c.repository_id"
        " WHERE r.full_name = $1",
        name,
    )
    assert {r["path"] for r in rows} == {"src/config/database.ts", "src/orders/orders.service.ts"}
    stored = "\n".join(r["content"] for r in rows)
    assert PASSWORD not in stored and AWS_KEY not in stored
    assert "postgres://orders:[REDACTED]@db.internal:5432/orders" in stored
    assert "const awsAccessKeyId = '[REDACTED]';" in stored
    assert "createOrdersPool" in stored  # the code around the values is still there to be found
    hits = await hybrid_search(pool, name, "database url password env", HashingEmbedder(384), limit=8)
    assert hits and not {h.path for h in hits} & set(credential_files())
    assert all(PASSWORD not in h.content for h in hits)


ORDERS_DIFF = """diff --git a/src/orders/orders.controller.ts b/src/orders/orders.controller.ts
new file mode 100644
index 0000000..3b18e51
--- /dev/null
+++ b/src/orders/orders.controller.ts
@@ -0,0 +1,9 @@
+import { createOrdersPool } from '../config/database';
+
+export class OrdersController {
+  private readonly pool = createOrdersPool();
+
+  async listOrders() {
+    return this.pool.query('SELECT id, total FROM orders ORDER BY id DESC LIMIT 50');
+  }
+}
"""


async def test_related_code_in_the_review_prompt_carries_no_credential(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    repo = LocalRepo(tmp_path / "repo")
    seed_repository(repo)
    await index_directly(pool, repo, "Codertocat/Hello-World")
    async with review_harness(temporal_client, db_dsn, pool) as h:
        head = h.seed_pull(diff_text=ORDERS_DIFF, title="Orders listing endpoint")
        h.llm.enqueue(llm_answer("Adds an endpoint listing orders."))  # type: ignore[union-attr]
        result = await h.review(head)
        assert result.status == "posted" and result.llm_used
        prompt = "\n".join(m["content"] for m in h.llm.prompts[0])  # type: ignore[union-attr]
    # The database config is what retrieval finds for createOrdersPool: it is in the prompt ...
    assert "src/config/database.ts lines" in prompt and "createOrdersPool" in prompt
    # ... with its credentials redacted, and no credential file beside it.
    assert "postgres://orders:[REDACTED]@db.internal" in prompt
    assert PASSWORD not in prompt and AWS_KEY not in prompt
    assert not any(path in prompt for path in credential_files())
