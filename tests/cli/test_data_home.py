"""One data home: where it is, the running stack's state file, and which settings it fills in."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from cli.stack_state import StackState, remove_state, running_stack, state_path, with_running_stack, write_state
from core.config_sources import load_settings
from core.settings import Settings, default_data_home
from tests.support.settings import make_settings


def state(data_home: Path, pid: int) -> StackState:
    return StackState(
        pid=pid,
        data_dir=str(data_home),
        temporal_address="127.0.0.1:17233",
        temporal_namespace="default",
        temporal_ui_url="http://127.0.0.1:18233",
        database_url="postgresql://postgres:@/postgres?host=/somewhere",
        api_url="http://127.0.0.1:18000",
        started_at="2024-01-01T00:00:00+00:00",
    )


def test_the_data_home_is_fixed_whatever_the_directory() -> None:
    assert Settings.from_variables({}).paths.data_dir == str(default_data_home(None))
    assert default_data_home(None) == Path.home() / ".local" / "share" / "pr-agent"
    assert Settings.from_variables({"XDG_DATA_HOME": "/srv/data"}).paths.data_dir == "/srv/data/pr-agent"
    chosen = {"XDG_DATA_HOME": "/srv/data", "PR_AGENT_DATA_DIR": "/var/lib/pr-agent"}
    assert Settings.from_variables(chosen).paths.data_dir == "/var/lib/pr-agent"  # the explicit one wins
    relative = Settings.from_variables({"PR_AGENT_DATA_DIR": "data"}).paths.data_dir
    assert relative == str(Path.cwd() / "data")  # made absolute once, so every consumer agrees


def test_the_suite_never_uses_the_users_data_home() -> None:
    real = default_data_home(None)
    for settings in (load_settings(), make_settings("postgresql://localhost/x")):
        assert not settings.paths.data_home.is_relative_to(real), settings.paths.data_dir
    inherited = subprocess.run(["env"], capture_output=True, text=True, check=True).stdout
    assert f"PR_AGENT_DATA_DIR={os.environ['PR_AGENT_DATA_DIR']}" in inherited.splitlines()


def test_a_running_stack_fills_in_only_what_was_not_set(tmp_path: Path) -> None:
    base = {"PR_AGENT_DATA_DIR": str(tmp_path)}
    write_state(state(tmp_path, os.getpid()))
    assert oct(state_path(tmp_path).stat().st_mode & 0o777) == "0o600"  # it holds the database URL
    found = with_running_stack(Settings.from_variables(base))
    assert found.temporal.address == "127.0.0.1:17233"
    assert found.database.url is not None and found.database.url.get_secret_value().endswith("host=/somewhere")
    chosen = {**base, "TEMPORAL_ADDRESS": "temporal:7233", "DATABASE_URL": "postgresql://db/x"}
    kept = with_running_stack(Settings.from_variables(chosen))
    assert kept.temporal.address == "temporal:7233"
    assert kept.database.url is not None and kept.database.url.get_secret_value() == "postgresql://db/x"
    remove_state(tmp_path, os.getpid() + 1)  # another stack's file is left alone
    assert running_stack(tmp_path) is not None
    remove_state(tmp_path, os.getpid())
    assert running_stack(tmp_path) is None and not state_path(tmp_path).exists()


def test_a_state_file_left_by_a_dead_stack_is_ignored(tmp_path: Path) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    write_state(state(tmp_path, gone.pid))
    assert running_stack(tmp_path) is None
    settings = Settings.from_variables({"PR_AGENT_DATA_DIR": str(tmp_path)})
    assert with_running_stack(settings) is settings
    state_path(tmp_path).write_text("{half a file")
    assert running_stack(tmp_path) is None


def test_workflow_links_point_at_the_temporal_ui(tmp_path: Path) -> None:
    link = state(tmp_path, 1).workflow_url("review:local/demo-repo#42")
    assert link == "http://127.0.0.1:18233/namespaces/default/workflows/review%3Alocal%2Fdemo-repo%2342"
