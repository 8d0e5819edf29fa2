"""HTTP routes a repository serves: NestJS, Express-style, FastAPI, Flask, Django and Laravel."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from domain.investigation.pymounts import Target, module_of, mount_prefixes
from domain.investigation.scan import QUOTED, LineIndex, join_route, source_files, unquote

_VERBS = "get|post|put|patch|delete|options|head|all"
_NEST_CONTROLLER = re.compile(r"@Controller\(\s*(?:" + QUOTED + r"|\{[^}]*?path\s*:\s*(?P<p>'[^']*'|\"[^\"]*\"))?")
_NEST_ROUTE = re.compile(r"@(?P<m>Get|Post|Put|Patch|Delete|Options|Head|All)\(\s*" + QUOTED + "?")
_NEST_PREFIX = re.compile(r"\.setGlobalPrefix\(\s*" + QUOTED)
_EXPRESS = re.compile(
    r"\b(?:app|router|server|routes|\w*Router|\w*router|\w*App)\.(?P<m>" + _VERBS + r")\(\s*" + QUOTED
)
_EXPRESS_FILE = re.compile(r"express|Router\(|fastify|koa|hono")
_PY_ROUTE = re.compile(
    r"^[ \t]*@(?P<obj>\w+)\.(?P<m>get|post|put|patch|delete|options|head|route|api_route|websocket)"
    r"\(\s*(?:path\s*=\s*|rule\s*=\s*)?" + QUOTED,
    re.MULTILINE,
)
_PY_PREFIX = re.compile(r"(?P<var>\w+)\s*=\s*(?:APIRouter|Blueprint)\((?P<args>[^)]*)\)", re.MULTILINE)
_PY_PREFIX_ARG = re.compile(r"\b(?:url_)?prefix\s*=\s*" + QUOTED)
_PY_METHODS = re.compile(r"methods\s*=\s*[\[(](?P<list>[^\])]*)")
_DJANGO = re.compile(r"\b(?:re_)?path\(\s*r?" + QUOTED)
_LARAVEL = re.compile(
    r"Route::(?:[a-z]\w*\([^)]*\)->)*(?P<m>get|post|put|patch|delete|options|any|resource|apiResource)"
    r"\(\s*" + QUOTED
)
_LARAVEL_MATCH = re.compile(r"Route::match\(\s*\[(?P<list>[^\]]*)\]\s*,\s*" + QUOTED)
_LARAVEL_GROUP = re.compile(
    r"Route::(?:prefix\(\s*" + QUOTED + r"\s*\)(?:->\w+\([^)]*\))*->group\("
    r"|group\(\s*\[[^\]]*['\"]prefix['\"]\s*=>\s*(?P<p>'[^']*'|\"[^\"]*\"))"
)


@dataclass(frozen=True)
class DetectedApi:
    """One served route. `method` is an HTTP verb, ANY, or RESOURCE (Laravel resource routes)."""

    method: str
    path: str
    framework: str
    file: str
    line: int

    @property
    def location(self) -> str:
        """`path:line` of the declaration."""
        return f"{self.file}:{self.line}"


def detect_apis(file_contents: Mapping[str, str]) -> list[DetectedApi]:
    """Routes declared in the given files (tests and vendored code skipped), by file and line.

    Prefixes declared in the same file (NestJS controller, APIRouter/Blueprint prefix, Laravel
    prefix groups and routes/api.php), a NestJS global prefix and literal FastAPI `include_router`
    prefixes (followed across files) are applied; Express mounts (`app.use('/x', router)`) and
    prefixes read from settings are not.
    """
    files = list(source_files(file_contents))
    nest_prefix = _nest_global_prefix(files)
    mounts = mount_prefixes({path: text for path, text in files if path.endswith(".py")})
    found: list[DetectedApi] = []
    for path, text in files:
        if path.endswith((".ts", ".js", ".mjs", ".cjs")):
            found.extend(_nest_routes(path, text, nest_prefix))
            found.extend(_express_routes(path, text))
        elif path.endswith(".py"):
            found.extend(_python_routes(path, text, mounts))
        elif path.endswith(".php"):
            found.extend(_laravel_routes(path, text))
    return sorted(set(found), key=lambda a: (a.file, a.line, a.method, a.path))


def _nest_global_prefix(files: list[tuple[str, str]]) -> str:
    for _, text in files:
        match = _NEST_PREFIX.search(text)
        if match:
            return unquote(match.group("q")) or ""
    return ""


def _nest_routes(path: str, text: str, global_prefix: str) -> Iterator[DetectedApi]:
    if "@Controller(" not in text:
        return
    lines = LineIndex(text)
    marks = [(m.start(), "c", m) for m in _NEST_CONTROLLER.finditer(text)]
    marks += [(m.start(), "r", m) for m in _NEST_ROUTE.finditer(text)]
    prefix: str | None = None
    for offset, kind, match in sorted(marks, key=lambda mark: mark[0]):
        token = match.group("q") or (match.group("p") if kind == "c" else None)
        value = unquote(token) if token else ""
        if value is None:
            continue
        if kind == "c":
            prefix = value
        elif prefix is not None:
            route = join_route(global_prefix, prefix, value)
            yield DetectedApi(match.group("m").upper(), route, "nestjs", path, lines.line_of(offset))


def _express_routes(path: str, text: str) -> Iterator[DetectedApi]:
    if not _EXPRESS_FILE.search(text):
        return
    lines = LineIndex(text)
    for match in _EXPRESS.finditer(text):
        value = unquote(match.group("q"))
        if value is not None and value.startswith("/"):
            method = match.group("m").upper()
            yield DetectedApi(
                "ANY" if method == "ALL" else method, value, "express", path, lines.line_of(match.start())
            )


def _python_routes(path: str, text: str, mounts: Mapping[Target, list[str]]) -> Iterator[DetectedApi]:
    lower = text.lower()
    framework = "fastapi" if "fastapi" in lower else "flask" if "flask" in lower else "python"
    prefixes = _python_prefixes(text)
    lines = LineIndex(text)
    for match in _PY_ROUTE.finditer(text):
        value = unquote(match.group("q"))
        if value is None:
            continue
        obj = match.group("obj")
        for mount in mounts.get((module_of(path), obj), [""]):
            route = join_route(mount, prefixes.get(obj, ""), value)
            for method in _python_methods(match.group("m"), text, match.end()):
                yield DetectedApi(method, route, framework, path, lines.line_of(match.start()))
    if path.endswith("urls.py"):
        for match in _DJANGO.finditer(text):
            value = unquote(match.group("q"))
            if value is not None:
                route = join_route(value.lstrip("^").rstrip("$"))
                yield DetectedApi("ANY", route, "django", path, lines.line_of(match.start()))


def _python_prefixes(text: str) -> dict[str, str]:
    prefixes: dict[str, str] = {}
    for match in _PY_PREFIX.finditer(text):
        arg = _PY_PREFIX_ARG.search(match.group("args"))
        value = unquote(arg.group("q")) if arg else None
        if value:
            prefixes[match.group("var")] = value
    return prefixes


def _python_methods(verb: str, text: str, end: int) -> list[str]:
    if verb == "websocket":
        return ["WEBSOCKET"]
    if verb not in ("route", "api_route"):
        return [verb.upper()]
    line_end = text.find("\n", end)
    listed = _PY_METHODS.search(text[end : line_end if line_end >= 0 else None])
    if not listed:
        return ["GET"] if verb == "route" else ["ANY"]
    return [m.upper() for m in re.findall(r"['\"](\w+)['\"]", listed.group("list"))] or ["GET"]


def _laravel_routes(path: str, text: str) -> Iterator[DetectedApi]:
    base = "api" if path.endswith("routes/api.php") else ""
    stack: list[tuple[int, str]] = []  # (brace depth where the group opened, its prefix)
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        prefix = join_route(base, *(p for _, p in stack))
        yield from _laravel_line(path, number, line, prefix)
        group = _LARAVEL_GROUP.search(line)
        token = group and (group.group("q") or group.group("p"))
        if token and (value := unquote(token)) is not None:
            stack.append((depth, value))
        depth += line.count("{") - line.count("}")
        while stack and depth <= stack[-1][0]:
            stack.pop()


def _laravel_line(path: str, number: int, line: str, prefix: str) -> Iterator[DetectedApi]:
    for match in _LARAVEL.finditer(line):
        value = unquote(match.group("q"))
        if value is not None:
            verb = match.group("m").lower()
            method = "RESOURCE" if "resource" in verb else verb.upper()
            yield DetectedApi(method, join_route(prefix, value), "laravel", path, number)
    for match in _LARAVEL_MATCH.finditer(line):
        value = unquote(match.group("q"))
        for verb in re.findall(r"['\"](\w+)['\"]", match.group("list")):
            if value is not None:
                yield DetectedApi(verb.upper(), join_route(prefix, value), "laravel", path, number)
