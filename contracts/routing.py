"""What webhook routers share: the routing outcome, its configuration and payload parsing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from contracts.starts import WorkflowStart

_Shape = TypeVar("_Shape", bound=BaseModel)


class InvalidPayload(ValueError):
    """The body is JSON but not the event's shape; the message says what is wrong."""


@dataclass(frozen=True)
class RoutingConfig:
    main_branches: tuple[str, ...] = ("main", "master")


@dataclass
class Routed:
    action: str | None = None
    repository: str | None = None
    starts: list[WorkflowStart] = field(default_factory=list)
    ignored_reason: str | None = None

    @property
    def ignored(self) -> bool:
        return not self.starts


def parse(shape: type[_Shape], payload: Any) -> _Shape:
    try:
        return shape.model_validate(payload)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in error.errors()[:5])
        raise InvalidPayload(f"not a valid {shape.__name__} payload: {problems}") from None


def repository_identity(payload: Any) -> tuple[int | None, str | None]:
    """(GitHub id, full name) of the event's repository, read defensively before the payload is
    validated (the inbox looks the repository up first): (None, None) when it names none."""
    repository = payload.get("repository") if isinstance(payload, dict) else None
    if not isinstance(repository, dict):
        return None, None
    github_id, full_name = repository.get("id"), repository.get("full_name")
    valid_id = type(github_id) is int and 0 < github_id < 2**63
    return (github_id if valid_id else None), (full_name if isinstance(full_name, str) else None)
