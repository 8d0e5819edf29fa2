"""Topics a file publishes to or subscribes to, with the message fields it writes or reads.

Google Pub/Sub (Node: `pubsub.topic(T).publishMessage({json})`, `topic(T).subscription(S)`,
`createSubscription(T, S)`; Python: `topic_path(project, T)` with `publisher.publish`) and
NestJS microservices (`@EventPattern`/`@MessagePattern` handlers, `client.emit/send`).
Names held in constants (also imported ones) are resolved; computed names are left out.
Fields: keys of the published object literal; for a subscriber, the properties it reads from
the parsed message (`JSON.parse(...)`, `json.loads(...)`, a `@Payload()` parameter) in the
same file, or the fields of the payload's declared type.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from tree_sitter import Node

from domain.impact import syntax
from domain.impact.shapes import Shapes, core_type

Direction = Literal["publish", "subscribe"]
_PUBLISH = frozenset({"publish", "publishMessage", "publishJSON"})
_SUBSCRIBE = frozenset({"subscription", "createSubscription", "create_subscription", "subscribe"})
_NEST_HANDLERS = frozenset({"EventPattern", "MessagePattern"})
_PARSERS = ("JSON.parse(", "json.loads(", ".json()")


@dataclass(frozen=True)
class TopicSite:
    """One place naming a topic. `fields` is None when the message shape is unknown."""

    name: str
    direction: Direction
    system: str
    fields: tuple[str, ...] | None
    line: int


def topic_sites(root: Node, consts: Mapping[str, str], shapes: Shapes) -> Iterator[TopicSite]:
    """Every publish/subscribe site in one parsed file."""
    read = _fields_read(root)
    for node in syntax.walk(root):
        if node.type in ("call_expression", "call"):
            yield from _call_sites(root, node, consts, read)
        elif node.type == "method_definition":
            yield from _nest_handler(node, consts, shapes)


def _name(node: Node | None, consts: Mapping[str, str]) -> str | None:
    literal = syntax.string_value(node)
    if literal is not None:
        return literal
    return consts.get(syntax.text(node).removeprefix("this.")) if node is not None else None


def _call_sites(root: Node, call: Node, consts: Mapping[str, str], read: tuple[str, ...] | None) -> Iterator[TopicSite]:
    method = syntax.callee(call).rsplit(".", 1)[-1]
    args = syntax.arguments(call)
    if method in ("topic", "topic_path") and args:
        name = _name(args[-1] if method == "topic_path" else args[0], consts)
        direction = _topic_use(root, call) if name else None
        if name and direction:
            fields = _published_fields(root, call) if direction == "publish" else read
            yield TopicSite(name, direction, "pubsub", fields, syntax.line(call))
    elif method == "createSubscription" and len(args) >= 2 and syntax.function_of(call) is not None:
        receiver = syntax.field(syntax.function_of(call), "object")
        if receiver is None or receiver.type != "call_expression":  # topic(T).createSubscription(S) is seen at topic()
            name = _name(args[0], consts)
            if name:
                yield TopicSite(name, "subscribe", "pubsub", read, syntax.line(call))
    elif method in ("emit", "send") and len(args) >= 2 and _is_nest_client(syntax.callee(call)):
        name = _name(args[0], consts)
        if name:
            yield TopicSite(name, "publish", "nestjs", _object_keys(root, args[1]), syntax.line(call))


def _is_nest_client(callee: str) -> bool:
    receiver = callee.rsplit(".", 1)[0].lower()
    return any(word in receiver for word in ("client", "proxy", "bus", "broker"))


def _topic_use(root: Node, topic_call: Node) -> Direction | None:
    """What the code does with a `topic()` result: chained, or through the variable holding it."""
    parent = topic_call.parent
    if parent is not None and parent.type in ("member_expression", "attribute"):
        prop = syntax.text(syntax.field(parent, "property") or syntax.field(parent, "attribute"))
        if prop in _PUBLISH:
            return "publish"
        if prop in ("subscription", "createSubscription"):
            return "subscribe"
    holder = _holder(topic_call)
    uses = {_use_of(call, holder) for call in syntax.walk(root) if holder and call.type in ("call_expression", "call")}
    if "publish" in uses:
        return "publish"
    return "subscribe" if "subscribe" in uses else None


def _holder(node: Node) -> str | None:
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "variable_declarator":
        return syntax.text(syntax.field(parent, "name"))
    if parent.type in ("assignment_expression", "assignment"):
        return syntax.text(syntax.field(parent, "left"))
    return None


def _use_of(call: Node, holder: str) -> Direction | None:
    function = syntax.function_of(call)
    if function is None or function.type not in ("member_expression", "attribute"):
        return None
    prop = syntax.text(syntax.field(function, "property") or syntax.field(function, "attribute"))
    args = [syntax.text(syntax.field(a, "value") or a) for a in syntax.arguments(call)]
    on_holder = syntax.text(syntax.field(function, "object")) == holder
    if prop in _PUBLISH and (on_holder or holder in args):
        return "publish"
    if prop in _SUBSCRIBE and (on_holder or (holder in args and prop != "subscription")):
        return "subscribe"
    return None


def _published_fields(root: Node, topic_call: Node) -> tuple[str, ...] | None:
    chained = topic_call.parent.parent if topic_call.parent is not None else None
    holder = _holder(topic_call)
    if chained is not None and chained.type in ("call_expression", "call"):
        publish: Node | None = chained
    else:
        calls = (c for c in syntax.walk(root) if c.type in ("call_expression", "call"))
        publish = next((c for c in calls if holder and _use_of(c, holder) == "publish"), None)
    if publish is None:
        return None
    # Python passes the topic path first: publisher.publish(path, data=...).
    args = [a for a in syntax.arguments(publish) if syntax.text(a) != holder and "topic_path(" not in syntax.text(a)]
    data = next(
        (a for a in args if a.type == "keyword_argument" and syntax.text(syntax.field(a, "name")) == "data"), None
    )
    return _object_keys(root, data or args[0]) if args else None


def _object_keys(root: Node, payload: Node) -> tuple[str, ...] | None:
    """Keys of the object a payload expression carries: `{json: {...}}`, `{data: Buffer.from(
    JSON.stringify(x))}`, `json.dumps(x).encode()`, or a variable bound to an object literal."""
    node: Node | None = payload
    for _ in range(8):
        if node is None:
            return None
        if node.type in ("object", "dictionary"):
            inner = _pair_value(node, ("json", "data"))
            if inner is None:
                return _keys(node)
            node = inner
        elif node.type in ("call_expression", "call"):
            args = syntax.arguments(node)
            node = args[0] if args else syntax.field(syntax.function_of(node), "object")
        elif node.type in ("as_expression", "parenthesized_expression", "await_expression", "satisfies_expression"):
            node = node.named_children[0] if node.named_children else None
        elif node.type == "keyword_argument":
            node = syntax.field(node, "value")
        elif node.type == "identifier":
            node = _bound_value(root, syntax.text(node))
        else:
            return None
    return None


def _pair_value(obj: Node, keys: tuple[str, ...]) -> Node | None:
    for pair in obj.named_children:
        if pair.type == "pair" and syntax.text(syntax.field(pair, "key")).strip("'\"") in keys:
            return syntax.field(pair, "value")
    return None


def _keys(obj: Node) -> tuple[str, ...] | None:
    keys = []
    for child in obj.named_children:
        if child.type == "pair":
            keys.append(syntax.text(syntax.field(child, "key")).strip("'\""))
        elif child.type == "shorthand_property_identifier":
            keys.append(syntax.text(child))
        elif child.type in ("spread_element", "dictionary_splat"):
            return None
    return tuple(keys)


def _bound_value(root: Node, name: str) -> Node | None:
    for node in syntax.walk(root):
        if node.type == "variable_declarator" and syntax.text(syntax.field(node, "name")) == name:
            return syntax.field(node, "value")
        if node.type == "assignment" and syntax.text(syntax.field(node, "left")) == name:
            return syntax.field(node, "right")
    return None


def _fields_read(root: Node) -> tuple[str, ...] | None:
    """Properties read from parsed messages anywhere in the file; None when nothing is parsed."""
    holders, fields = set(), []
    for node in syntax.walk(root):
        target, value = _binding(node)
        if target is None or not any(p in syntax.text(value) for p in _PARSERS):
            continue
        if target.type == "object_pattern":
            fields += [syntax.text(syntax.field(c, "key") or c) for c in target.named_children]
        else:
            holders.add(syntax.text(target))
    fields += _accesses(root, holders)
    return tuple(dict.fromkeys(fields)) if holders or fields else None


def _binding(node: Node) -> tuple[Node | None, Node | None]:
    if node.type == "variable_declarator":
        return syntax.field(node, "name"), syntax.field(node, "value")
    if node.type == "assignment":
        return syntax.field(node, "left"), syntax.field(node, "right")
    return None, None


def _accesses(root: Node, holders: set[str]) -> list[str]:
    found = []
    for node in syntax.walk(root):
        if node.type in ("member_expression", "attribute"):
            if syntax.text(syntax.field(node, "object")) in holders:
                found.append(syntax.text(syntax.field(node, "property") or syntax.field(node, "attribute")))
        elif node.type in ("subscript_expression", "subscript"):
            owner = syntax.field(node, "object") or syntax.field(node, "value")
            key = syntax.string_value(syntax.field(node, "index") or syntax.field(node, "subscript"))
            if syntax.text(owner) in holders and key:
                found.append(key)
        elif node.type in ("call_expression", "call") and _is_get_on(node, holders):
            key = syntax.string_value(syntax.arguments(node)[0])
            found += [key] if key else []
    return [f for f in found if f not in ("get", "toString")]


def _is_get_on(call: Node, holders: set[str]) -> bool:
    owner, _, method = syntax.callee(call).rpartition(".")
    return method == "get" and owner in holders and bool(syntax.arguments(call))


def _nest_handler(method: Node, consts: Mapping[str, str], shapes: Shapes) -> Iterator[TopicSite]:
    for decorator in syntax.decorators(method):
        kind, args = syntax.decorator_call(decorator)
        name = _name(args[0], consts) if kind in _NEST_HANDLERS and args else None
        if name:
            yield TopicSite(name, "subscribe", "nestjs", _payload_fields(method, shapes), syntax.line(decorator))


def _payload_fields(method: Node, shapes: Shapes) -> tuple[str, ...] | None:
    params = syntax.field(method, "parameters")
    for param in params.named_children if params is not None else []:
        if any(syntax.decorator_call(d)[0] == "Payload" for d in syntax.decorators(param)):
            name = syntax.text(syntax.field(param, "pattern"))
            used = _accesses(syntax.field(method, "body") or method, {name})
            if used:
                return tuple(dict.fromkeys(used))
            declared = shapes.get(core_type(syntax.text(syntax.field(param, "type"))))
            return tuple(f.name for f in declared) if declared else None
    return None
