"""Loading an evaluation dataset from a folder: the project's own format or Martian's offline format.

The own format (docs/eval-format.md) is a `cases/` folder with one folder per case:
`case.toml` (metadata and golden comments), `change.diff`, and optionally `head/` and `base/` holding
the changed files at each side. Martian's format is recognised by a `golden_comments/` folder
(see domain/evaluation/martian.py).

A case that breaks the format is collected as a `CaseError` under its folder name and the others
still load: one typo must not hide the rest of a run. Only a folder that is no dataset at all raises.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from domain.diff import FileDiff, parse_unified_diff
from domain.evaluation.cases import (
    CaseError,
    CaseKind,
    Dataset,
    EvalCase,
    GoldenComment,
    Severity,
    normalise_category,
)
from domain.evaluation.martian import load_martian_dataset

CASES_DIR = "cases"
CASE_FILE = "case.toml"
DIFF_FILE = "change.diff"


class NotADatasetError(ValueError):
    """The folder is in neither format; nothing could be loaded from it."""


class _GoldenSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    path: str = Field(min_length=1)
    line: Annotated[int, Field(ge=1)]
    severity: Severity
    category: str = Field(min_length=1)
    text: str = Field(min_length=1)

    @field_validator("severity", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value


class _CaseSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1)
    language: str = Field(min_length=1)
    stack: str = ""
    kind: CaseKind
    source: str = Field(min_length=1)
    licence: str = Field(min_length=1)
    golden: list[_GoldenSpec] = Field(default_factory=list)


class CaseFormatError(ValueError):
    """Why one case folder cannot be used."""


def load_dataset(root: Path) -> Dataset:
    """Load every case under `root`, in either format; malformed cases land in `Dataset.errors`."""
    if (root / CASES_DIR).is_dir():
        return load_own_dataset(root)
    if (root / "golden_comments").is_dir():
        return load_martian_dataset(root)
    raise NotADatasetError(f"{root}: no '{CASES_DIR}/' folder (own format) nor 'golden_comments/' (Martian format)")


def load_own_dataset(root: Path) -> Dataset:
    """Load the own format: `root/cases/<case-id>/` folders, sorted by id."""
    cases: list[EvalCase] = []
    errors: list[CaseError] = []
    for folder in sorted(p for p in (root / CASES_DIR).iterdir() if p.is_dir()):
        try:
            cases.append(load_case(folder))
        except CaseFormatError as error:
            errors.append(CaseError(folder.name, str(error)))
    return Dataset(name=root.name, format="own", cases=tuple(cases), errors=tuple(errors))


def load_case(folder: Path) -> EvalCase:
    """One case folder; raises CaseFormatError saying what is wrong."""
    spec = _read_spec(folder / CASE_FILE)
    diff = _read_text(folder / DIFF_FILE)
    files = {parsed.path: parsed for parsed in parse_unified_diff(diff)}
    if not files:
        raise CaseFormatError(f"{DIFF_FILE} holds no file change")
    head_files = _read_tree(folder / "head")
    golden = tuple(_golden(item, files) for item in spec.golden)
    _check_kind(spec.kind, golden)
    _check_head_matches_diff(head_files, files)
    return EvalCase(
        case_id=folder.name,
        title=spec.title,
        language=spec.language,
        kind=spec.kind,
        diff=diff,
        golden=golden,
        head_files=head_files,
        base_files=_read_tree(folder / "base"),
        source=spec.source,
        licence=spec.licence,
        stack=spec.stack,
    )


def _read_spec(path: Path) -> _CaseSpec:
    try:
        data = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as error:
        raise CaseFormatError(f"{CASE_FILE} is not valid TOML: {error}") from error
    try:
        return _CaseSpec.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise CaseFormatError(f"{CASE_FILE}: {problems}") from error


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise CaseFormatError(f"{path.name} is missing") from error
    except UnicodeDecodeError as error:
        raise CaseFormatError(f"{path.name} is not UTF-8 text") from error


def _read_tree(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): _read_text(path) for path in sorted(folder.rglob("*")) if path.is_file()
    }


def _golden(spec: _GoldenSpec, files: dict[str, FileDiff]) -> GoldenComment:
    changed = files.get(spec.path)
    if changed is None:
        raise CaseFormatError(f"golden comment on {spec.path}, which the diff does not change")
    if spec.line not in changed.new_side_lines():
        raise CaseFormatError(f"golden comment on {spec.path}:{spec.line}, a line the diff does not show")
    return GoldenComment(
        text=spec.text,
        severity=spec.severity,
        category=normalise_category(spec.category),
        path=spec.path,
        line=spec.line,
    )


def _check_kind(kind: CaseKind, golden: tuple[GoldenComment, ...]) -> None:
    # A clean case measures false positives only if nothing in it is expected to be found, and a bug
    # case with nothing to find would score every reviewer perfectly on recall.
    if kind == "clean" and golden:
        raise CaseFormatError("a clean case has golden comments")
    if kind == "bug" and not golden:
        raise CaseFormatError("a bug case has no golden comment")


def _check_head_matches_diff(head_files: dict[str, str], files: dict[str, FileDiff]) -> None:
    # Golden lines are new-side numbers in the diff; a head file that disagrees with the diff would
    # show a reviewer different code at those numbers than the one the golden comment is about.
    for path, text in head_files.items():
        changed = files.get(path)
        if changed is None:
            continue
        lines = text.splitlines()
        for number, added in changed.added_lines().items():
            if number > len(lines) or lines[number - 1] != added:
                raise CaseFormatError(f"head/{path} line {number} differs from the diff's added line")
