"""The product's search attributes as SDK keys (tests register them on their Temporal)."""

from temporalio.common import SearchAttributeKey

from contracts.common import SEARCH_ATTRIBUTE_PR, SEARCH_ATTRIBUTE_REPO, SEARCH_ATTRIBUTE_TRIGGER

KEYS: list[SearchAttributeKey] = [
    SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_REPO),
    SearchAttributeKey.for_int(SEARCH_ATTRIBUTE_PR),
    SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_TRIGGER),
]
