"""Where FastAPI routers and Flask blueprints are mounted: `include_router(..., prefix="/x")` and
`register_blueprint(..., url_prefix="/x")` followed across files.

A route's path is the sum of the prefixes on the way from the application down to its router,
usually spread over several modules, plus each router's own `APIRouter(prefix=...)` /
`Blueprint(url_prefix=...)`. Flask's `url_prefix` at registration replaces the blueprint's own.
Only literal prefixes are known; a prefix read from settings counts as empty.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from domain.investigation.scan import QUOTED, join_route, unquote

_FROM_IMPORT = re.compile(
    r"^from\s+(?P<mod>\.*[\w.]*)\s+import\s+(?:\((?P<paren>[^)]*)\)|(?P<names>[^\n(]+))", re.MULTILINE
)
_IMPORT = re.compile(r"^import\s+(?P<mod>[\w.]+)(?:\s+as\s+(?P<alias>\w+))?", re.MULTILINE)
_INCLUDE = re.compile(
    r"(?P<parent>\w+)\.(?P<how>include_router|register_blueprint)\(\s*(?P<ref>[\w.]+)(?P<args>[^)]*)\)"
)
_PREFIX = re.compile(r"\b(?:url_)?prefix\s*=\s*" + QUOTED)
_ROUTER = re.compile(r"(?P<var>\w+)\s*=\s*(?:APIRouter|Blueprint)\((?P<args>[^)]*)\)", re.MULTILINE)
_MAX_DEPTH = 8

Target = tuple[str, str]  # (module, router variable)


def module_of(path: str) -> str:
    """Dotted module name of a Python file: app/api/__init__.py → app.api."""
    module = path.removesuffix(".py").replace("/", ".")
    return module.removesuffix(".__init__")


def router_prefixes(text: str) -> dict[str, str]:
    """{variable: own prefix} of the APIRouter/Blueprint objects one file creates."""
    prefixes: dict[str, str] = {}
    for match in _ROUTER.finditer(text):
        arg = _PREFIX.search(match.group("args"))
        value = unquote(arg.group("q")) if arg else None
        if value:
            prefixes[match.group("var")] = value
    return prefixes


def mount_prefixes(py_files: Mapping[str, str]) -> dict[Target, list[str]]:
    """For every router included somewhere, the full prefixes it is mounted under."""
    edges, own = _edges(py_files), _own(py_files)
    replaced = blueprint_overrides(py_files)
    effective = {t: p for t, p in own.items() if t not in replaced}
    return {target: sorted(set(_full(target, edges, effective, 0))) for target in edges}


def blueprint_overrides(py_files: Mapping[str, str]) -> set[Target]:
    """Blueprints registered with a `url_prefix`, which replaces their own one (Flask's rule)."""
    return {child for child, parents in _edges(py_files).items() for _, _, how in parents if how}


def _edges(py_files: Mapping[str, str]) -> dict[Target, list[tuple[Target, str, bool]]]:
    """child → [(parent, prefix, whether the prefix replaces the child's own)]."""
    edges: dict[Target, list[tuple[Target, str, bool]]] = {}
    known = {module_of(p) for p in py_files}
    for path, text in py_files.items():
        module = module_of(path)
        aliases = _aliases(module, path.endswith("__init__.py"), text)
        for match in _INCLUDE.finditer(text):
            child = _target(match.group("ref"), aliases, known)
            if child:
                prefix_match = _PREFIX.search(match.group("args"))
                prefix = (unquote(prefix_match.group("q")) or "") if prefix_match else ""
                replaces = match.group("how") == "register_blueprint" and bool(prefix)
                edges.setdefault(child, []).append(((module, match.group("parent")), prefix, replaces))
    return edges


def _own(py_files: Mapping[str, str]) -> dict[Target, str]:
    own: dict[Target, str] = {}
    for path, text in py_files.items():
        own.update(((module_of(path), var), prefix) for var, prefix in router_prefixes(text).items())
    return own


def _full(
    target: Target, edges: Mapping[Target, list[tuple[Target, str, bool]]], own: Mapping[Target, str], depth: int
) -> list[str]:
    parents = edges.get(target)
    if not parents or depth > _MAX_DEPTH:
        return [""]
    return [
        join_route(above, own.get(parent, ""), prefix)
        for parent, prefix, _ in parents
        for above in _full(parent, edges, own, depth + 1)
    ]


def _aliases(module: str, is_package: bool, text: str) -> dict[str, str]:
    """Local name → dotted name it refers to, from the file's import statements."""
    found: dict[str, str] = {}
    for match in _FROM_IMPORT.finditer(text):
        base = _absolute(match.group("mod"), module, is_package)
        names = match.group("paren") or match.group("names") or ""
        for item in names.replace("\n", " ").replace("\\", " ").split(","):
            parts = item.strip().split()
            if parts and parts[0].isidentifier():
                local = parts[2] if len(parts) == 3 and parts[1] == "as" else parts[0]
                found[local] = f"{base}.{parts[0]}" if base else parts[0]
    for match in _IMPORT.finditer(text):
        found[match.group("alias") or match.group("mod").split(".")[0]] = match.group("mod")
    return found


def _absolute(mod: str, module: str, is_package: bool) -> str:
    dots = len(mod) - len(mod.lstrip("."))
    if not dots:
        return mod
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (dots - 1)] if dots > 1 else package
    rest = mod[dots:]
    return ".".join([*base, rest] if rest else base)


def _target(ref: str, aliases: Mapping[str, str], known: set[str]) -> Target | None:
    head, _, tail = ref.partition(".")
    dotted = aliases.get(head, head) + (f".{tail}" if tail else "")
    module, _, var = dotted.rpartition(".")
    if module in known:
        return module, var
    # Sources often live under a folder that is not part of the import path (src/app/... as app).
    matches = [k for k in known if k.endswith("." + module)] if module else []
    return (matches[0], var) if len(matches) == 1 else None
