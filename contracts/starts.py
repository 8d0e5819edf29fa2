"""Planned workflow starts, and carrying them out on a Temporal client.

Webhook routing, the admin API, the CLI and Reconcile all decide *what* to start as plain data
(`WorkflowStart`), so deciding is testable without Temporal and starting is written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

from temporalio.client import Client, WorkflowHandle
from temporalio.common import (
    SearchAttributeKey,
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
)

from contracts.common import SEARCH_ATTRIBUTE_PR, SEARCH_ATTRIBUTE_REPO, SEARCH_ATTRIBUTE_TRIGGER, WORKFLOW_QUEUES
from core.settings import TemporalSettings
from core.temporal.client import task_queue

OnConflict = Literal["use_existing", "terminate_existing", "fail"]

_CONFLICT_POLICIES = {
    "use_existing": WorkflowIDConflictPolicy.USE_EXISTING,
    "terminate_existing": WorkflowIDConflictPolicy.TERMINATE_EXISTING,
    "fail": WorkflowIDConflictPolicy.FAIL,
}
_REPO = SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_REPO)
_PR = SearchAttributeKey.for_int(SEARCH_ATTRIBUTE_PR)
_TRIGGER = SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_TRIGGER)


@dataclass(frozen=True)
class WorkflowStart:
    """Start `workflow` as `workflow_id`; with `signal`, signal the running one or start it (signal-with-start)."""

    workflow: str
    workflow_id: str
    input: Any
    signal: str | None = None
    signal_arg: Any = None
    on_conflict: OnConflict = "use_existing"
    repository: str | None = None
    pr_number: int | None = None
    trigger: str | None = None
    execution_timeout: timedelta | None = None
    memo: dict[str, Any] = field(default_factory=dict)

    def search_attributes(self) -> TypedSearchAttributes:
        pairs: list[SearchAttributePair[Any]] = []
        if self.repository:
            pairs.append(SearchAttributePair(_REPO, self.repository))
        if self.pr_number is not None:
            pairs.append(SearchAttributePair(_PR, self.pr_number))
        if self.trigger:
            pairs.append(SearchAttributePair(_TRIGGER, self.trigger))
        return TypedSearchAttributes(pairs)


async def start_workflow(client: Client, settings: TemporalSettings, plan: WorkflowStart) -> WorkflowHandle[Any, Any]:
    """Carry out one plan. Safe to repeat: ids and conflict policies make a second call find the first."""
    options: dict[str, Any] = {
        "id": plan.workflow_id,
        "task_queue": task_queue(settings, WORKFLOW_QUEUES[plan.workflow]),
        "search_attributes": plan.search_attributes(),
        "execution_timeout": plan.execution_timeout,
        "memo": plan.memo or None,
    }
    if plan.signal is not None:
        # Signal-with-start always signals; it starts only when no run is open.
        options["start_signal"] = plan.signal
        options["start_signal_args"] = [plan.signal_arg]
    else:
        options["id_conflict_policy"] = _CONFLICT_POLICIES[plan.on_conflict]
    return await client.start_workflow(plan.workflow, plan.input, **options)
