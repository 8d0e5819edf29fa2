"""package.json: internal packages pinned below their latest release, or deprecated ones."""

from __future__ import annotations

import re

from domain.analyzers.context import AnalyzerContext, InternalPackageInfo, make_finding
from domain.analyzers.source import SourceView
from domain.diff import FileDiff
from domain.findings import Finding

NAME = "npm"
LANGUAGES = frozenset({"json"})
_DEPENDENCY = re.compile(r'^\s*"(?P<name>[^"]+)"\s*:\s*"(?P<spec>[^"]*)"\s*,?\s*$')
_VERSION = re.compile(r"^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+][\w.\-+]*)?$")
_RANGE = re.compile(r"^(?P<op>\^|~|>=|=)?\s*(?P<version>\S+)$")
# Keys that sit next to dependency names but are not dependencies.
_NOT_DEPENDENCIES = frozenset({"name", "version", "main", "description", "license"})


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report added dependency lines on deprecated or outdated internal packages."""
    if file.path.rsplit("/", 1)[-1] != "package.json" or not ctx.internal_packages:
        return []
    view = ctx.source(file)
    findings = []
    for number in sorted(view.added):
        match = _DEPENDENCY.match(view.lines[number - 1])
        if not match or match.group("name") in _NOT_DEPENDENCIES:
            continue
        info = ctx.internal_packages.get(match.group("name"))
        if info is not None:
            finding = _check(view, number, match.group("name"), match.group("spec"), info)
            if finding:
                findings.append(finding)
    return findings


def _check(view: SourceView, line: int, name: str, spec: str, info: InternalPackageInfo) -> Finding | None:
    if info.deprecated:
        why = f": {info.deprecation_message}" if info.deprecation_message else "."
        return make_finding(
            NAME,
            view,
            line,
            "medium",
            "npm.internal-package-deprecated",
            f"Internal package `{name}` is deprecated{why}",
            "Move to its replacement before adding new uses.",
        )
    if range_includes(spec, info.latest_version) is not False:
        return None
    return make_finding(
        NAME,
        view,
        line,
        "low",
        "npm.internal-package-outdated",
        f"`{name}@{spec}` does not include the latest internal release {info.latest_version}.",
        f'Use `"{name}": "^{info.latest_version}"` unless the old line is needed on purpose.',
    )


def range_includes(spec: str, version: str) -> bool | None:
    """Whether an npm range admits `version`; None when the range is not understood.

    Handles exact versions, `^`, `~`, `>=`, x-ranges and `*`/`latest`; anything else (unions,
    hyphen ranges, tags, git or file specs) is None so that no finding is made from a guess.
    """
    spec = spec.strip()
    if spec in ("", "*", "latest", "x"):
        return True
    target, match = _parse(version), _RANGE.match(spec)
    if target is None or match is None:
        return None
    parts = _VERSION.match(match.group("version"))
    if parts is None:
        return None
    wanted = [None if p is None or not p.isdigit() else int(p) for p in parts.groups()]
    return _admits(match.group("op") or "=", wanted, target)


def _admits(op: str, wanted: list[int | None], target: tuple[int, int, int]) -> bool:
    base = tuple(part or 0 for part in wanted)
    if op == ">=":
        return target >= base
    if op == "^":
        # ^1.2.3 := >=1.2.3 <2; ^0.2.3 := >=0.2.3 <0.3; ^0.0.3 := exactly 0.0.3.
        fixed = 1 if base[0] else (2 if base[1] else 3)
        return target >= base and target[:fixed] == base[:fixed]
    if op == "~":
        fixed = 2 if wanted[1] is not None else 1
        return target >= base and target[:fixed] == base[:fixed]
    # Exact or x-range: every given part must match.
    return all(w is None or w == t for w, t in zip(wanted, target, strict=True))


def _parse(version: str) -> tuple[int, int, int] | None:
    match = _VERSION.match(version.strip())
    if match is None or not all(p and p.isdigit() for p in match.groups()):
        return None
    major, minor, patch = (int(p) for p in match.groups())
    return major, minor, patch
