"""What an evaluation dataset holds: cases (a change plus golden comments) and the errors met loading them.

The severity words are the product's own; the category words follow Martian's code-review benchmark
(bug, security, concurrency, data, api, perf, test_gap, doc_defect, style, speculative) so its golden
comments and ours are scored alike. Findings name categories their own way ("performance", "tests"):
`normalise_category` maps the usual synonyms onto the benchmark's words before scores are split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from domain.findings import SEVERITY_ORDER, Severity

SEVERITIES: tuple[Severity, ...] = SEVERITY_ORDER
CaseKind = Literal["bug", "clean"]

CATEGORIES: tuple[str, ...] = (
    "bug",
    "security",
    "concurrency",
    "data",
    "api",
    "perf",
    "test_gap",
    "doc_defect",
    "style",
    "speculative",
)
_CATEGORY_ALIASES: dict[str, str] = {
    "correctness": "bug",
    "logic": "bug",
    "performance": "perf",
    "tests": "test_gap",
    "testing": "test_gap",
    "docs": "doc_defect",
    "documentation": "doc_defect",
    "design": "style",
    "maintainability": "style",
    "readability": "style",
    "race": "concurrency",
}
UNCATEGORISED = "uncategorised"


def normalise_category(word: str | None) -> str:
    """The benchmark's word for a category; unknown words are kept (slugged), missing ones are 'uncategorised'."""
    if not word:
        return UNCATEGORISED
    slug = re.sub(r"[^a-z0-9]+", "_", word.strip().lower()).strip("_")
    return _CATEGORY_ALIASES.get(slug, slug) or UNCATEGORISED


def normalise_severity(word: str) -> Severity | None:
    """Our severity for a benchmark's word ("High" -> "high"); None when it is not one of ours."""
    lowered = word.strip().lower()
    for severity in SEVERITIES:
        if severity == lowered:
            return severity
    return None


@dataclass(frozen=True)
class GoldenComment:
    """An issue a careful reviewer would raise. `path`/`line` are None when the source gives no location
    (Martian's golden comments): such a comment can only be matched by a judge."""

    text: str
    severity: Severity
    category: str
    path: str | None = None
    line: int | None = None

    @property
    def located(self) -> bool:
        return self.path is not None and self.line is not None


@dataclass(frozen=True)
class EvalCase:
    """One change to review. `diff` is a unified diff; `head_files`/`base_files` map paths to file text at
    the head and base of the change (possibly empty: the diff's hunks are then all the context there is).
    `language` is the main language of the change, `stack` the framework or project it comes from."""

    case_id: str
    title: str
    language: str
    kind: CaseKind
    diff: str
    golden: tuple[GoldenComment, ...]
    head_files: dict[str, str] = field(default_factory=dict)
    base_files: dict[str, str] = field(default_factory=dict)
    source: str = ""
    licence: str = ""
    stack: str = ""


@dataclass(frozen=True)
class CaseError:
    """A case that could not be loaded: its name (folder, or PR URL) and why, in words a person can act on."""

    name: str
    reason: str


@dataclass(frozen=True)
class Dataset:
    """The cases that loaded, in a stable order, and the ones that did not."""

    name: str
    format: Literal["own", "martian"]
    cases: tuple[EvalCase, ...]
    errors: tuple[CaseError, ...] = ()

    @property
    def golden_count(self) -> int:
        return sum(len(case.golden) for case in self.cases)
