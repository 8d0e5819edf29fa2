"""Reading what a workflow was started with, from its real event history."""

from __future__ import annotations

from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.converter import DataConverter


async def started_with(client: Client, workflow_id: str, input_type: type) -> tuple[str, Any]:
    """(workflow type, decoded input) of the workflow's current run."""
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    attributes = history.events[0].workflow_execution_started_event_attributes
    [value] = await DataConverter.default.decode(attributes.input.payloads, [input_type])
    return attributes.workflow_type.name, value


async def signals_received(client: Client, workflow_id: str) -> list[str]:
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    return [
        e.workflow_execution_signaled_event_attributes.signal_name
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
    ]
