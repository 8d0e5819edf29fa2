"""Waiting for the Knowledge Assistant's answer (the dashboard's answer page and the admin API).
Starting a question is `contracts.starts.ask_knowledge_start`, carried out by `start_workflow`."""

from __future__ import annotations

import asyncio

from temporalio.client import Client

from contracts.knowledge import KnowledgeAnswer


async def answer_of(client: Client, workflow_id: str, wait_seconds: float) -> KnowledgeAnswer | None:
    """The run's answer, waiting up to `wait_seconds`; None while it is still working."""
    handle = client.get_workflow_handle(workflow_id, result_type=KnowledgeAnswer)
    try:
        return await asyncio.wait_for(handle.result(), timeout=wait_seconds)
    except TimeoutError:
        return None
