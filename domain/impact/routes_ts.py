"""HTTP routes served by TypeScript/JavaScript code: NestJS controllers and Express-style routers.

NestJS: `@Controller('users')` prefix + `@Get(':slug')`, the global prefix from
`app.setGlobalPrefix('api')`, query and body shapes from `@Query`/`@Body` parameters and their
DTO classes, the response shape from the method's declared return type.
Express (and look-alikes: Router(), fastify, hono): `router.delete('/users/:id', ...)`,
`router.route('/x').get(...)`, with prefixes from `app.use('/api', router)` followed into the
module the router is imported from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from tree_sitter import Node

from domain.impact import syntax, urls
from domain.impact.model import Edge, ShapeField
from domain.impact.modules import import_bindings, resolve
from domain.impact.shapes import Shapes, core_type, with_role

_NEST_VERBS = {"Get", "Post", "Put", "Patch", "Delete", "Options", "Head", "All"}
_EXPRESS_VERBS = {"get", "post", "put", "patch", "delete", "options", "head", "all"}
_ROUTER_FACTORIES = ("Router", "express", "fastify", "Hono", "Koa")
_ROUTER_NAMES = ("app", "router", "server", "routes")


def nest_global_prefix(roots: Mapping[str, Node]) -> str:
    """The argument of `app.setGlobalPrefix('...')` anywhere in the files ("" if none)."""
    for root in roots.values():
        for node in syntax.walk(root):
            if node.type == "call_expression" and syntax.callee(node).endswith(".setGlobalPrefix"):
                args = syntax.arguments(node)
                return (syntax.string_value(args[0]) if args else None) or ""
    return ""


def nest_routes(path: str, root: Node, shapes: Shapes, global_prefix: str) -> Iterator[Edge]:
    """Routes of every `@Controller` class in one file."""
    for node in syntax.walk(root):
        if node.type not in ("class_declaration", "class"):
            continue
        prefixes = _controller_prefixes(node)
        if prefixes is None:
            continue
        for member in (syntax.field(node, "body") or node).named_children:
            if member.type == "method_definition":
                yield from _nest_method(path, member, [urls.join(global_prefix, p) for p in prefixes], shapes)


def _controller_prefixes(node: Node) -> list[str] | None:
    for decorator in syntax.decorators(node):
        name, args = syntax.decorator_call(decorator)
        if name == "Controller":
            return _path_arguments(args[:1]) or [""]
    return None


def _path_arguments(args: list[Node]) -> list[str]:
    """Paths given as 'x', ['x', 'y'] or { path: 'x' }."""
    found = []
    for arg in args:
        if arg.type == "array":
            found += _path_arguments(list(arg.named_children))
        elif arg.type == "object":
            found += [
                v
                for pair in arg.named_children
                if syntax.text(syntax.field(pair, "key")) == "path"
                for v in _path_arguments([n for n in [syntax.field(pair, "value")] if n is not None])
            ]
        elif (value := syntax.string_value(arg)) is not None:
            found.append(value)
    return found


def _nest_method(path: str, method: Node, prefixes: list[str], shapes: Shapes) -> Iterator[Edge]:
    for decorator in syntax.decorators(method):
        verb, args = syntax.decorator_call(decorator)
        if verb not in _NEST_VERBS:
            continue
        shape = (*_nest_parameters(method, shapes), *_response(method, shapes))
        verb_name = "ANY" if verb == "All" else verb.upper()
        refs = _type_names(method)
        for prefix in prefixes:
            for sub in _path_arguments(args[:1]) or [""]:
                route = urls.join(prefix, sub)
                yield Edge("route", (verb_name, route), path, syntax.line(decorator), shape, refs=refs)


def _type_names(method: Node) -> tuple[str, ...]:
    annotations = [syntax.field(p, "type") for p in (syntax.field(method, "parameters") or method).named_children]
    declared = [*annotations, syntax.field(method, "return_type")]
    return tuple(dict.fromkeys(core_type(syntax.text(a)) for a in declared if a is not None))


def _nest_parameters(method: Node, shapes: Shapes) -> Iterator[ShapeField]:
    params = syntax.field(method, "parameters")
    for param in params.named_children if params is not None else []:
        optional = param.type == "optional_parameter" or syntax.field(param, "value") is not None
        annotation = syntax.text(syntax.field(param, "type")).lstrip(":").strip()
        for decorator in syntax.decorators(param):
            kind, args = syntax.decorator_call(decorator)
            role = {"Query": "query", "Body": "body"}.get(kind)
            if role is None:
                continue
            named = syntax.string_value(args[0]) if args else None
            if named:
                yield ShapeField(role, named, annotation, not optional)
            else:
                yield from with_role(shapes.get(core_type(annotation), ()), role)


def _response(method: Node, shapes: Shapes) -> tuple[ShapeField, ...]:
    declared = syntax.text(syntax.field(method, "return_type"))
    return with_role(shapes.get(core_type(declared), ()), "response") if declared else ()


def express_routes(roots: Mapping[str, Node]) -> Iterator[Edge]:
    """Routes of Express-style routers in the files, with `use()` prefixes applied."""
    mounts = _mounts(roots)
    for path, root in roots.items():
        routers = _router_variables(root)
        for call in syntax.walk(root):
            found = _express_call(call, routers)
            if found is None:
                continue
            receiver, verb, route = found
            for prefix in _prefixes(mounts, path, receiver, 0):
                yield Edge("route", (verb, urls.join(prefix, route)), path, syntax.line(call))


def _router_variables(root: Node) -> set[str]:
    found = set()
    for node in syntax.walk(root):
        if node.type == "variable_declarator":
            value = syntax.text(syntax.field(node, "value"))
            if any(value.replace("new ", "").startswith(f) or f".{f}(" in value for f in _ROUTER_FACTORIES):
                found.add(syntax.text(syntax.field(node, "name")))
    return found


def _is_router(name: str, routers: set[str]) -> bool:
    return name in routers or name in _ROUTER_NAMES or name.endswith(("Router", "router", "App"))


def _express_call(call: Node, routers: set[str]) -> tuple[str, str, str] | None:
    """(router variable, VERB, path) of `router.verb('/path', ...)` or `router.route('/p').verb(...)`."""
    if call.type != "call_expression":
        return None
    function = syntax.function_of(call)
    verb = syntax.text(syntax.field(function, "property"))
    receiver = syntax.field(function, "object")
    if function is None or function.type != "member_expression" or verb not in _EXPRESS_VERBS or receiver is None:
        return None
    args = syntax.arguments(call)
    while receiver.type == "call_expression" and syntax.callee(receiver).rsplit(".", 1)[-1] in _EXPRESS_VERBS:
        receiver = syntax.field(syntax.function_of(receiver), "object") or receiver
    if receiver.type == "call_expression" and syntax.callee(receiver).endswith(".route"):
        declared = syntax.arguments(receiver)
        route = syntax.string_value(declared[0]) if declared else None
        receiver = syntax.field(syntax.function_of(receiver), "object") or receiver
    else:  # a handler must follow the path, or this is a client's get('/x')
        route = syntax.string_value(args[0]) if len(args) >= 2 else None
    name = syntax.text(receiver)
    if route is None or not route.startswith("/") or not _is_router(name, routers):
        return None
    return name, "ANY" if verb == "all" else verb.upper(), route


Mounts = dict[tuple[str, str], list[tuple[str, str, str]]]  # (file, var or "*") → [(parent file, parent var, prefix)]


def _mounts(roots: Mapping[str, Node]) -> Mounts:
    mounts: Mounts = {}
    for path, root in roots.items():
        imported = {b.local: b for b in import_bindings(root)}
        for call in syntax.walk(root):
            if call.type != "call_expression" or not syntax.callee(call).endswith(".use"):
                continue
            args = syntax.arguments(call)
            prefix = syntax.string_value(args[0]) if len(args) >= 2 else None
            if prefix is None:
                continue
            parent = syntax.text(syntax.field(syntax.function_of(call), "object"))
            for child in args[1:]:
                binding = imported.get(syntax.text(child))
                target = resolve(path, binding.source, roots.keys()) if binding else None
                key = (target, "*") if target else (path, syntax.text(child))
                mounts.setdefault(key, []).append((path, parent, prefix))
    return mounts


def _prefixes(mounts: Mounts, path: str, var: str, depth: int) -> list[str]:
    parents = mounts.get((path, var), []) + mounts.get((path, "*"), [])
    if not parents or depth > 6:
        return [""]
    return [
        urls.join(above, prefix)
        for file, parent, prefix in parents
        for above in _prefixes(mounts, file, parent, depth + 1)
    ]
