"""Where Express and Koa routers are mounted: `app.use('/api', router)` followed across files.

A route's full path is the sum of the `use` prefixes on the way from the application down to its
router, usually spread over modules (`app.js` mounts `routes/index.js`, which mounts
`routes/users.js`); a Koa router adds its own `prefix`. Only literal prefixes and routers bound
by a static `require`/`import` of a relative path are followed: the detector would rather leave
a prefix out than guess one.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from domain.investigation.scan import QUOTED, balanced_call, join_route, unquote

Target = tuple[str, str]  # (module id, local variable)
JS_SUFFIXES = (".ts", ".js", ".mjs", ".cjs", ".tsx", ".jsx", ".mts", ".cts")
_MAX_DEPTH = 8
_SPEC = r"(?P<spec>'[^'\n]*'|\"[^\"\n]*\")"
_ROUTER = re.compile(
    r"(?:const|let|var)\s+(?P<var>[\w$]+)\s*(?::\s*[\w.<>]+\s*)?=\s*(?:new\s+)?"
    r"(?:require\(\s*['\"]express['\"]\s*\)\s*\.\s*|express\s*\.\s*)?"
    r"(?P<ctor>Router|\w+Router|express|Koa|fastify|Hono)\s*\(",
)
_OWN_PREFIX_ARG = re.compile(r"\bprefix\s*:\s*" + QUOTED)
_PREFIX_CALL = re.compile(r"\b(?P<var>[\w$]+)\.prefix\(\s*" + QUOTED + r"\s*\)")
_REQUIRE = re.compile(
    r"(?:const|let|var)\s+(?P<local>[\w$]+)\s*=\s*require\(\s*" + _SPEC + r"\s*\)(?:\s*\.\s*(?P<attr>[\w$]+))?"
)
_REQUIRE_NAMED = re.compile(r"(?:const|let|var)\s*\{(?P<names>[^}]*)\}\s*=\s*require\(\s*" + _SPEC + r"\s*\)")
_IMPORT = re.compile(
    r"import\s+(?:(?P<default>[\w$]+)\s*,?\s*)?(?:\*\s+as\s+(?P<ns>[\w$]+)|\{(?P<names>[^}]*)\})?\s*from\s+" + _SPEC
)
_EXPORT_DEFAULT = re.compile(r"^\s*(?:module\.exports\s*=|export\s+default)\s*(?P<local>[\w$]+)\s*;?\s*$", re.M)
_EXPORT_PROP = re.compile(r"(?:module\.)?exports\.(?P<name>[\w$]+)\s*=\s*(?P<local>[\w$]+)\s*;?\s*$", re.M)
_EXPORT_OBJECT = re.compile(r"module\.exports\s*=\s*\{(?P<names>[^}]*)\}")
_EXPORT_LIST = re.compile(r"export\s*\{(?P<names>[^}]*)\}")
_USE = re.compile(r"\b(?P<parent>[\w$]+)\.use\(")
_ROUTES_CALL = re.compile(r"^(?P<base>.+?)\s*\.\s*(?:routes|middleware)\(\s*\)$")
_INLINE_REQUIRE = re.compile(r"^require\(\s*" + _SPEC + r"\s*\)$")


@dataclass(frozen=True)
class JsMounts:
    """`mounts`: the full prefixes above each mounted router; `own`: a router's own prefix;
    `routers`: per module, the local variables that hold a router or an application."""

    mounts: dict[Target, list[str]] = field(default_factory=dict)
    own: dict[Target, str] = field(default_factory=dict)
    routers: dict[str, set[str]] = field(default_factory=dict)

    def prefixes(self, module: str, var: str) -> list[str]:
        """Every full prefix of routes declared on `var` in `module` ([""] when unmounted)."""
        own = self.own.get((module, var), "")
        return [join_route(above, own) for above in self.mounts.get((module, var), [""])]


def module_id(path: str) -> str:
    """A JS/TS file's module id: its path without the extension (src/routes/index.js → src/routes/index)."""
    for suffix in JS_SUFFIXES:
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


@dataclass
class _Module:
    id: str
    routers: set[str] = field(default_factory=set)
    bindings: dict[str, tuple[str, str]] = field(default_factory=dict)  # local → (module, export or *)
    exports: dict[str, str] = field(default_factory=dict)  # exported name → local


def js_mounts(js_files: Mapping[str, str]) -> JsMounts:
    """Mount prefixes and own prefixes of the routers in these files (path → text)."""
    known = {module_id(p) for p in js_files}
    modules = {module_id(p): _read_module(p, text, known) for p, text in js_files.items()}
    own: dict[Target, str] = {}
    edges: dict[Target, list[tuple[Target, str]]] = {}
    for path, text in js_files.items():
        module = modules[module_id(path)]
        own.update(_own_prefixes(module.id, text))
        for child, parent, prefix in _uses(module, text, modules):
            edges.setdefault(child, []).append((parent, prefix))
    mounts = {target: sorted(set(_full(target, edges, own, 0))) for target in edges}
    return JsMounts(mounts, own, {m.id: m.routers for m in modules.values()})


def _read_module(path: str, text: str, known: set[str]) -> _Module:
    module = _Module(module_id(path), {m.group("var") for m in _ROUTER.finditer(text)})
    for match in _REQUIRE.finditer(text):
        if (target := _resolve(path, match.group("spec"), known)) is not None:
            module.bindings[match.group("local")] = (target, match.group("attr") or "default")
    for match in _REQUIRE_NAMED.finditer(text):
        if (target := _resolve(path, match.group("spec"), known)) is not None:
            for name, local in _names(match.group("names"), ":"):
                module.bindings[local] = (target, name)
    for match in _IMPORT.finditer(text):
        if (target := _resolve(path, match.group("spec"), known)) is None:
            continue
        if match.group("default"):
            module.bindings[match.group("default")] = (target, "default")
        if match.group("ns"):
            module.bindings[match.group("ns")] = (target, "*")
        for name, local in _names(match.group("names") or "", " as "):
            module.bindings[local] = (target, name)
    module.exports.update(_exports(text))
    return module


def _exports(text: str) -> Iterator[tuple[str, str]]:
    for match in _EXPORT_DEFAULT.finditer(text):
        yield "default", match.group("local")
    for match in _EXPORT_PROP.finditer(text):
        yield match.group("name"), match.group("local")
    for match in _EXPORT_OBJECT.finditer(text):
        yield from ((name, local) for name, local in _names(match.group("names"), ":"))
    for match in _EXPORT_LIST.finditer(text):
        yield from ((exported, local) for local, exported in _names(match.group("names"), " as "))


def _names(listed: str, separator: str) -> Iterator[tuple[str, str]]:
    """(name, alias) pairs of `a, b as c` (imports) or `a, b: c` (destructuring, object exports)."""
    for item in listed.split(","):
        name, _, alias = (part.strip() for part in item.partition(separator))
        if re.fullmatch(r"[\w$]+", name) and (not alias or re.fullmatch(r"[\w$]+", alias)):
            yield name, alias or name


def _resolve(path: str, spec: str, known: set[str]) -> str | None:
    value = unquote(spec)
    if not value or not value.startswith("."):
        return None  # a package, not a file of this repository
    joined = module_id(posixpath.normpath(posixpath.join(posixpath.dirname(path), value)))
    for candidate in (joined, f"{joined}/index"):
        if candidate in known:
            return candidate
    return None


def _own_prefixes(module: str, text: str) -> Iterator[tuple[Target, str]]:
    for match in _ROUTER.finditer(text):
        found = balanced_call(text, match.end() - 1)
        prefix = _OWN_PREFIX_ARG.search(found[0][0]) if found and found[0] else None
        if prefix and (value := unquote(prefix.group("q"))):
            yield (module, match.group("var")), value
    for match in _PREFIX_CALL.finditer(text):
        if value := unquote(match.group("q")):
            yield (module, match.group("var")), value


def _uses(module: _Module, text: str, modules: Mapping[str, _Module]) -> Iterator[tuple[Target, Target, str]]:
    """(mounted router, the router or app it is mounted on, literal prefix) for each `.use(...)`."""
    for match in _USE.finditer(text):
        found = balanced_call(text, match.end() - 1)
        if not found or not found[0]:
            continue
        args = found[0]
        prefix = unquote(args[0]) if args[0][:1] in "'\"`" else ""
        if prefix is None:
            continue  # a template prefix with interpolation: unknown
        for arg in args[1:] if args[0][:1] in "'\"`" else args:
            child = _reference(arg, module, modules)
            if child is not None:
                yield child, (module.id, match.group("parent")), prefix


def _reference(arg: str, module: _Module, modules: Mapping[str, _Module]) -> Target | None:
    """The router an argument of `.use(...)` names, if it can be known statically."""
    routes = _ROUTES_CALL.match(arg)
    ref = routes.group("base") if routes else arg
    inline = _INLINE_REQUIRE.match(ref)
    if inline:
        target = _resolve(module.id + ".js", inline.group("spec"), set(modules))
        return _exported(modules, target, "default") if target else None
    head, _, attr = ref.partition(".")
    if not re.fullmatch(r"[\w$]+", head) or (attr and not re.fullmatch(r"[\w$]+", attr)):
        return None
    if not attr and head in module.routers:
        return module.id, head
    bound = module.bindings.get(head)
    if bound is None:
        return None
    target, name = bound
    if attr:  # `routes.users` where `routes` is a module or its exported object
        return _exported(modules, target, attr) if name in ("default", "*") else None
    return _exported(modules, target, name)


def _exported(modules: Mapping[str, _Module], target: str, name: str) -> Target | None:
    module = modules.get(target)
    if module is None:
        return None
    local = module.exports.get(name, None if name == "default" else name)
    return (target, local) if local else None


def _full(
    target: Target, edges: Mapping[Target, list[tuple[Target, str]]], own: Mapping[Target, str], depth: int
) -> list[str]:
    parents = edges.get(target)
    if not parents or depth > _MAX_DEPTH:
        return [""]
    return [
        join_route(above, own.get(parent, ""), prefix)
        for parent, prefix in parents
        for above in _full(parent, edges, own, depth + 1)
    ]
