"""Which workflows and activities each task queue serves: one entry per queue kind."""

from __future__ import annotations

from collections.abc import Callable

from core.contracts import QueueKind
from workers.base import QueueRegistration, WorkerDeps


def _reviews(deps: WorkerDeps) -> QueueRegistration:
    return QueueRegistration()


def _indexing(deps: WorkerDeps) -> QueueRegistration:
    return QueueRegistration()


def _investigations(deps: WorkerDeps) -> QueueRegistration:
    return QueueRegistration()


def _sync(deps: WorkerDeps) -> QueueRegistration:
    return QueueRegistration()


REGISTRATIONS: dict[QueueKind, Callable[[WorkerDeps], QueueRegistration]] = {
    "reviews": _reviews,
    "indexing": _indexing,
    "investigations": _investigations,
    "sync": _sync,
}
