"""Database tables and columns a repository declares: entity models and migrations.

Declared state (compared between base and head): TypeORM `@Entity` classes, Prisma models,
SQLAlchemy classes with `__tablename__`. Operations (read from what a change adds): SQL
migration files, SQL strings in files under a migrations folder (TypeORM `queryRunner.query`,
Alembic `op.execute`), TypeORM `queryRunner.dropColumn/dropTable/renameColumn`, Alembic
`op.drop_column/drop_table/add_column/rename_table`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from domain.impact import sqlscan, syntax
from domain.impact.model import Edge

_COLUMN_DECORATORS = re.compile(r"^(?:Primary\w*Column|\w*DateColumn|VersionColumn|Column)$")
_PRISMA_MODEL = re.compile(r"^model\s+(\w+)\s*\{(.*?)^\}", re.MULTILINE | re.DOTALL)
_PRISMA_FIELD = re.compile(r"^[ \t]*(\w+)[ \t]+(\w+)(\[\])?(\?)?([^\n]*)$", re.MULTILINE)
_PRISMA_MAP = re.compile(r"@@?map\(\s*\"([^\"]+)\"")
_MIGRATION_DIR = re.compile(r"(?:^|/)(?:migrations?|alembic|versions|db/migrate|schema)/", re.IGNORECASE)
_SA_COLUMNS = frozenset({"Column", "mapped_column"})
_OP_CALLS = {
    "dropColumn": "drop_column",
    "drop_column": "drop_column",
    "dropTable": "drop_table",
    "drop_table": "drop_table",
    "renameColumn": "rename_column",
    "renameTable": "rename_table",
    "rename_table": "rename_table",
    "add_column": "add_column",
    "addColumn": "add_column",
    "createTable": "create_table",
    "create_table": "create_table",
}


def column_key(name: str) -> str:
    """Columns compare without case or underscores: TypeORM's `avatarUrl` is SQL's avatar_url."""
    return name.replace("_", "").lower()


def declared_tables(path: str, text: str) -> list[Edge]:
    """Table and column edges an entity or schema file declares."""
    if path.endswith(".prisma"):
        return list(_prisma(path, text))
    root = syntax.parse(path, text)
    if root is None:
        return []
    if syntax.is_js(path):
        return list(_typeorm(path, root))
    return list(_sqlalchemy(path, root)) if path.endswith(".py") else []


def _typeorm(path: str, root: Node) -> Iterator[Edge]:
    for node in syntax.walk(root):
        if node.type not in ("class_declaration", "class"):
            continue
        calls = [syntax.decorator_call(d) for d in syntax.decorators(node)]
        entity = next((args for name, args in calls if name == "Entity"), None)
        if entity is None:
            continue
        table = _option(entity, "name") or syntax.text(syntax.field(node, "name"))
        yield Edge("table", (table,), path, syntax.line(node))
        for member in (syntax.field(node, "body") or node).named_children:
            column = _typeorm_column(member)
            if column:
                yield Edge("column", (table, column), path, syntax.line(member))


def _option(args: list[Node], key: str) -> str | None:
    """A string given directly or as `{ key: '...' }` among decorator arguments."""
    for arg in args:
        if arg.type == "object":
            for pair in arg.named_children:
                if syntax.text(syntax.field(pair, "key")) == key:
                    return syntax.string_value(syntax.field(pair, "value"))
        elif key == "name" and (value := syntax.string_value(arg)) is not None:
            return value
    return None


def _typeorm_column(member: Node) -> str | None:
    for decorator in syntax.decorators(member):
        name, args = syntax.decorator_call(decorator)
        if _COLUMN_DECORATORS.match(name):
            explicit = next((v for a in args if a.type == "object" for v in [_option([a], "name")] if v), None)
            return explicit or syntax.text(syntax.field(member, "name"))
    return None


def _prisma(path: str, text: str) -> Iterator[Edge]:
    models = {m.group(1) for m in _PRISMA_MODEL.finditer(text)}
    for model in _PRISMA_MODEL.finditer(text):
        body = model.group(2)
        mapped = _PRISMA_MAP.search("\n".join(line for line in body.splitlines() if "@@map" in line))
        table = mapped.group(1) if mapped else model.group(1)
        yield Edge("table", (table,), path, _line_of(text, model.start()))
        for field in _PRISMA_FIELD.finditer(body):
            name, type_, rest = field.group(1), field.group(2), field.group(5)
            if name.startswith("@@") or type_ in models or field.group(3) or "@relation" in rest:
                continue
            column = _PRISMA_MAP.search(rest)
            line = _line_of(text, model.start(2) + field.start())
            yield Edge("column", (table, column.group(1) if column else name), path, line)


def _sqlalchemy(path: str, root: Node) -> Iterator[Edge]:
    for node in syntax.walk(root):
        if node.type != "class_definition":
            continue
        body = syntax.field(node, "body")
        statements = body.named_children if body is not None else []
        assignments = {
            syntax.text(syntax.field(s.named_children[0], "left")): s.named_children[0]
            for s in statements
            if s.type == "expression_statement" and s.named_children[0].type == "assignment"
        }
        table = syntax.string_value(syntax.field(assignments.get("__tablename__"), "right"))
        if not table:
            continue
        yield Edge("table", (table,), path, syntax.line(node))
        for name, assignment in assignments.items():
            value = syntax.field(assignment, "right")
            if value is not None and value.type == "call" and syntax.callee(value).rsplit(".", 1)[-1] in _SA_COLUMNS:
                args = syntax.arguments(value)
                named = syntax.string_value(args[0]) if args else None
                yield Edge("column", (table, named or name), path, syntax.line(assignment))


@dataclass(frozen=True)
class SchemaOp:
    """A schema operation with its line in the file that holds it."""

    op: sqlscan.DdlOp
    line: int


def is_migration(path: str) -> bool:
    """SQL files anywhere, and code files under a migrations folder."""
    return path.endswith(".sql") or bool(_MIGRATION_DIR.search(path))


def schema_ops(path: str, text: str) -> list[SchemaOp]:
    """Schema operations a migration file performs, with lines."""
    if path.endswith(".sql"):
        return [SchemaOp(op, _line_of(text, op.offset)) for op in sqlscan.ddl_operations(text)]
    root = syntax.parse(path, text) if is_migration(path) else None
    if root is None:
        return []
    found = []
    for node in syntax.walk(root):
        if node.type in syntax.STRING_TYPES:
            start, body = syntax.line(node), _string_text(node)
            found += [SchemaOp(op, start + body.count("\n", 0, op.offset)) for op in sqlscan.ddl_operations(body)]
        elif node.type in ("call_expression", "call"):
            op = _op_call(node)
            found += [SchemaOp(op, syntax.line(node))] if op else []
    return found


def _string_text(node: Node) -> str:
    """A string's text with interpolations kept as placeholders and offsets aligned to the
    node: a prefix and the quotes (f, triple quotes, a backtick) become spaces."""
    raw = syntax.text(node)
    lead = len(raw) - len(raw.lstrip("rbuRBUfF`'\""))
    trail = len(raw) - len(raw.rstrip("`'\""))
    return " " * lead + raw[lead : len(raw) - trail]


def _op_call(call: Node) -> sqlscan.DdlOp | None:
    op = _OP_CALLS.get(syntax.callee(call).rsplit(".", 1)[-1])
    args = [syntax.string_value(a) for a in syntax.arguments(call)]
    if op is None or not args or args[0] is None:
        return None
    table, rest = args[0], args[1:]
    if op in ("drop_table", "create_table"):
        return sqlscan.DdlOp(op, table, "", 0)
    if op == "rename_table":
        return sqlscan.DdlOp(op, table, "", 0, new_name=rest[0] or "" if rest else "")
    column = rest[0] if rest and rest[0] else ""
    new_name = rest[1] or "" if op == "rename_column" and len(rest) > 1 else ""
    return sqlscan.DdlOp(op, table, column, 0, new_name=new_name) if column else None


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
