"""Parsers of the commands that arrive with the later workflows (review, replay, schedules, ...)."""

from __future__ import annotations

from typing import Any


def add_parsers(sub: Any) -> None:
    """Each feature module adds its subcommands and handlers here."""
