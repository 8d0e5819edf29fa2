"""package.json read with line numbers: a package's identity, entry files and dependencies."""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass

from tree_sitter import Node

from domain.impact import syntax

DEPENDENCY_SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
_DEFAULT_ENTRIES = ("src/index.ts", "src/index.tsx", "src/index.js", "index.ts", "index.js", "lib/index.ts")
_BUILD_DIRS = ("dist/", "lib/", "build/", "out/", "esm/", "cjs/")


@dataclass(frozen=True)
class DeclaredDependency:
    """One dependency line of a package.json."""

    package: str
    spec: str
    section: str
    line: int


@dataclass(frozen=True)
class Manifest:
    """A package.json: where it is, what it names itself, what it depends on."""

    path: str
    name: str
    version: str
    name_line: int
    version_line: int
    entries: tuple[str, ...]
    dependencies: tuple[DeclaredDependency, ...]

    @property
    def root(self) -> str:
        """The package's folder ("" at the repository root)."""
        return posixpath.dirname(self.path)

    def owns(self, path: str) -> bool:
        """Whether a file lies inside this package's folder."""
        return not self.root or path.startswith(self.root + "/")


def read_manifest(path: str, text: str) -> Manifest | None:
    """The manifest, None when the text is not a JSON object."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    lines = _key_lines(syntax.parse(path, text))
    return Manifest(
        path=path,
        name=str(data.get("name") or ""),
        version=str(data.get("version") or ""),
        name_line=lines.get(("", "name"), 1),
        version_line=lines.get(("", "version"), 1),
        entries=_entries(posixpath.dirname(path), data),
        dependencies=tuple(_dependencies(data, lines)),
    )


def _key_lines(root: Node | None) -> dict[tuple[str, str], int]:
    """Line of every top-level key, and of every key one level down, as (section, key)."""
    found: dict[tuple[str, str], int] = {}
    top = next((c for c in root.named_children if c.type == "object"), None) if root is not None else None
    for pair in top.named_children if top is not None else []:
        key = syntax.string_value(syntax.field(pair, "key")) or ""
        found[("", key)] = syntax.line(pair)
        value = syntax.field(pair, "value")
        for inner in value.named_children if value is not None and value.type == "object" else []:
            if inner.type == "pair":
                found[(key, syntax.string_value(syntax.field(inner, "key")) or "")] = syntax.line(inner)
    return found


def _dependencies(data: dict[str, object], lines: dict[tuple[str, str], int]) -> list[DeclaredDependency]:
    found = []
    for section in DEPENDENCY_SECTIONS:
        deps = data.get(section)
        if isinstance(deps, dict):
            for package, spec in deps.items():
                found.append(DeclaredDependency(package, str(spec), section, lines.get((section, package), 1)))
    return found


def _entries(root: str, data: dict[str, object]) -> tuple[str, ...]:
    """Source files that may be the package's entry, most likely first."""
    declared = [data.get(key) for key in ("source", "types", "typings", "module", "main")]
    exports = data.get("exports")
    dot = exports.get(".") if isinstance(exports, dict) else exports
    if isinstance(dot, dict):
        declared += [dot.get(key) for key in ("types", "import", "require", "default")]
    else:
        declared.append(dot)
    candidates: list[str] = []
    for entry in (d for d in declared if isinstance(d, str)):
        candidates += _source_candidates(entry.removeprefix("./"))
    candidates += _DEFAULT_ENTRIES
    joined = [posixpath.join(root, c) if root else c for c in candidates]
    return tuple(dict.fromkeys(joined))


def _source_candidates(entry: str) -> list[str]:
    """`dist/index.js` → src/index.ts, src/index.tsx, src/index.js, dist/index.js."""
    stem = entry.removesuffix(".d.ts")
    stem = posixpath.splitext(stem)[0] if stem == entry else stem
    stems = [stem]
    for build in _BUILD_DIRS:
        if stem.startswith(build):
            stems.insert(0, "src/" + stem.removeprefix(build))
    return [s + ext for s in stems for ext in (".ts", ".tsx", ".js")] + [entry]
