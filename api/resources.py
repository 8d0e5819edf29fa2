"""Long-lived clients of the API process: the database pool and a lazily (re)connected Temporal client."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from core.settings import Settings
from core.temporal.client import TemporalGateway


@dataclass
class AppResources:
    settings: Settings
    pool: asyncpg.Pool
    temporal: TemporalGateway
