"""Google Pub/Sub: topics published with no known subscriber, or subscribed with no publisher.

Only says something when the indexed repositories told us which topics they use: an empty
`known_topics` set means "unknown", and silence is then the honest answer.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from domain.analyzers import syntax
from domain.analyzers.context import AnalyzerContext, make_finding
from domain.analyzers.source import SourceView
from domain.diff import FileDiff
from domain.findings import Finding

NAME = "pubsub"
LANGUAGES = frozenset({"python"}) | syntax.JS_LANGUAGES
_PUBLISH = frozenset({"publish", "publishMessage", "publishJSON"})
_SUBSCRIBE = frozenset({"subscription", "createSubscription", "create_subscription"})
_TOPIC_PATH = re.compile(r"projects/[^/]+/topics/([^/'\"`\s]+)")
_ARGUMENT_PARENTS = frozenset({"arguments", "argument_list", "keyword_argument", "pair"})
_TOPIC_NAME = re.compile(r"^[A-Za-z][\w.~+%\-]{2,254}$")


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report publish/subscribe calls on topic names no indexed repository pairs with."""
    subscribed = ctx.known_topics.get("subscribed", set())
    published = ctx.known_topics.get("published", set())
    if not subscribed and not published:
        return []
    view = ctx.source(file)
    tree = view.tree()
    if tree is None:
        return []
    findings = []
    for node in syntax.walk(tree.root_node):
        if node.type not in ("call_expression", "call") or not view.is_added(syntax.line(node)):
            continue
        direction, topic = _topic_use(tree.root_node, node)
        if direction == "publish" and subscribed and topic not in subscribed:
            findings.append(_finding(view, node, topic, "publish"))
        elif direction == "subscribe" and published and topic not in published:
            findings.append(_finding(view, node, topic, "subscribe"))
    return findings


def _topic_use(root: Node, call: Node) -> tuple[str | None, str | None]:
    function = call.child_by_field_name("function")
    if function is None or function.type not in ("member_expression", "attribute"):
        return None, None
    method = syntax.text(function.child_by_field_name("property") or function.child_by_field_name("attribute"))
    if method not in _PUBLISH and method not in _SUBSCRIBE:
        return None, None
    direction = "publish" if method in _PUBLISH else "subscribe"
    receiver = function.child_by_field_name("object")
    # JS: pubsub.topic('orders').publishMessage(...); Python: publisher.publish(path, data).
    topic = _topic_call_name(root, receiver)
    if topic is None and method == "createSubscription":
        topic = _argument_topic(root, _arguments(call)[:1], bare_ok=True)
    if topic is None:
        topic = _topic_in_arguments(root, call)
    return (direction, topic) if topic else (None, None)


def _arguments(call: Node) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    return list(arguments.named_children) if arguments is not None else []


def _topic_call_name(root: Node | None, node: Node | None) -> str | None:
    """`x.topic('name')` / `x.topic_path(project, 'name')` → 'name'."""
    if node is None or node.type not in ("call_expression", "call"):
        return None
    name = syntax.text(node.child_by_field_name("function")).rsplit(".", 1)[-1]
    if name not in ("topic", "topic_path"):
        return None
    return _argument_topic(root, _arguments(node)[-1:], bare_ok=True)


def _argument_topic(root: Node | None, args: list[Node], bare_ok: bool) -> str | None:
    for arg in args:
        if arg.type == "identifier" and root is not None:
            return _binding(root, syntax.text(arg), bare_ok)
        topic = _literal(arg, bare_ok)
        if topic:
            return topic
    return None


def _topic_in_arguments(root: Node, call: Node) -> str | None:
    # Outside a topic() call only an unmistakable topic reference counts: a topic_path call,
    # a "projects/p/topics/name" string, or a variable bound to one of those.
    for node in syntax.walk(call.child_by_field_name("arguments") or call):
        topic = None
        if node.type in ("call_expression", "call"):
            topic = _topic_call_name(root, node)
        elif node.type in ("string", "template_string"):
            topic = _literal(node, bare_ok=False)
        elif node.type == "identifier" and _is_argument(node):
            topic = _binding(root, syntax.text(node), bare_ok=False)
        if topic:
            return topic
    return None


def _is_argument(node: Node) -> bool:
    return node.parent is not None and node.parent.type in _ARGUMENT_PARENTS


def _literal(node: Node, bare_ok: bool) -> str | None:
    if node.type not in ("string", "template_string"):
        return None
    if any(c.type in ("template_substitution", "interpolation") for c in node.named_children):
        return None
    value = syntax.text(node).lstrip("rbuRBU").strip("'\"`")
    path = _TOPIC_PATH.search(value)
    if path:
        return path.group(1)
    return value if bare_ok and _TOPIC_NAME.match(value) else None


def _binding(root: Node, name: str, bare_ok: bool) -> str | None:
    """The topic held by a `const NAME = '...'` / `NAME = x.topic_path(...)` binding."""
    for node in syntax.walk(root):
        if node.type not in ("variable_declarator", "assignment"):
            continue
        target = node.child_by_field_name("name") or node.child_by_field_name("left")
        value = node.child_by_field_name("value") or node.child_by_field_name("right")
        if syntax.text(target) == name and value is not None:
            return _literal(value, bare_ok) or _topic_call_name(None, value)
    return None


def _finding(view: SourceView, call: Node, topic: str | None, direction: str) -> Finding:
    if direction == "publish":
        rule_id, message = (
            "pubsub.publish-without-subscriber",
            f"Publishes to topic `{topic}`, which no indexed repository subscribes to: the messages may go nowhere.",
        )
    else:
        rule_id, message = (
            "pubsub.subscribe-without-publisher",
            f"Subscribes to topic `{topic}`, which no indexed repository publishes to.",
        )
    return make_finding(
        NAME,
        view,
        syntax.line(call),
        "medium",
        rule_id,
        message,
        "Check the topic name against the other services (a typo?), or note where the other side lives.",
    )
