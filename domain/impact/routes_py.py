"""HTTP routes served by Python code: FastAPI routers and Flask apps/blueprints.

Prefixes come from `APIRouter(prefix=...)` / `Blueprint(url_prefix=...)` in the same file and
from literal `include_router(..., prefix=...)` mounts followed across files. For FastAPI the
request shape is read from the handler's parameters (a pydantic model is the body, simple
types are query parameters) and the response from `response_model=` or the return annotation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from tree_sitter import Node

from domain.impact import syntax, urls
from domain.impact.model import Edge, ShapeField
from domain.impact.shapes import Shapes, core_type, with_role
from domain.investigation.pymounts import module_of, mount_prefixes

_VERBS = {"get", "post", "put", "patch", "delete", "options", "head", "route", "api_route"}
_PARAM_TYPES = frozenset({"typed_parameter", "typed_default_parameter", "default_parameter", "identifier"})
_INJECTED = ("Depends(", "Security(", "Header(", "Cookie(", "Request", "Response", "BackgroundTasks", "Session")


def python_routes(texts: Mapping[str, str], roots: Mapping[str, Node], shapes: Shapes) -> Iterator[Edge]:
    """Routes of FastAPI and Flask handlers in the Python files."""
    mounts = mount_prefixes(dict(texts))
    for path, root in roots.items():
        local = _router_prefixes(root)
        for node in syntax.walk(root):
            if node.type == "decorated_definition":
                definition = syntax.field(node, "definition")
                if definition is not None and definition.type == "function_definition":
                    yield from _handler_routes(path, definition, local, mounts, shapes)


def _router_prefixes(root: Node) -> dict[str, str]:
    found = {}
    for node in syntax.walk(root):
        right = syntax.field(node, "right") if node.type == "assignment" else None
        if right is None or right.type != "call":
            continue
        if syntax.callee(right).rsplit(".", 1)[-1] in ("APIRouter", "Blueprint"):
            for arg in syntax.arguments(right):
                if arg.type == "keyword_argument" and syntax.text(syntax.field(arg, "name")) in (
                    "prefix",
                    "url_prefix",
                ):
                    found[syntax.text(syntax.field(node, "left"))] = (
                        syntax.string_value(syntax.field(arg, "value")) or ""
                    )
    return found


def _handler_routes(
    path: str, function: Node, local: Mapping[str, str], mounts: Mapping[tuple[str, str], list[str]], shapes: Shapes
) -> Iterator[Edge]:
    for decorator in syntax.decorators(function):
        call = decorator.named_children[0] if decorator.named_children else None
        target = syntax.field(call, "function")
        if call is None or call.type != "call" or target is None or target.type != "attribute":
            continue
        verb = syntax.text(syntax.field(target, "attribute"))
        owner = syntax.text(syntax.field(target, "object"))
        args = syntax.arguments(call)
        route = syntax.string_value(args[0]) if args else None
        route = route if route is not None else _keyword(args, "path")
        if verb not in _VERBS or route is None:
            continue
        route_path = urls.join(local.get(owner, ""), route)
        shape = (*_request_shape(function, route_path, shapes), *_response_shape(function, args, shapes))
        refs = tuple(core_type(syntax.text(n)) for n in syntax.walk(function) if n.type == "type")
        refs += (core_type(syntax.text(_keyword_node(args, "response_model"))),)
        for mount in mounts.get((module_of(path), owner), [""]):
            for method in _methods(verb, args):
                parts = (method, urls.join(mount, route_path))
                yield Edge("route", parts, path, syntax.line(decorator), shape, refs=tuple(r for r in refs if r))


def _keyword(args: list[Node], name: str) -> str | None:
    for arg in args:
        if arg.type == "keyword_argument" and syntax.text(syntax.field(arg, "name")) == name:
            return syntax.string_value(syntax.field(arg, "value"))
    return None


def _keyword_node(args: list[Node], name: str) -> Node | None:
    for arg in args:
        if arg.type == "keyword_argument" and syntax.text(syntax.field(arg, "name")) == name:
            return syntax.field(arg, "value")
    return None


def _methods(verb: str, args: list[Node]) -> list[str]:
    if verb not in ("route", "api_route"):
        return [verb.upper()]
    listed = _keyword_node(args, "methods")
    names = [syntax.string_value(n) for n in listed.named_children] if listed is not None else []
    return [n.upper() for n in names if n] or (["GET"] if verb == "route" else ["ANY"])


def _request_shape(function: Node, route: str, shapes: Shapes) -> Iterator[ShapeField]:
    in_path = {segment[1:] for segment in route.split("/") if segment.startswith(":")}
    params = syntax.field(function, "parameters")
    for param in params.named_children if params is not None else []:
        if param.type not in _PARAM_TYPES:
            continue
        name = syntax.text(syntax.field(param, "name") or param.named_children[0] if param.named_children else param)
        annotation = syntax.text(syntax.field(param, "type"))
        default = syntax.text(syntax.field(param, "value"))
        if name in in_path or name in ("self", "request") or any(i in default + annotation for i in _INJECTED):
            continue
        model = shapes.get(core_type(annotation))
        if model is not None:
            yield from with_role(model, "body")
        elif annotation:
            yield ShapeField("query", name, annotation, param.type == "typed_parameter")


def _response_shape(function: Node, args: list[Node], shapes: Shapes) -> tuple[ShapeField, ...]:
    declared = syntax.text(_keyword_node(args, "response_model")) or syntax.text(syntax.field(function, "return_type"))
    return with_role(shapes.get(core_type(declared), ()), "response") if declared else ()
