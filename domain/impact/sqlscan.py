"""SQL read as tokens: schema operations in migrations, and the tables and columns a query uses.

No SQL grammar ships offline, so this is a small tokenizer with statement-level rules; it
understands the DDL migrations write (CREATE/ALTER/DROP TABLE, ADD/DROP/RENAME/ALTER COLUMN)
and the table and column names of SELECT/INSERT/UPDATE/DELETE. Names are lower-cased unless
quoted, and a schema qualifier (`public.users`) is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""(?P<comment>--[^\n]*|/\*.*?\*/)|(?P<str>'(?:[^']|'')*')|(?P<qid>"[^"]+"|`[^`]+`|\[[^\]]+\])"""
    r"""|(?P<word>[A-Za-z_][\w$]*)|(?P<num>\d+(?:\.\d+)?)|(?P<param>\$\d+|:\w+|\?)|(?P<sym>\S)""",
    re.DOTALL,
)
_LOOKS_LIKE_DML = re.compile(
    r"^\s*(?:with\b[\s\S]*?|)\b(?:select\s[\s\S]*?\bfrom\b|insert\s+into\b|update\s+\S+\s+set\b|delete\s+from\b)",
    re.IGNORECASE,
)
_KEYWORD_TEXT = """
select from where and or not null is in as on join inner left right full outer cross using group by order
having limit offset insert into values update set delete returning distinct case when then else end like ilike
between exists true false asc desc union all with create table alter drop column add rename to if primary key
references default unique constraint index cascade type count sum min max avg coalesce now lower upper any
current_timestamp interval cast varchar text integer int bigint boolean serial bigserial timestamptz timestamp
jsonb json uuid numeric conflict do nothing excluded over partition filter lateral only restrict
"""
KEYWORDS = frozenset(_KEYWORD_TEXT.split())


@dataclass(frozen=True)
class Token:
    kind: str
    value: str
    offset: int


@dataclass(frozen=True)
class DdlOp:
    """One schema operation. `op`: create_table, drop_table, rename_table, add_column,
    drop_column, rename_column, alter_column. `new_name` for renames, `detail` for alterations."""

    op: str
    table: str
    column: str
    offset: int
    new_name: str = ""
    detail: str = ""


@dataclass(frozen=True)
class TableUse:
    """A table a statement touches; `columns` None when every column is read (`*`) or unknown."""

    table: str
    columns: tuple[str, ...] | None
    access: str  # read, write


def tokens(sql: str) -> list[Token]:
    """Tokens without comments; identifiers lower-cased unless quoted."""
    found = []
    for match in _TOKEN.finditer(sql):
        kind = match.lastgroup or "sym"
        if kind == "comment":
            continue
        value = match.group()
        if kind == "qid":
            kind, value = "word", value[1:-1]
        elif kind == "word":
            value = value.lower()
        found.append(Token(kind, value, match.start()))
    return found


def statements(sql: str) -> Iterator[list[Token]]:
    """Token lists of the `;`-separated statements."""
    current: list[Token] = []
    for token in tokens(sql):
        if token.kind == "sym" and token.value == ";":
            if current:
                yield current
            current = []
        else:
            current.append(token)
    if current:
        yield current


def looks_like_dml(text: str) -> bool:
    """A string that reads as a query: SELECT ... FROM, INSERT INTO, UPDATE ... SET, DELETE FROM."""
    return bool(_LOOKS_LIKE_DML.match(text))


def _words(statement: list[Token]) -> list[str]:
    return [t.value for t in statement]


def _name_at(statement: list[Token], index: int) -> tuple[str, int]:
    """A possibly schema-qualified name starting at `index`: (last part, index after it)."""
    name = statement[index].value if index < len(statement) else ""
    while index + 2 < len(statement) and statement[index + 1].value == "." and statement[index + 2].kind == "word":
        index += 2
        name = statement[index].value
    return name, index + 1


def _skip(statement: list[Token], index: int, *words: str) -> int:
    while index < len(statement) and statement[index].value in words:
        index += 1
    return index


def ddl_operations(sql: str) -> Iterator[DdlOp]:
    """Schema operations of a migration text, in order."""
    for statement in statements(sql):
        words = _words(statement)
        if words[:2] == ["create", "table"]:
            table, _ = _name_at(statement, _skip(statement, 2, "if", "not", "exists"))
            yield DdlOp("create_table", table, "", statement[0].offset)
        elif words[:2] == ["drop", "table"]:
            index = _skip(statement, 2, "if", "exists")
            while index < len(statement) and statement[index].kind == "word" and statement[index].value not in KEYWORDS:
                table, index = _name_at(statement, index)
                yield DdlOp("drop_table", table, "", statement[0].offset)
                index = _skip(statement, index, ",")
        elif words[:2] == ["alter", "table"]:
            yield from _alter_table(statement)


def _alter_table(statement: list[Token]) -> Iterator[DdlOp]:
    table, index = _name_at(statement, _skip(statement, 2, "if", "exists", "only"))
    for action in _split_commas(statement[index:]):
        words = _words(action)
        offset = action[0].offset if action else statement[0].offset
        if words[:2] == ["rename", "to"] and len(words) > 2:
            yield DdlOp("rename_table", table, "", offset, new_name=words[2])
        elif words[:1] == ["rename"] and "to" in words:
            start = _skip(action, 1, "column")
            yield DdlOp("rename_column", table, words[start], offset, new_name=words[words.index("to") + 1])
        elif words[:1] == ["drop"] and words[1:2] != ["constraint"]:
            start = _skip(action, 1, "column", "if", "exists")
            if start < len(words):
                yield DdlOp("drop_column", table, words[start], offset)
        elif words[:1] == ["add"] and words[1:2] not in (["constraint"], ["primary"], ["unique"], ["foreign"]):
            start = _skip(action, 1, "column", "if", "not", "exists")
            if start < len(words):
                yield DdlOp("add_column", table, words[start], offset, detail=" ".join(words[start + 1 :]))
        elif words[:1] in (["alter"], ["modify"]):
            start = _skip(action, 1, "column")
            if start < len(words):
                yield DdlOp("alter_column", table, words[start], offset, detail=" ".join(words[start + 1 :]))


def _split_commas(statement: list[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    depth = 0
    for token in statement:
        depth += (token.value == "(" and 1) or (token.value == ")" and -1) or 0
        if token.value == "," and depth == 0:
            parts.append([])
        else:
            parts[-1].append(token)
    return [p for p in parts if p]


def table_uses(sql: str) -> list[TableUse]:
    """Tables (and the columns named) of each DML statement in `sql`."""
    uses: list[TableUse] = []
    for statement in statements(sql):
        uses.extend(_statement_uses(statement))
    return uses


def _statement_uses(statement: list[Token]) -> list[TableUse]:
    tables: dict[str, str] = {}  # alias or name → table
    access = "read"
    star = False
    for index, token in enumerate(statement):
        prev = statement[index - 1].value if index else ""
        if token.kind == "word" and prev in ("from", "join", "into", "update") and token.value not in KEYWORDS:
            table, after = _name_at(statement, index)
            alias = statement[after] if after < len(statement) else None
            tables[table] = table
            if alias is not None and alias.kind == "word" and alias.value not in KEYWORDS:
                tables[alias.value] = table
            elif alias is not None and alias.value == "as" and after + 1 < len(statement):
                tables[statement[after + 1].value] = table
            access = "write" if prev in ("into", "update") else access
        star = star or (token.value == "*" and prev in ("select", ",", ".", "distinct"))
    if statement and statement[0].value == "delete":
        access = "write"
    columns = _columns(statement, tables)
    names = sorted(set(tables.values()))
    return [
        TableUse(t, None if star else tuple(sorted(columns.get(t, set()) | columns.get("", set()))), access)
        for t in names
    ]


def _columns(statement: list[Token], tables: dict[str, str]) -> dict[str, set[str]]:
    """Column names by table; unqualified ones under "" (they may belong to any of them)."""
    found: dict[str, set[str]] = {}
    aliases = {t.value for i, t in enumerate(statement) if i and statement[i - 1].value == "as"}
    for index, token in enumerate(statement):
        if token.kind != "word" or token.value in KEYWORDS or token.value in tables or token.value in aliases:
            continue
        following = statement[index + 1].value if index + 1 < len(statement) else ""
        previous = statement[index - 1].value if index else ""
        if following in ("(", "."):
            continue
        owner = ""
        if previous == "." and index >= 2:
            owner = tables.get(statement[index - 2].value, statement[index - 2].value)
        found.setdefault(owner, set()).add(token.value)
    return found
