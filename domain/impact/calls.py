"""Outgoing HTTP calls of TypeScript/JavaScript and Python code, with their method and route.

`fetch(url, {method})`, axios (`axios.get`, `axios({url, method})`, clients made with
`axios.create({baseURL})`, also imported from another module), Angular's HttpClient
(`this.http.get`), ky/got, and Python requests/httpx. A URL is read from literals, templates
and `+` concatenations: constants resolve, a leading unknown value is the base (`{API_URL}`),
other interpolations become `:name` parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from tree_sitter import Node

from domain.impact import syntax, urls
from domain.impact.modules import import_bindings, resolve

_VERBS = {"get", "post", "put", "patch", "delete", "head", "options", "request"}
_CLIENT_WORDS = re.compile(r"axios|http|client|api|request|fetcher|session|\bky\b|\bgot\b|superagent", re.IGNORECASE)
_ROUTER_WORDS = re.compile(r"router|^app$|server", re.IGNORECASE)
_FACTORIES = ("axios.create", "ky.create", "ky.extend", "got.extend", "httpx.Client", "httpx.AsyncClient")
_BASE_KEYS = ("baseURL", "prefixUrl", "base_url")


@dataclass(frozen=True)
class Url:
    """A call's target: `origin` ("", a host, or `{NAME}` when unknown) and a normalised path."""

    origin: str
    path: str


@dataclass(frozen=True)
class CallSite:
    method: str
    url: Url
    written: str
    line: int


Clients = dict[tuple[str, str], Url]  # (file, exported or local name) → base


def clients(roots: Mapping[str, Node], consts: Mapping[str, Mapping[str, str]]) -> Clients:
    """HTTP clients created with a base URL, by (file, variable) and, when exported, (file, "default")."""
    found: Clients = {}
    for path, root in roots.items():
        for node in syntax.walk(root):
            value = syntax.field(node, "value") if node.type == "variable_declarator" else None
            if node.type == "export_statement" and any(c.type == "default" for c in node.children):
                value = syntax.field(node, "value")
            base = _client_base(value, consts[path])
            if base is not None:
                name = syntax.text(syntax.field(node, "name")) if node.type == "variable_declarator" else "default"
                found[(path, name)] = base
    return found


def _client_base(value: Node | None, consts: Mapping[str, str]) -> Url | None:
    if value is None or value.type not in ("call_expression", "call") or syntax.callee(value) not in _FACTORIES:
        return None
    for arg in syntax.arguments(value):
        for pair in arg.named_children if arg.type == "object" else [arg]:
            key = syntax.text(syntax.field(pair, "key") or syntax.field(pair, "name"))
            if key in _BASE_KEYS:
                value = syntax.field(pair, "value")
                return read_url(value, consts, relative_ok=True, bare_ok=True) or Url("", "/")
    return Url("", "/")


def call_sites(
    path: str, root: Node, consts: Mapping[str, str], known: Clients, files: Mapping[str, Node]
) -> Iterator[CallSite]:
    """The HTTP calls of one file."""
    local = _visible_clients(path, root, known, files)
    for call in syntax.walk(root):
        if call.type not in ("call_expression", "call"):
            continue
        found = _call(call, consts, local)
        if found is not None:
            method, url = found
            written = syntax.text(call).removeprefix("await ").split("\n", 1)[0][:120]
            yield CallSite(method, url, written, syntax.line(call))


def _visible_clients(path: str, root: Node, known: Clients, files: Mapping[str, Node]) -> dict[str, Url]:
    visible = {name: base for (file, name), base in known.items() if file == path}
    for binding in import_bindings(root) if syntax.is_js(path) else ():
        target = resolve(path, binding.source, files.keys())
        if target is not None and (target, binding.imported) in known:
            visible[binding.local] = known[(target, binding.imported)]
    return visible


def _call(call: Node, consts: Mapping[str, str], local: Mapping[str, Url]) -> tuple[str, Url] | None:
    function = syntax.function_of(call)
    args = syntax.arguments(call)
    if function is None or not args:
        return None
    name = syntax.text(function)
    if name == "fetch":
        url = read_url(args[0], consts)
        return (_fetch_method(args[1:]), url) if url else None
    if name in ("axios", "axios.request"):
        return _config_call(args[0], consts) if args[0].type == "object" else _plain(args, "ANY", consts, None)
    if function.type not in ("member_expression", "attribute"):
        return None
    verb = syntax.text(syntax.field(function, "property") or syntax.field(function, "attribute"))
    receiver = syntax.text(syntax.field(function, "object"))
    if verb not in _VERBS or not _is_client(receiver, local):
        return None
    if verb == "request":
        return (
            _config_call(args[0], consts)
            if args[0].type == "object"
            else _plain(args[1:], args[0], consts, local.get(receiver))
        )
    return _plain(args, verb.upper(), consts, local.get(receiver))


def _is_client(receiver: str, local: Mapping[str, Url]) -> bool:
    last = receiver.rsplit(".", 1)[-1]
    return receiver in local or (bool(_CLIENT_WORDS.search(last)) and not _ROUTER_WORDS.search(last))


def _plain(args: list[Node], method: str | Node, consts: Mapping[str, str], base: Url | None) -> tuple[str, Url] | None:
    if not isinstance(method, str):
        method = (syntax.string_value(method) or "ANY").upper()
    url = read_url(args[0], consts, relative_ok=base is not None) if args else None
    if url is None:
        return None
    return method, _on_base(url, base)


def _on_base(url: Url, base: Url | None) -> Url:
    if base is None or url.origin:
        return url
    return Url(base.origin, urls.join(base.path, url.path))


def _config_call(config: Node, consts: Mapping[str, str]) -> tuple[str, Url] | None:
    values = {
        syntax.text(syntax.field(p, "key")): syntax.field(p, "value") for p in config.named_children if p.type == "pair"
    }
    url = read_url(values.get("url"), consts)
    method = syntax.string_value(values.get("method")) or "GET"
    return (method.upper(), url) if url else None


def _fetch_method(rest: list[Node]) -> str:
    if not rest:
        return "GET"
    if rest[0].type != "object":
        return "ANY"
    for pair in rest[0].named_children:
        if pair.type == "pair" and syntax.text(syntax.field(pair, "key")) == "method":
            return (syntax.string_value(syntax.field(pair, "value")) or "ANY").upper()
    return "GET"


def read_url(
    node: Node | None, consts: Mapping[str, str], relative_ok: bool = False, bare_ok: bool = False
) -> Url | None:
    """The URL an expression builds, None when it is not recognisably a URL. `relative_ok`
    accepts `users/1` (a client with a base joins it); `bare_ok` accepts a lone variable as a
    base (`baseURL: process.env.API_URL`)."""
    pieces = _pieces(node, consts)
    if not pieces:
        return None
    origin = ""
    if pieces[0][0] == "expr":
        origin = "{" + urls.param_name(pieces[0][1]) + "}"
        pieces = pieces[1:]
    text = "".join(value if kind == "lit" else "/:" + urls.param_name(value) + "/" for kind, value in pieces)
    if "://" in text and not origin:
        scheme, _, rest = text.partition("://")
        host, slash, tail = rest.partition("/")
        origin, text = f"{scheme}://{host}", slash + tail
    if not text and origin and bare_ok:
        return Url(origin, "/")  # a client's base that is all variable: baseURL: process.env.API_URL
    if not text.startswith("/") and not (relative_ok and text and not origin):
        return None  # a bare variable, or text that is no path: nothing to match a route with
    return Url(origin, urls.normalise(text))


def _pieces(node: Node | None, consts: Mapping[str, str]) -> list[tuple[str, str]]:
    if node is None:
        return []
    if (literal := syntax.string_value(node)) is not None:
        return [("lit", literal)]
    if node.type in ("template_string", "string"):
        return [
            _piece(child, consts) for child in node.named_children if child.type not in ("string_start", "string_end")
        ]
    if node.type == "binary_expression":
        operator = syntax.text(syntax.field(node, "operator"))
        left, right = syntax.field(node, "left"), syntax.field(node, "right")
        if operator == "+":
            return _pieces(left, consts) + _pieces(right, consts)
        if operator in ("??", "||"):  # env value with a literal fallback: the fallback is the default
            return _pieces(right, consts) if syntax.string_value(right) is not None else _pieces(left, consts)
    return [_piece(node, consts)]


def _piece(node: Node, consts: Mapping[str, str]) -> tuple[str, str]:
    if node.type in ("string_fragment", "string_content"):
        return ("lit", syntax.text(node))
    inner = (
        node.named_children[0]
        if node.type in ("template_substitution", "interpolation") and node.named_children
        else node
    )
    expression = syntax.text(inner).removeprefix("this.").removeprefix("self.")
    return ("lit", consts[expression]) if expression in consts else ("expr", expression)
