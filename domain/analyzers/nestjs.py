"""NestJS: loggers without a context name, and input DTO fields without validation."""

from __future__ import annotations

import re

from tree_sitter import Node

from domain.analyzers import syntax
from domain.analyzers.context import AnalyzerContext, make_finding
from domain.analyzers.source import SourceView
from domain.diff import FileDiff
from domain.findings import Finding

NAME = "nestjs"
LANGUAGES = frozenset({"typescript", "tsx"})
# Classes whose name says they carry client input; response DTOs need no validation.
_INPUT_DTO = re.compile(
    r"^(Create|Update|Patch|Upsert|Register|Login|Signup|SignUp|Add|Edit|Set|Change|Reset|"
    r"Search|Filter|Query)\w*Dto$"
)
_FIELDS = frozenset({"public_field_definition", "field_definition"})


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report `new Logger()` without context and unvalidated fields of input DTOs."""
    view = ctx.source(file)
    tree = view.tree()
    if tree is None:
        return []
    root = tree.root_node
    logger_is_nest = _logger_import_ok(root)
    findings: list[Finding] = []
    for node in syntax.walk(root):
        if node.type == "new_expression" and logger_is_nest:
            findings.extend(_check_logger(view, node))
        elif node.type in ("class_declaration", "abstract_class_declaration"):
            findings.extend(_check_dto(view, root, node))
    return findings


def _logger_import_ok(root: Node) -> bool:
    """False when `Logger` is imported from somewhere other than @nestjs/common."""
    for node in root.named_children:
        if node.type != "import_statement":
            continue
        names = {syntax.text(n) for n in syntax.walk(node) if n.type == "identifier"}
        source = syntax.text(node.child_by_field_name("source")).strip("'\"`")
        if "Logger" in names and source != "@nestjs/common":
            return False
    return True


def _check_logger(view: SourceView, node: Node) -> list[Finding]:
    constructor = node.child_by_field_name("constructor")
    arguments = node.child_by_field_name("arguments")
    if syntax.text(constructor) != "Logger" or not view.is_added(syntax.line(node)):
        return []
    if arguments is not None and arguments.named_child_count > 0:
        return []
    return [
        make_finding(
            NAME,
            view,
            syntax.line(node),
            "low",
            "nestjs.logger-without-context",
            "`new Logger()` has no context, so its log lines do not say which class wrote them.",
            "Pass the class name: `new Logger(MyService.name)`.",
        )
    ]


def _check_dto(view: SourceView, root: Node, node: Node) -> list[Finding]:
    name = syntax.text(node.child_by_field_name("name"))
    body = node.child_by_field_name("body")
    if not name.endswith(("Dto", "DTO")) or body is None:
        return []
    fields = [child for child in body.named_children if child.type in _FIELDS]
    validated = (
        _INPUT_DTO.match(name) is not None
        or _imports_class_validator(root)
        or any(_decorators(field) for field in fields)
    )
    if not validated:
        return []
    return [
        _dto_finding(view, name, field)
        for field in fields
        if view.is_added(syntax.line(field)) and not _decorators(field) and not _is_static(field)
    ]


def _dto_finding(view: SourceView, dto: str, field: Node) -> Finding:
    prop = syntax.text(field.child_by_field_name("name"))
    return make_finding(
        NAME,
        view,
        syntax.line(field),
        "medium",
        "nestjs.dto-missing-validation",
        f"`{dto}.{prop}` has no class-validator decorator: ValidationPipe will not check it "
        "(and strips it when `whitelist` is on).",
        "Add a decorator such as `@IsString()`, `@IsInt()`, `@IsOptional()` or `@ValidateNested()`.",
    )


def _decorators(field: Node) -> list[Node]:
    return [child for child in field.children if child.type == "decorator"]


def _is_static(field: Node) -> bool:
    return any(child.type == "static" for child in field.children)


def _imports_class_validator(root: Node) -> bool:
    return any(
        node.type == "import_statement"
        and syntax.text(node.child_by_field_name("source")).strip("'\"`") == "class-validator"
        for node in root.named_children
    )
