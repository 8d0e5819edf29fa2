"""Monorepo layout: the package folders a repository holds and the tool that manages them."""

from __future__ import annotations

import fnmatch
import posixpath
from dataclasses import dataclass, field

from domain.repo_profile.model import ManifestFacts

# Manifests that make a folder a package of its own (JVM build files are left out because an
# Android app has several of them without being a monorepo).
PACKAGE_MANIFESTS = frozenset(
    {"package.json", "pyproject.toml", "composer.json", "go.mod", "Cargo.toml", "pubspec.yaml", "setup.py"}
)
_CONVENTIONAL_DIRS = frozenset({"packages", "apps", "services", "libs", "modules", "projects"})
_NOT_PACKAGES = frozenset(
    {"example", "examples", "docs", "website", "test", "tests", "e2e", "fixtures", "samples", "demo"}
)
_TOOL_MARKERS = (
    ("nx.json", "nx"),
    ("turbo.json", "turbo"),
    ("lerna.json", "lerna"),
    ("pnpm-workspace.yaml", "pnpm-workspaces"),
)


@dataclass
class Layout:
    """The packages found (folder paths), the managing tool, and why."""

    packages: list[str] = field(default_factory=list)
    tool: str | None = None
    evidence: list[str] = field(default_factory=list)

    @property
    def is_monorepo(self) -> bool:
        return bool(self.packages)


def package_roots(paths: list[str]) -> list[str]:
    """Folders below the root that hold a package manifest, sorted."""
    roots = {posixpath.dirname(p) for p in paths if posixpath.basename(p) in PACKAGE_MANIFESTS}
    return sorted(r for r in roots if r and r.split("/", 1)[0] not in _NOT_PACKAGES)


def glob_match(pattern: str, path: str) -> bool:
    """Workspace-glob match by path segments: "*" stays within a segment, "**" spans any."""

    def match(pat: list[str], parts: list[str]) -> bool:
        if not pat:
            return not parts
        if pat[0] == "**":
            return any(match(pat[1:], parts[i:]) for i in range(len(parts) + 1))
        return bool(parts) and fnmatch.fnmatchcase(parts[0], pat[0]) and match(pat[1:], parts[1:])

    return match(pattern.strip("/").split("/"), path.split("/"))


def _declared(roots: list[str], facts: ManifestFacts) -> tuple[list[str], list[str]]:
    included: set[str] = set()
    excluded: set[str] = set()
    evidence: list[str] = []
    for manifest, glob in facts.workspace_globs:
        base = posixpath.dirname(manifest)
        negated = glob.startswith("!")
        pattern = posixpath.normpath(posixpath.join(base, glob.lstrip("!").removeprefix("./")))
        matched = {r for r in roots if glob_match(pattern, r)}
        (excluded if negated else included).update(matched)
        evidence.append(f"{manifest} declares workspace {glob}")
    return sorted(included - excluded), evidence


def find_layout(paths: list[str], facts: ManifestFacts) -> Layout:
    """Decide whether the repository is a monorepo and which folders are its packages."""
    roots = package_roots(paths)
    present = {p for p in paths if "/" not in p}
    tool = next((name for marker, name in _TOOL_MARKERS if marker in present), None)
    declared, evidence = _declared(roots, facts)
    if declared:
        npm = any(m.endswith("package.json") for m, _ in facts.workspace_globs)
        return Layout(declared, tool or ("npm-workspaces" if npm else "workspaces"), evidence)
    conventional = [r for r in roots if r.count("/") == 1 and r.split("/")[0] in _CONVENTIONAL_DIRS]
    if len(conventional) >= 2 or (conventional and tool):
        folders = ", ".join(sorted({r.split("/")[0] + "/" for r in conventional}))
        reason = f"{len(conventional)} packages under {folders}"
        return Layout(conventional, tool or "multi-package", [reason])
    top_level = [r for r in roots if "/" not in r]
    if len(top_level) >= 2 and not present & PACKAGE_MANIFESTS:
        reason = f"no root manifest and {len(top_level)} top-level packages ({', '.join(top_level)})"
        return Layout(top_level, tool or "multi-package", [reason])
    return Layout()
