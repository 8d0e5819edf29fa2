"""The answer /describe asks of the model: what and why, a line per changed file, risk, labels."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from domain.llm_json import LlmOutputError, extract_json_object

MAX_LABELS = 6


class FileNote(BaseModel):
    model_config = ConfigDict(extra="ignore")

    path: str = Field(min_length=1, description="A changed file, exactly as in the diff header.")
    summary: str = Field(min_length=1, max_length=300, description="One line: what changed in this file.")


class DescribeAnswer(BaseModel):
    """The model's part of a pull-request description (the table, ticket and analyzers' risk are not its)."""

    model_config = ConfigDict(extra="ignore")

    what: str = Field(min_length=1, max_length=2000, description="What the change does, in two to five sentences.")
    why: str = Field(
        default="",
        max_length=1500,
        description="Why it is needed, from the ticket and the description; empty when nothing says.",
    )
    files: list[FileNote] = Field(default_factory=list, description="One note per changed file worth a word.")
    risk: str = Field(default="", max_length=800, description="What could break, and where to look in review.")
    labels: list[str] = Field(default_factory=list, description="Up to six short labels, e.g. bug, api, database.")

    @field_validator("what", "why", "risk", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("labels", mode="before")
    @classmethod
    def _slug_labels(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        slugs = [re.sub(r"[^a-z0-9]+", "-", str(v).strip().lower()).strip("-") for v in value]
        return list(dict.fromkeys(s for s in slugs if s))[:MAX_LABELS]


def describe_json_schema() -> str:
    schema = DescribeAnswer.model_json_schema()
    schema["description"] = "A pull-request description: what, why, file notes, risk, labels."
    return json.dumps(schema, separators=(",", ":"))


def parse_describe_answer(text: str, changed_paths: set[str]) -> DescribeAnswer:
    """The answer, with notes only for files the change has; LlmOutputError when unusable."""
    data = extract_json_object(text, frozenset({"what", "files"}))
    try:
        answer = DescribeAnswer.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {e['msg']}" for e in exc.errors()[:8])
        raise LlmOutputError(f"the JSON does not match the schema: {problems}") from exc
    notes = [n for n in answer.files if n.path in changed_paths]
    return answer.model_copy(update={"files": notes})
