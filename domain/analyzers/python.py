"""Python: bare `except:` clauses and mutable default arguments."""

from __future__ import annotations

import re

from tree_sitter import Node

from domain.analyzers import syntax
from domain.analyzers.context import AnalyzerContext, make_finding
from domain.analyzers.source import SourceView
from domain.diff import FileDiff
from domain.findings import Finding

NAME = "python"
LANGUAGES = frozenset({"python"})
_MUTABLE_LITERALS = frozenset({"list", "dictionary", "set", "list_comprehension", "dictionary_comprehension"})
_MUTABLE_FACTORIES = frozenset({"list", "dict", "set", "bytearray", "defaultdict", "OrderedDict", "deque", "Counter"})
_DEFAULT_PARAMETERS = frozenset({"default_parameter", "typed_default_parameter"})
_BARE_EXCEPT_LINE = re.compile(r"^(\s*)except\s*:(\s*(?:#.*)?)$")


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report added bare `except:` clauses and parameters defaulting to a mutable object."""
    view = ctx.source(file)
    tree = view.tree()
    if tree is None:
        return []
    findings: list[Finding] = []
    for node in syntax.walk(tree.root_node):
        if not view.is_added(syntax.line(node)):
            continue
        if node.type == "except_clause" and _is_bare(node):
            findings.append(_bare_except(view, node))
        elif node.type in _DEFAULT_PARAMETERS and _is_mutable(node.child_by_field_name("value")):
            findings.append(_mutable_default(view, node))
    return findings


def _is_bare(clause: Node) -> bool:
    return all(child.type in ("block", "comment") for child in clause.named_children)


def _is_mutable(value: Node | None) -> bool:
    if value is None:
        return False
    if value.type in _MUTABLE_LITERALS:
        return True
    if value.type != "call":
        return False
    function = syntax.text(value.child_by_field_name("function"))
    return function.rsplit(".", 1)[-1] in _MUTABLE_FACTORIES


def _bare_except(view: SourceView, node: Node) -> Finding:
    line = syntax.line(node)
    return make_finding(
        NAME,
        view,
        line,
        "medium",
        "python.bare-except",
        "Bare `except:` also catches KeyboardInterrupt, SystemExit and asyncio cancellation, and hides bugs.",
        _narrowed(view.lines[line - 1])
        or "Catch the exceptions you expect, or at least `except Exception:` and log them.",
    )


def _narrowed(text: str) -> str | None:
    """The line with `except:` as `except Exception:`, as an exact replacement (a fenced block),
    when the clause sits on a line of its own; None otherwise."""
    match = _BARE_EXCEPT_LINE.match(text)
    if match is None:
        return None
    return f"```python\n{match.group(1)}except Exception:{match.group(2)}\n```"


def _mutable_default(view: SourceView, node: Node) -> Finding:
    name = syntax.text(node.child_by_field_name("name"))
    return make_finding(
        NAME,
        view,
        syntax.line(node),
        "medium",
        "python.mutable-default",
        f"Parameter `{name}` defaults to a mutable object, created once and shared by every call.",
        f"Default to `None` and create the object inside the function (`if {name} is None: ...`).",
    )
