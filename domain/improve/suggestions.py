"""/improve: concrete code suggestions for a change, checked by the model itself, ranked, capped.

The model proposes suggestions (each a committable replacement of a range of added lines); a second
call scores each 0-10 with a reason (the self-check). Suggestions under the threshold are dropped,
the rest ranked by importance and score and capped at the configured number. A suggestion has an
identity (`suggestion_key`) from its file and code, not its line numbers, so a run on a new head
does not post it again, and one whose original code the new head no longer has is moot.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from domain.llm_json import LlmOutputError, extract_json_object

Importance = Literal["high", "medium", "low"]
IMPORTANCE_ORDER: tuple[Importance, ...] = ("high", "medium", "low")


class ImproveSuggestion(BaseModel):
    """One proposed change of consecutive added lines (start_line..line), replacing them with `improved_code`."""

    model_config = ConfigDict(extra="ignore")

    path: str = Field(min_length=1, description="File path exactly as in the diff header.")
    start_line: int | None = Field(default=None, ge=1, description="First line replaced, or null for one line.")
    line: int = Field(ge=1, description="Last line replaced: a new-side number of an added ('+') line.")
    existing_code: str = Field(description="The lines being replaced, exactly as they are now.")
    improved_code: str = Field(description="The replacement, ready to commit, indentation kept exactly.")
    summary: str = Field(min_length=1, max_length=300, description="One sentence: what improves and why.")
    importance: Importance = Field(description="high: fixes a defect or risk; medium: clearer or safer; low: polish.")
    category: str = Field(min_length=1, max_length=40, description="One word: correctness, performance, ...")

    @field_validator("path", "summary", "category", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("importance", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @property
    def first_line(self) -> int:
        return self.start_line if self.start_line is not None and self.start_line < self.line else self.line


class ImproveAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    suggestions: list[ImproveSuggestion] = Field(default_factory=list)


class SelfCheckScore(BaseModel):
    model_config = ConfigDict(extra="ignore")

    index: int = Field(ge=0, description="Position of the suggestion in the list given.")
    score: int = Field(ge=0, le=10, description="0: wrong or harmful; 10: clearly right and worth committing.")
    reason: str = Field(default="", description="One sentence.")


class SelfCheckAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    scores: list[SelfCheckScore] = Field(default_factory=list)


def parse_improve_answer(text: str, *, valid_lines: dict[str, set[int]]) -> tuple[list[ImproveSuggestion], int]:
    """Suggestions on added lines only (every line of the range), and how many were dropped for it."""
    data = extract_json_object(text, frozenset({"suggestions"}))
    try:
        answer = ImproveAnswer.model_validate(data)
    except ValidationError as exc:
        raise LlmOutputError(f"the JSON does not match the schema: {_problems(exc)}") from exc
    kept = [s for s in answer.suggestions if _within(s, valid_lines) and s.improved_code != s.existing_code]
    return kept, len(answer.suggestions) - len(kept)


def parse_self_check(text: str, count: int) -> dict[int, SelfCheckScore]:
    """Scores by suggestion index; indexes the model invented are ignored."""
    data = extract_json_object(text, frozenset({"scores"}))
    try:
        answer = SelfCheckAnswer.model_validate(data)
    except ValidationError as exc:
        raise LlmOutputError(f"the JSON does not match the schema: {_problems(exc)}") from exc
    return {s.index: s for s in answer.scores if s.index < count}


def rank(
    suggestions: list[ImproveSuggestion], scores: dict[int, SelfCheckScore], *, threshold: int, limit: int
) -> tuple[list[tuple[ImproveSuggestion, SelfCheckScore]], int]:
    """Scored suggestions at or above `threshold`, most important and best scored first, at most `limit`.

    Returns the kept pairs and how many were dropped (unscored, under the threshold or over the limit).
    A suggestion the self-check did not score is dropped: unverified advice is not posted.
    """
    scored = [(s, scores[i]) for i, s in enumerate(suggestions) if i in scores and scores[i].score >= threshold]
    scored.sort(key=lambda pair: (IMPORTANCE_ORDER.index(pair[0].importance), -pair[1].score, pair[0].path))
    kept = scored[: max(limit, 0)]
    return kept, len(suggestions) - len(kept)


def suggestion_key(suggestion: ImproveSuggestion) -> str:
    """Identity across heads: the file, the code replaced and the replacement (not the line numbers)."""
    text = "\x00".join((suggestion.path, _squash(suggestion.existing_code), _squash(suggestion.improved_code)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def is_moot(suggestion: ImproveSuggestion, head_text: str | None) -> bool:
    """True when the head no longer has the code the suggestion replaces (the author changed it)."""
    if head_text is None:
        return True
    return _squash(suggestion.existing_code) not in _squash(head_text)


def replaces_what_it_says(suggestion: ImproveSuggestion, head_text: str) -> bool:
    """Whether lines first_line..line of the head hold `existing_code` (whitespace aside): a suggestion
    whose line numbers are off would otherwise replace the wrong lines when committed."""
    lines = head_text.splitlines()
    if suggestion.line > len(lines):
        return False
    named = "\n".join(lines[suggestion.first_line - 1 : suggestion.line])
    return _squash(named) == _squash(suggestion.existing_code)


def _within(suggestion: ImproveSuggestion, valid_lines: dict[str, set[int]]) -> bool:
    lines = valid_lines.get(suggestion.path, set())
    return all(n in lines for n in range(suggestion.first_line, suggestion.line + 1))


def _squash(code: str) -> str:
    return re.sub(r"\s+", " ", code).strip()


def _problems(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {e['msg']}" for e in exc.errors()[:8])


def improve_json_schema() -> str:
    schema = ImproveAnswer.model_json_schema()
    schema["description"] = "Code suggestions for the change, each replacing a range of added lines."
    return json.dumps(schema, separators=(",", ":"))


def self_check_json_schema() -> str:
    schema = SelfCheckAnswer.model_json_schema()
    schema["description"] = "A score for every suggestion, by its index in the list given."
    return json.dumps(schema, separators=(",", ":"))


def render_for_self_check(suggestions: list[ImproveSuggestion]) -> str:
    """The suggestions, numbered from 0, as the self-check reads them."""
    blocks = []
    for index, s in enumerate(suggestions):
        blocks.append(
            f"[{index}] {s.path}:{s.first_line}-{s.line} ({s.importance}, {s.category}): {s.summary}\n"
            f"Existing:\n```\n{s.existing_code}\n```\nImproved:\n```\n{s.improved_code}\n```"
        )
    return "\n\n".join(blocks) or "(none)"
