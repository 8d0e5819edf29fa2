"""Connecting to Temporal: a local dev server, a self-hosted cluster (mTLS) or Temporal Cloud (API key)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from temporalio.client import Client, Interceptor
from temporalio.service import TLSConfig

from contracts.common import QueueKind
from core.settings import TemporalSettings


def tls_config(settings: TemporalSettings) -> TLSConfig | bool:
    """mTLS from files when configured; plain TLS for an API key (Temporal Cloud); else none."""
    if settings.tls_cert_path and settings.tls_key_path:
        return TLSConfig(
            client_cert=Path(settings.tls_cert_path).read_bytes(),
            client_private_key=Path(settings.tls_key_path).read_bytes(),
            server_root_ca_cert=Path(settings.tls_ca_path).read_bytes() if settings.tls_ca_path else None,
        )
    return settings.api_key is not None


async def connect(settings: TemporalSettings, interceptors: Sequence[Interceptor] = ()) -> Client:
    return await Client.connect(
        settings.address,
        namespace=settings.namespace,
        api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        tls=tls_config(settings),
        interceptors=interceptors,
    )


def task_queue(settings: TemporalSettings, kind: QueueKind) -> str:
    """The configured task-queue name for a kind of work."""
    names: dict[QueueKind, str] = {
        "reviews": settings.queue_reviews,
        "indexing": settings.queue_indexing,
        "investigations": settings.queue_investigations,
        "sync": settings.queue_sync,
    }
    return names[kind]
