"""Webhook authenticity: HMAC-SHA256 over the raw body, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac


def sign(secret: str, body: bytes) -> str:
    """The `sha256=<hex>` value GitHub (X-Hub-Signature-256) and Jira (X-Hub-Signature) send."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(secret: str, body: bytes, header: str | None) -> bool:
    if not header or not header.startswith("sha256="):
        return False
    return hmac.compare_digest(sign(secret, body).encode(), header.strip().encode())


def token_valid(expected: str, given: str | None) -> bool:
    """A shared token in the webhook URL (Jira Cloud's simpler option)."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())
