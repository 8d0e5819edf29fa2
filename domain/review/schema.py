"""The answer the review LLM must give, and turning its raw text into findings.

Models wrap JSON in ```json fences, add a sentence before it, or cite a line that is not part of
the change. Parsing tolerates the first two; comments on lines outside the diff's added lines are
dropped and counted (the model may only comment on what the change adds). Anything else raises
`LlmOutputError` with a reason that `repair_prompt` hands back to the model for one repair attempt.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from domain.findings import Finding, Severity
from domain.llm_json import LlmOutputError, extract_json_object

# Words models use instead of our severities; mapped rather than rejected.
_SEVERITY_ALIASES: dict[str, Severity] = {
    "blocker": "critical",
    "error": "high",
    "major": "high",
    "warning": "medium",
    "minor": "low",
    "nit": "info",
    "nitpick": "info",
    "suggestion": "info",
}


class LlmComment(BaseModel):
    """One comment of the model on one added line, or on a range of added lines.

    Whitespace is stripped from every field but `suggestion`: GitHub commits a suggestion
    verbatim, so its indentation is part of the code.
    """

    model_config = ConfigDict(extra="ignore")

    path: str = Field(min_length=1, description="File path exactly as in the diff header.")
    line: int = Field(ge=1, description="New-side line number of an added ('+') line (the last line of a range).")
    start_line: int | None = Field(
        default=None,
        ge=1,
        description="First line of a multi-line comment, or null; the suggestion then replaces start_line..line.",
    )
    severity: Severity = Field(description="How bad it is if this ships unchanged.")
    category: str = Field(
        min_length=1,
        max_length=40,
        description="One word: bug, security, performance, correctness, design, tests, docs.",
    )
    message: str = Field(min_length=1, description="The problem and why it matters.")
    suggestion: str | None = Field(
        default=None,
        description=("Exact replacement code for the commented line(s), indentation included, or null. No prose here."),
    )

    # Set by the verification pass, never by the model (parse_llm_review discards it from an answer).
    verified_score: SkipJsonSchema[int | None] = None

    @field_validator("path", "category", "message", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("suggestion", mode="before")
    @classmethod
    def _blank_lines_only(cls, value: Any) -> Any:
        """Leading and trailing blank lines go; the indentation of the code lines stays."""
        if not isinstance(value, str):
            return value
        lines = value.replace("\r\n", "\n").split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join(lines) or None

    @model_validator(mode="after")
    def _single_line_when_not_a_range(self) -> LlmComment:
        # Models write start_line == line for one line; a start after the end is no range either.
        if self.start_line is not None and self.start_line >= self.line:
            self.start_line = None
        return self

    @field_validator("severity", mode="before")
    @classmethod
    def _known_severity(cls, value: Any) -> Any:
        if isinstance(value, str):
            word = value.strip().lower()
            return _SEVERITY_ALIASES.get(word, word)
        return value

    @field_validator("category", mode="before")
    @classmethod
    def _slug_category(cls, value: Any) -> Any:
        if isinstance(value, str):
            return re.sub(r"[^a-z0-9]+", "-", value.strip().lower()).strip("-") or value
        return value


class LlmReview(BaseModel):
    """The whole answer: a short overview, an overall risk, and line comments.

    `dropped` is not part of what the model writes: parse_llm_review sets it to the number of
    comments it discarded because they pointed outside the change's added lines.
    """

    model_config = ConfigDict(extra="ignore")

    summary: str = Field(
        min_length=1,
        description="Two to five sentences on what the change does and its main risks.",
    )
    risk: Literal["low", "medium", "high"] = Field(description="Overall risk of merging as is.")
    comments: list[LlmComment] = Field(default_factory=list)
    dropped: SkipJsonSchema[Annotated[int, Field(ge=0)]] = 0

    @field_validator("risk", mode="before")
    @classmethod
    def _lower_risk(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("summary", mode="before")
    @classmethod
    def _strip_summary(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value


def review_json_schema() -> str:
    """The JSON schema of the answer, compact, for the prompt (generated, so it cannot drift)."""
    schema = LlmReview.model_json_schema()
    # The class docstring is written for developers; the model gets a description of its own.
    schema["description"] = "A code review: an overview, an overall risk, and line comments."
    return json.dumps(schema, separators=(",", ":"))


def parse_llm_review(text: str, *, valid_lines: dict[str, set[int]]) -> LlmReview:
    """Parse the model's answer; keep only comments on lines in `valid_lines` (path -> line set).

    Raises LlmOutputError when the text holds no JSON object or the object breaks the schema.
    """
    data = extract_json_object(text, _REVIEW_KEYS)
    review = _validate(data)
    kept: list[LlmComment] = []
    for comment in review.comments:
        path = _match_path(comment.path, valid_lines)
        if path is not None and comment.line in valid_lines[path]:
            kept.append(_within_change(comment.model_copy(update={"path": path}), valid_lines[path]))
    return review.model_copy(update={"comments": kept, "dropped": len(review.comments) - len(kept)})


def _within_change(comment: LlmComment, lines: set[int]) -> LlmComment:
    """A range reaching outside the changed lines shrinks to its last line; its suggestion, written
    for the whole range, would then replace the wrong lines, so it goes too."""
    start = comment.start_line
    if start is None or all(n in lines for n in range(start, comment.line + 1)):
        return comment
    return comment.model_copy(update={"start_line": None, "suggestion": None})


_REVIEW_KEYS = frozenset({"summary", "risk", "comments"})


def _validate(data: dict[str, Any]) -> LlmReview:
    data = {k: v for k, v in data.items() if k != "dropped"}
    if isinstance(data.get("comments"), list):  # only the verification pass scores comments
        data["comments"] = [
            {k: v for k, v in c.items() if k != "verified_score"} if isinstance(c, dict) else c
            for c in data["comments"]
        ]
    try:
        return LlmReview.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'answer'}: {err['msg']}" for err in exc.errors()[:8]
        )
        raise LlmOutputError(f"the JSON does not match the schema: {problems}") from exc


def _match_path(path: str, valid_lines: dict[str, set[int]]) -> str | None:
    """The diff path a model meant; tolerates "./x", "a/x" and "b/x" spellings."""
    if path in valid_lines:
        return path
    for prefix in ("./", "b/", "a/", "/"):
        if path.startswith(prefix) and path[len(prefix) :] in valid_lines:
            return path[len(prefix) :]
    return None


_REPAIR_SYSTEM = (
    "You repair the output of a code-review assistant. Answer with exactly one JSON object that "
    "follows the given JSON schema, with no prose and no code fences. Keep the review's content; "
    "change only what is needed to make it valid."
)


def repair_prompt(raw: str, error: str) -> list[dict[str, str]]:
    """Chat messages for the single repair attempt after `parse_llm_review` failed on `raw`."""
    user = (
        f"The previous answer could not be used: {error}\n\n"
        f"JSON schema the answer must follow:\n{review_json_schema()}\n\n"
        f"Previous answer:\n<<<\n{raw}\n>>>\n\n"
        "Return the corrected JSON object only."
    )
    return [{"role": "system", "content": _REPAIR_SYSTEM}, {"role": "user", "content": user}]


def to_findings(review: LlmReview) -> list[Finding]:
    """The model's comments as findings (source "llm", rule id "llm/<category>")."""
    return [
        Finding(
            path=c.path,
            line=c.line,
            severity=c.severity,
            rule_id=f"llm/{c.category}",
            message=c.message,
            suggestion=c.suggestion or None,
            source="llm",
            start_line=c.start_line,
            verified_score=c.verified_score,
        )
        for c in review.comments
    ]
