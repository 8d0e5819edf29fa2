"""package.json: internal packages pinned below their latest release, or deprecated ones."""

from __future__ import annotations

import re

from domain.analyzers.context import AnalyzerContext, InternalPackageInfo, make_finding
from domain.analyzers.source import SourceView
from domain.diff import FileDiff
from domain.findings import Finding
from domain.semver import admits

NAME = "npm"
LANGUAGES = frozenset({"json"})
_DEPENDENCY = re.compile(r'^\s*"(?P<name>[^"]+)"\s*:\s*"(?P<spec>[^"]*)"\s*,?\s*$')
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
    if admits(spec, info.latest_version) is not False:
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
