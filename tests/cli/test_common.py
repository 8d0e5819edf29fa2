"""What the commands share: the database check, and the one progress display (bars on a terminal, lines
elsewhere)."""

from __future__ import annotations

import io
import os
import pty
import select

import pytest

from cli.common import ProgressDisplay, StackNotReady, database
from tests.support.settings import make_settings


async def test_a_database_without_the_schema_is_refused_with_the_command_that_fixes_it(
    empty_dsn: str, db_dsn: str
) -> None:
    with pytest.raises(StackNotReady, match=r"not migrated \(001_initial.sql, .*pending\); run `pr-agent migrate`"):
        async with database(make_settings(empty_dsn)):
            pass
    async with database(make_settings(db_dsn)) as pool:
        assert await pool.fetchval("SELECT count(*) FROM repositories") == 0


def test_off_a_terminal_progress_is_a_line_per_change() -> None:
    out = io.StringIO()
    with ProgressDisplay(out) as display:
        display.show("index:acme/api@main", 0, 0, "planning")
        display.show("index:acme/api@main", 0, 0, "planning")  # unchanged: not repeated
        display.show("index:acme/api@main", 3, 4, "embedding")
        display.show("sync-jira:SHOP-42", 1, 1, "done")
    assert out.getvalue().splitlines() == [
        "index:acme/api@main [--------------------] 0/0 planning",
        "index:acme/api@main [###############-----] 3/4 embedding",
        "sync-jira:SHOP-42 [####################] 1/1 done",
    ]


def _read_all(fd: int) -> bytes:
    """Everything written to the terminal so far: one read may return only part of it."""
    chunks = []
    while select.select([fd], [], [], 0.2)[0]:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_on_a_terminal_progress_is_a_bar() -> None:
    leader, follower = pty.openpty()
    try:
        with open(follower, "w", encoding="utf-8", closefd=False) as terminal:
            with ProgressDisplay(terminal) as display:
                display.show("index:acme/api@main", 3, 4, "embedding")
            terminal.flush()
        drawn = _read_all(leader).decode(errors="replace")
    finally:
        os.close(leader)
        os.close(follower)
    assert "index:acme/api@main" in drawn and "3/4" in drawn and "embedding" in drawn
    assert "━" in drawn and "[####" not in drawn  # rich's bar, not the plain line
