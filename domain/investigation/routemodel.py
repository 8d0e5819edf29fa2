"""One detected HTTP route: the record every route detector returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DetectedApi:
    """One served route. `method` is an HTTP verb, ANY, or RESOURCE (Laravel resource routes)."""

    method: str
    path: str
    framework: str
    file: str
    line: int

    @property
    def location(self) -> str:
        """`path:line` of the declaration."""
        return f"{self.file}:{self.line}"
