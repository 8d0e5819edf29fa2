"""The asyncpg pool: pgvector and JSON codecs registered on every connection it opens."""

from __future__ import annotations

import json

import asyncpg
from pgvector.asyncpg import register_vector

from core.settings import DatabaseSettings
from core.telemetry import trace_queries


async def init_connection(conn: asyncpg.Connection) -> None:
    """Per-connection set-up; needs the `vector` extension, so migrations run before the pool opens."""
    await register_vector(conn)
    for kind in ("json", "jsonb"):
        await conn.set_type_codec(kind, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    trace_queries(conn)


async def create_pool(dsn: str, settings: DatabaseSettings | None = None) -> asyncpg.Pool:
    settings = settings or DatabaseSettings()
    pool = await asyncpg.create_pool(
        dsn,
        min_size=settings.pool_min_size,
        max_size=settings.pool_max_size,
        init=init_connection,
        # Dropped connections (a restarted database) are replaced rather than kept around.
        max_inactive_connection_lifetime=300,
    )
    if pool is None:  # asyncpg's typing allows it; it never happens for an awaited pool
        raise RuntimeError("asyncpg returned no pool")
    return pool
