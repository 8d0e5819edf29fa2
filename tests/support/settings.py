"""Settings for one test: its own database and task-queue names, nothing from the environment but
the suite's own data home (tests/conftest.py), so no test reaches the user's."""

from __future__ import annotations

import os
import uuid

from core.settings import Settings


def make_settings(db_dsn: str, **extra: str) -> Settings:
    suffix = uuid.uuid4().hex[:8]
    return Settings.from_variables(
        {
            "DATABASE_URL": db_dsn,
            "PR_AGENT_DATA_DIR": os.environ["PR_AGENT_DATA_DIR"],
            "NODE_ENV": "test",
            "TASK_QUEUE_REVIEWS": f"reviews-{suffix}",
            "TASK_QUEUE_INDEXING": f"indexing-{suffix}",
            "TASK_QUEUE_INVESTIGATIONS": f"investigations-{suffix}",
            "TASK_QUEUE_SYNC": f"sync-{suffix}",
            "GITHUB_WEBHOOK_SECRET": "test-webhook-secret",
            "JIRA_WEBHOOK_SECRET": "test-jira-secret",
            "ADMIN_API_TOKEN": "test-admin-token",
            **extra,
        }
    )
