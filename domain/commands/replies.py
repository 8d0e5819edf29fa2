"""Hidden markers on the replies commands post, so a retried or replayed command never answers twice."""

from __future__ import annotations


def reply_marker(key: str) -> str:
    """The marker ending a reply; `key` names what it answers ("ask:123", "refusal:123", ...)."""
    return f"<!-- pr-agent:reply={key} -->"


def with_marker(body: str, key: str) -> str:
    return f"{body.rstrip()}\n\n{reply_marker(key)}"
