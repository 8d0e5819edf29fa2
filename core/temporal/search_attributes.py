"""The product's search attributes (repository, PR number, trigger) as the SDK's typed values, for a
planned start, a child workflow, or a schedule's action. Their names are in contracts.common."""

from __future__ import annotations

from typing import Any

from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes

from contracts.common import SEARCH_ATTRIBUTE_PR, SEARCH_ATTRIBUTE_REPO, SEARCH_ATTRIBUTE_TRIGGER
from contracts.starts import WorkflowStart

_REPO = SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_REPO)
_PR = SearchAttributeKey.for_int(SEARCH_ATTRIBUTE_PR)
_TRIGGER = SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_TRIGGER)
# For a private Temporal started in process (`pr-agent review`), which must know them to accept starts.
SEARCH_ATTRIBUTE_KEYS: list[SearchAttributeKey[Any]] = [_REPO, _PR, _TRIGGER]


def search_attributes(plan: WorkflowStart) -> TypedSearchAttributes:
    """What the Temporal UI and `temporal workflow list --query` filter a planned workflow by."""
    pairs: list[SearchAttributePair[Any]] = []
    if plan.repository:
        pairs.append(SearchAttributePair(_REPO, plan.repository))
    if plan.pr_number is not None:
        pairs.append(SearchAttributePair(_PR, plan.pr_number))
    if plan.trigger:
        pairs.append(SearchAttributePair(_TRIGGER, plan.trigger))
    return TypedSearchAttributes(pairs)
