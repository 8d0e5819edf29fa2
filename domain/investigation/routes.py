"""HTTP routes a repository serves: NestJS, Express/Koa, FastAPI, Flask, Django, Laravel and
convention-routed PHP (`/controller/method`)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from domain.investigation.jsroutes import express_routes
from domain.investigation.phpconvention import convention_routes
from domain.investigation.pymounts import Target, blueprint_overrides, module_of, mount_prefixes, router_prefixes
from domain.investigation.routemodel import DetectedApi
from domain.investigation.scan import QUOTED, LineIndex, join_route, source_files, unquote

__all__ = ["DetectedApi", "detect_apis"]

_JS_ROUTE_SUFFIXES = (".ts", ".js", ".mjs", ".cjs")
_NEST_CONTROLLER = re.compile(r"@Controller\(\s*(?:" + QUOTED + r"|\{[^}]*?path\s*:\s*(?P<p>'[^']*'|\"[^\"]*\"))?")
_NEST_ROUTE = re.compile(r"@(?P<m>Get|Post|Put|Patch|Delete|Options|Head|All)\(\s*" + QUOTED + "?")
_NEST_PREFIX = re.compile(r"\.setGlobalPrefix\(\s*" + QUOTED)
_PY_ROUTE = re.compile(
    r"^[ \t]*@(?P<obj>\w+)\.(?P<m>get|post|put|patch|delete|options|head|route|api_route|websocket)"
    r"\(\s*(?:path\s*=\s*|rule\s*=\s*)?" + QUOTED,
    re.MULTILINE,
)
# Flask's `app.add_url_rule('/x', ...)` and FastAPI's `app.add_api_route('/x', ...)`.
_PY_RULE = re.compile(r"\b(?P<obj>\w+)\.(?P<m>add_url_rule|add_api_route)\(\s*(?:rule\s*=\s*|path\s*=\s*)?" + QUOTED)
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


def detect_apis(file_contents: Mapping[str, str]) -> list[DetectedApi]:
    """Routes declared in the given files (tests and vendored code skipped), by file and line.

    Prefixes are applied where the code states them literally: NestJS controllers and global
    prefix, Express/Koa `use('/x', router)` mounts and Koa router prefixes (followed across
    files), APIRouter/Blueprint prefixes, FastAPI `include_router` and Flask
    `register_blueprint` prefixes (followed across files), Laravel prefix groups and
    routes/api.php. A PHP app without route declarations but with a URL dispatcher gets its
    `/controller/method` routes. Prefixes read from settings are not known and count as empty.
    """
    files = list(source_files(file_contents))
    nest_prefix = _nest_global_prefix(files)
    python = {path: text for path, text in files if path.endswith(".py")}
    mounts, replaced = mount_prefixes(python), blueprint_overrides(python)
    php = {path: text for path, text in files if path.endswith(".php")}
    found: list[DetectedApi] = express_routes({p: t for p, t in files if p.endswith(_JS_ROUTE_SUFFIXES)})
    for path, text in files:
        if path.endswith(_JS_ROUTE_SUFFIXES):
            found.extend(_nest_routes(path, text, nest_prefix))
        elif path.endswith(".py"):
            found.extend(_python_routes(path, text, mounts, replaced))
        elif path.endswith(".php"):
            found.extend(_laravel_routes(path, text))
    if php and not any(api.file in php for api in found):
        found.extend(convention_routes(php))
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


def _python_routes(
    path: str, text: str, mounts: Mapping[Target, list[str]], replaced: set[Target]
) -> Iterator[DetectedApi]:
    lower = text.lower()
    framework = "fastapi" if "fastapi" in lower else "flask" if "flask" in lower else "python"
    prefixes = router_prefixes(text)
    lines = LineIndex(text)
    matches = sorted([*_PY_ROUTE.finditer(text), *_PY_RULE.finditer(text)], key=lambda m: m.start())
    for match in matches:
        value = unquote(match.group("q"))
        if value is None:
            continue
        target = (module_of(path), match.group("obj"))
        # Flask's register_blueprint(url_prefix=...) replaces the blueprint's own url_prefix.
        own = "" if target in replaced else prefixes.get(target[1], "")
        verb = "route" if match.group("m") in ("add_url_rule", "add_api_route") else match.group("m")
        for mount in mounts.get(target, [""]):
            route = join_route(mount, own, value)
            for method in _python_methods(verb, text, match.end()):
                yield DetectedApi(method, route, framework, path, lines.line_of(match.start()))
    if path.endswith("urls.py"):
        for match in _DJANGO.finditer(text):
            value = unquote(match.group("q"))
            if value is not None:
                route = join_route(value.lstrip("^").rstrip("$"))
                yield DetectedApi("ANY", route, "django", path, lines.line_of(match.start()))


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
