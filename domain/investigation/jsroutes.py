"""Express, Koa and similar routes: `router.get('/x')` and `app.route('/x').get().post()`, with the
prefixes of the mounts above each router (see jsmounts)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from domain.investigation.jsmounts import JsMounts, js_mounts, module_id
from domain.investigation.routemodel import DetectedApi
from domain.investigation.scan import QUOTED, LineIndex, balanced_call, join_route, unquote

_VERBS = "get|post|put|patch|delete|options|head|all"
_ROUTE = re.compile(r"\b(?P<obj>[\w$]+)\s*\.\s*(?P<m>" + _VERBS + r")\(\s*" + QUOTED)
_CHAIN_START = re.compile(r"\b(?P<obj>[\w$]+)\s*\.\s*route\(\s*" + QUOTED + r"\s*\)")
_CHAIN_LINK = re.compile(r"\s*\.\s*(?P<m>" + _VERBS + r")\s*\(")
# Receivers that read as a router or an app even when the file does not show how they were made.
_ROUTER_LIKE = re.compile(r"^(?:app|router|server|routes|\w*Router|\w*router|\w*App)$")
_SERVER_FILE = re.compile(r"express|Router\(|fastify|koa|hono")


def express_routes(js_files: Mapping[str, str]) -> list[DetectedApi]:
    """Routes declared on router-like receivers in these files, under their mount prefixes."""
    mounts = js_mounts(js_files)
    found: list[DetectedApi] = []
    for path, text in js_files.items():
        if _SERVER_FILE.search(text):
            found.extend(_file_routes(path, text, mounts))
    return found


def _file_routes(path: str, text: str, mounts: JsMounts) -> Iterator[DetectedApi]:
    module = module_id(path)
    known = mounts.routers.get(module, set())
    lines = LineIndex(text)
    for obj, verb, value, offset in (*_direct(text), *_chained(text)):
        if value is None or not value.startswith("/") or not (obj in known or _ROUTER_LIKE.match(obj)):
            continue
        method = "ANY" if verb == "all" else verb.upper()
        for prefix in mounts.prefixes(module, obj):
            yield DetectedApi(method, join_route(prefix, value), "express", path, lines.line_of(offset))


def _direct(text: str) -> Iterator[tuple[str, str, str | None, int]]:
    for match in _ROUTE.finditer(text):
        yield match.group("obj"), match.group("m"), unquote(match.group("q")), match.start()


def _chained(text: str) -> Iterator[tuple[str, str, str | None, int]]:
    """`app.route('/book').get(h).post(h)`: one route per verb, at the verb's line."""
    for match in _CHAIN_START.finditer(text):
        value, position = unquote(match.group("q")), match.end()
        while link := _CHAIN_LINK.match(text, position):
            yield match.group("obj"), link.group("m"), value, link.start("m")
            closed = balanced_call(text, link.end() - 1)
            if closed is None:
                break
            position = closed[1]
