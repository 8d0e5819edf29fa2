"""A tiny JQL subset for the Jira fake, enough for the product's sync queries.

Supported: clauses joined by AND, `field op value` with = != > >= < <= on project, key, status,
issuetype, updated, created; `~` on summary, description and text; `field [NOT] IN (a, b)`;
dates as "yyyy-MM-dd HH:mm", "yyyy/MM/dd HH:mm", "yyyy-MM-dd" or relative "-5d"/"-2h"/"-30m"/"-1w"
(in the fake's time zone, UTC by default); `ORDER BY field [ASC|DESC], ...`. Anything else is
a `JqlError`, which the fake answers with Jira's 400, so an unsupported query fails loudly.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

Issue = dict[str, Any]
Predicate = Callable[[Issue], bool]

_TOKEN = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|>=|<=|!=|!~|[=<>~(),]|[^\s=!<>~(),"']+)""")
_RELATIVE = re.compile(r"^([-+]?\d+)([wdhm])$")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")
_FIELD_ALIASES = {"issuekey": "key", "type": "issuetype", "id": "key"}
_TEXT_FIELDS = {"summary", "description", "text"}
_DATE_FIELDS = {"updated", "created"}
_EQUALITY_FIELDS = {"project", "key", "status", "issuetype", "labels"}


class JqlError(ValueError):
    """A query outside the supported subset, or malformed."""


@dataclass
class Query:
    predicates: list[Predicate] = field(default_factory=list)
    order: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)

    def run(self, issues: list[Issue]) -> list[Issue]:
        """The matching issues in query order (default: key descending, like Jira)."""
        found = [i for i in issues if all(p(i) for p in self.predicates)]
        for name, descending in reversed(self.order or [("key", True)]):
            found.sort(key=functools.partial(_sort_key, name=name), reverse=descending)
        return found


def parse(jql: str, *, tz: tzinfo, now: datetime) -> Query:
    """Parse `jql` into a Query; raises JqlError outside the subset."""
    tokens = _tokenize(jql)
    query = Query()
    position = 0
    while position < len(tokens) and tokens[position].upper() != "ORDER":
        predicate, position = _clause(tokens, position, tz, now)
        query.predicates.append(predicate)
        if position < len(tokens) and tokens[position].upper() == "AND":
            position += 1
        elif position < len(tokens) and tokens[position].upper() != "ORDER":
            raise JqlError(f"Error in the JQL Query: unsupported '{tokens[position]}'")
    if position < len(tokens):
        query.order = _order_by(tokens[position:])
    return query


def _tokenize(jql: str) -> list[str]:
    tokens, position = [], 0
    while position < len(jql.rstrip()):
        match = _TOKEN.match(jql, position)
        if match is None:
            raise JqlError(f"Error in the JQL Query: cannot read '{jql[position:]}'")
        tokens.append(match[1])
        position = match.end()
    return tokens


def _clause(tokens: list[str], at: int, tz: tzinfo, now: datetime) -> tuple[Predicate, int]:
    if at + 1 >= len(tokens):
        raise JqlError("Error in the JQL Query: the query ends early")
    name = _FIELD_ALIASES.get(tokens[at].lower(), tokens[at].lower())
    if name not in _EQUALITY_FIELDS | _DATE_FIELDS | _TEXT_FIELDS:
        raise JqlError(f"Field '{tokens[at]}' does not exist or you do not have permission to view it.")
    operator = tokens[at + 1].upper()
    if operator == "NOT" and at + 2 < len(tokens) and tokens[at + 2].upper() == "IN":
        values, end = _value_list(tokens, at + 3)
        return (lambda issue: not _in(issue, name, values)), end
    if operator == "IN":
        values, end = _value_list(tokens, at + 2)
        return (lambda issue: _in(issue, name, values)), end
    if at + 2 >= len(tokens):
        raise JqlError("Error in the JQL Query: the query ends early")
    value = _unquote(tokens[at + 2])
    return _comparison(name, operator, value, tz, now), at + 3


def _value_list(tokens: list[str], at: int) -> tuple[list[str], int]:
    if at >= len(tokens) or tokens[at] != "(":
        raise JqlError("Error in the JQL Query: expected '(' after IN")
    values, at = [], at + 1
    while at < len(tokens) and tokens[at] != ")":
        if tokens[at] != ",":
            values.append(_unquote(tokens[at]))
        at += 1
    if at >= len(tokens):
        raise JqlError("Error in the JQL Query: missing ')'")
    return values, at + 1


def _comparison(name: str, op: str, value: str, tz: tzinfo, now: datetime) -> Predicate:
    if name in _TEXT_FIELDS:
        if op not in ("~", "!~"):
            raise JqlError(f"The operator '{op}' is not supported by the '{name}' field.")
        wanted = value.lower()
        return lambda issue: (wanted in _text(issue, name)) == (op == "~")
    if name in _DATE_FIELDS:
        moment = _date(value, tz, now)
        compare = _ORDERING.get(op)
        if compare is None:
            raise JqlError(f"The operator '{op}' is not supported by the '{name}' field.")
        return lambda issue: compare(_moment(issue, name), moment)
    if op not in ("=", "!="):
        raise JqlError(f"The operator '{op}' is not supported by the '{name}' field.")
    return lambda issue: _in(issue, name, [value]) == (op == "=")


_ORDERING: dict[str, Callable[[datetime, datetime], bool]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}


def _order_by(tokens: list[str]) -> list[tuple[str, bool]]:
    if len(tokens) < 3 or tokens[1].upper() != "BY":
        raise JqlError("Error in the JQL Query: expected ORDER BY")
    order, at = [], 2
    while at < len(tokens):
        name = _FIELD_ALIASES.get(tokens[at].lower(), tokens[at].lower())
        descending = False
        at += 1
        if at < len(tokens) and tokens[at].upper() in ("ASC", "DESC"):
            descending = tokens[at].upper() == "DESC"
            at += 1
        order.append((name, descending))
        if at < len(tokens) and tokens[at] == ",":
            at += 1
    return order


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'":
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    return token


def _date(value: str, tz: tzinfo, now: datetime) -> datetime:
    relative = _RELATIVE.match(value)
    if relative:
        return now + timedelta(**{_UNITS[relative[2]]: int(relative[1])})
    for layout in _DATE_FORMATS:
        try:
            return datetime.strptime(value, layout).replace(tzinfo=tz)
        except ValueError:
            continue
    raise JqlError(f"Date value '{value}' for field is invalid.")


def parse_jira_time(value: str) -> datetime:
    """Parse Jira's timestamps ("2019-01-30T15:51:33.199+0300")."""
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f%z")


def _moment(issue: Issue, name: str) -> datetime:
    return parse_jira_time(issue["fields"][name])


def _field_values(issue: Issue, name: str) -> list[str]:
    fields = issue["fields"]
    if name == "key":
        return [issue["key"], str(issue["id"])]
    if name == "project":
        project = fields.get("project") or {}
        return [str(project.get(k, "")) for k in ("key", "name", "id")]
    if name == "labels":
        return list(fields.get("labels") or [])
    return [str((fields.get(name) or {}).get("name", ""))]


def _in(issue: Issue, name: str, values: list[str]) -> bool:
    have = {v.lower() for v in _field_values(issue, name)}
    return any(v.lower() in have for v in values)


def _text(issue: Issue, name: str) -> str:
    fields = issue["fields"]
    parts = [fields.get("summary")] if name != "description" else []
    if name != "summary":
        parts.append(fields.get("description"))
    return " ".join(p for p in parts if isinstance(p, str)).lower()


def _sort_key(issue: Issue, name: str) -> tuple[Any, ...]:
    if name == "key":
        project, _, number = issue["key"].rpartition("-")
        return (project, int(number) if number.isdigit() else 0)
    if name in _DATE_FIELDS:
        return (_moment(issue, name),)
    return (str(_field_values(issue, name)[0]).lower(),)
