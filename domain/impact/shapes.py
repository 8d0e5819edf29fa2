"""Declared data shapes: TypeScript classes, interfaces and object types; pydantic-style classes.

A route's request and response, a message payload and an exported interface are compared by
these fields. Only what is written is known: a shape built at run time (mapped types,
`PartialType(...)`) contributes no fields, and compares equal to itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from tree_sitter import Node

from domain.impact import syntax
from domain.impact.model import ShapeField

Shapes = dict[str, tuple[ShapeField, ...]]
_WRAPPERS = re.compile(
    r"^(?:Promise|Observable|Array|ReadonlyArray|list|List|Sequence|Optional|Awaitable)\[?<?(.*)[>\]]$"
)
_PY_MODEL_BASES = re.compile(r"\b(?:BaseModel|Schema|TypedDict|SQLModel)\b")
_TS_FIELD_TYPES = frozenset({"public_field_definition", "property_signature", "field_definition"})


def core_type(annotation: str) -> str:
    """`Promise<UserDto[]>` → UserDto, `list[User] | None` → User: the named type inside."""
    current = annotation.strip().lstrip(":").strip()
    current = re.sub(r"\s*\|\s*(?:None|null|undefined)\b", "", current)
    while True:
        current = current.strip().removesuffix("[]")
        match = _WRAPPERS.match(current)
        if not match:
            return current
        current = match.group(1)


def collect_shapes(files: Mapping[str, str]) -> Shapes:
    """Every named shape declared in the files, first declaration of a name wins."""
    shapes: Shapes = {}
    parents: dict[str, list[str]] = {}
    for path in sorted(files):
        root = syntax.parse(path, files[path])
        if root is None:
            continue
        found = _ts_shapes(root, parents) if syntax.is_js(path) else _py_shapes(root) if path.endswith(".py") else {}
        for name, fields in found.items():
            shapes.setdefault(name, fields)
    return _with_inherited(shapes, parents)


def _with_inherited(shapes: Shapes, parents: Mapping[str, list[str]]) -> Shapes:
    merged = dict(shapes)
    for name, bases in parents.items():
        own = {f.name for f in merged.get(name, ())}
        extra = [f for base in bases for f in shapes.get(base, ()) if f.name not in own]
        merged[name] = (*merged.get(name, ()), *extra)
    return merged


def _ts_shapes(root: Node, parents: dict[str, list[str]]) -> Shapes:
    shapes: Shapes = {}
    for node in syntax.walk(root):
        name = syntax.text(syntax.field(node, "name"))
        if node.type in ("class_declaration", "interface_declaration"):
            shapes[name] = ts_fields(syntax.field(node, "body"))
            parents[name] = _ts_bases(node)
        elif node.type == "type_alias_declaration":
            value = syntax.field(node, "value")
            if value is not None and value.type == "object_type":
                shapes[name] = ts_fields(value)
    return shapes


def _ts_bases(node: Node) -> list[str]:
    bases = []
    for child in node.named_children:
        if child.type in ("class_heritage", "extends_type_clause", "extends_clause"):
            bases += [syntax.text(n) for n in syntax.walk(child) if n.type in ("identifier", "type_identifier")]
    return bases


def ts_fields(body: Node | None, role: str = "field") -> tuple[ShapeField, ...]:
    """Fields of a class body, interface body or object type (methods left out)."""
    if body is None:
        return ()
    fields = []
    for member in body.named_children:
        if member.type not in _TS_FIELD_TYPES:
            continue
        name = syntax.text(syntax.field(member, "name")).strip("'\"")
        annotation = syntax.text(syntax.field(member, "type")).lstrip(":").strip()
        optional = any(c.type == "?" for c in member.children) or annotation.endswith("| undefined")
        fields.append(ShapeField(role, name, annotation, not optional))
    return tuple(fields)


def _py_shapes(root: Node) -> Shapes:
    shapes: Shapes = {}
    for node in syntax.walk(root):
        if node.type != "class_definition":
            continue
        bases = syntax.text(syntax.field(node, "superclasses"))
        if _PY_MODEL_BASES.search(bases) or _is_dataclass(node):
            shapes[syntax.text(syntax.field(node, "name"))] = _py_fields(syntax.field(node, "body"))
    return shapes


def _is_dataclass(node: Node) -> bool:
    return any("dataclass" in syntax.text(d) for d in syntax.decorators(node))


def _py_fields(body: Node | None) -> tuple[ShapeField, ...]:
    fields = []
    for statement in body.named_children if body is not None else []:
        assignment = statement.named_children[0] if statement.type == "expression_statement" else None
        if assignment is None or assignment.type != "assignment" or syntax.field(assignment, "type") is None:
            continue
        name = syntax.text(syntax.field(assignment, "left"))
        annotation = syntax.text(syntax.field(assignment, "type"))
        has_default = syntax.field(assignment, "right") is not None
        fields.append(ShapeField("field", name, annotation, not has_default))
    return tuple(fields)


def with_role(fields: Iterable[ShapeField], role: str) -> tuple[ShapeField, ...]:
    """The same fields, relabelled as a part of a route (body, response, ...)."""
    return tuple(ShapeField(role, f.name, f.type, f.required) for f in fields)
