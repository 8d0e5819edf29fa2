"""The running dev stack's addresses, kept in a state file in the data home for every other command.

`pr-agent dev` writes `<data home>/stack.json` once everything is up and removes it when it stops;
`pr-agent status`, the workers, the API and every other command read it, from any directory, to
find the same Temporal and database. A file left behind by a stack that died without cleaning up
is ignored: its process is gone. The file holds the database URL, so only its owner may read it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

from pydantic import SecretStr

from core.settings import Settings

STATE_FILE = "stack.json"


@dataclass(frozen=True)
class StackState:
    pid: int
    data_dir: str
    temporal_address: str
    temporal_namespace: str
    temporal_ui_url: str
    database_url: str
    api_url: str
    started_at: str

    @property
    def api_docs_url(self) -> str:
        return f"{self.api_url}/docs"

    def workflow_url(self, workflow_id: str) -> str:
        """The workflow in the Temporal UI (without a run id the UI opens the newest run)."""
        namespace = quote(self.temporal_namespace, safe="")
        return f"{self.temporal_ui_url}/namespaces/{namespace}/workflows/{quote(workflow_id, safe='')}"


def state_path(data_home: Path) -> Path:
    return data_home / STATE_FILE


def write_state(state: StackState) -> Path:
    """Write the file atomically (a reader never sees half of it), readable by its owner only."""
    target = state_path(Path(state.data_dir))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(asdict(state), out, indent=2)
    partial.replace(target)
    return target


def remove_state(data_home: Path, pid: int) -> None:
    """Remove the file if this process wrote it (a newer stack's file stays)."""
    current = _load(state_path(data_home))
    if current is not None and current.pid == pid:
        state_path(data_home).unlink(missing_ok=True)


def running_stack(data_home: Path) -> StackState | None:
    """The stack running for this data home, or None (no file, an unreadable one, or its process is gone)."""
    state = _load(state_path(data_home))
    return state if state is not None and _alive(state.pid) else None


def with_running_stack(settings: Settings) -> Settings:
    """The settings pointed at the running stack for what the user did not set: the Temporal address
    and namespace unless TEMPORAL_ADDRESS is set, the database unless DATABASE_URL is set."""
    state = running_stack(settings.paths.data_home)
    if state is None:
        return settings
    updates: dict[str, object] = {}
    if "address" not in settings.temporal.model_fields_set:
        temporal = {"address": state.temporal_address, "namespace": state.temporal_namespace}
        updates["temporal"] = settings.temporal.model_copy(update=temporal)
    if settings.database.url is None:
        updates["database"] = settings.database.model_copy(update={"url": SecretStr(state.database_url)})
    return settings.model_copy(update=updates)


def _load(path: Path) -> StackState | None:
    try:
        return StackState(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):  # missing, half-written by a crashed writer, or another version
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True
