"""merge_rules (repository overrides) and the shipped house rules."""

from __future__ import annotations

import pytest

from domain.rules import REPO_RULES_PATH, apply_rules, default_rules, load_rules, merge_rules
from tests.domain.analyzers.helpers import added, changed


def test_repo_rules_path() -> None:
    assert REPO_RULES_PATH == ".pr-agent/rules.toml"


def test_override_fields_disable_and_add() -> None:
    base = default_rules()
    override = load_rules(
        """
[[rule]]
id = "js.console-log"
severity = "high"
message = "No console output in this service."

[[rule]]
id = "js.no-var"
enabled = false

[[rule]]
id = "acme.no-moment"
languages = ["typescript"]
pattern = "from ['\\"]moment['\\"]"
severity = "medium"
message = "moment is deprecated here; use date-fns."
""",
        REPO_RULES_PATH,
    )
    merged = merge_rules(base, override)
    assert merged.errors == []
    console = merged.get("js.console-log")
    assert console is not None
    assert (console.severity, console.message, console.source) == (
        "high",
        "No console output in this service.",
        REPO_RULES_PATH,
    )
    base_console = base.get("js.console-log")
    assert base_console is not None and console.query == base_console.query
    file = added("src/a.ts", "var x = 1;\nconsole.log(x);\nimport m from 'moment';\n")
    found = {(f.rule_id, f.line, f.severity) for f in apply_rules(merged, [file])}
    assert found == {("js.console-log", 2, "high"), ("acme.no-moment", 3, "medium")}
    before = {(f.rule_id, f.line) for f in apply_rules(base, [file])}
    assert ("js.no-var", 1) in before and ("js.console-log", 2) in before


def test_override_switching_pattern_for_query_drops_the_old_matcher() -> None:
    base = load_rules(
        '[[rule]]\nid = "r"\nlanguages = ["python"]\npattern = "print"\nseverity = "low"\nmessage = "m"\n',
        "base.toml",
    )
    override = load_rules(
        '[[rule]]\nid = "r"\nlanguages = ["python"]\nquery = "((call function: (identifier) '
        '@f) @match (#eq? @f \\"print\\"))"\n',
        "repo.toml",
    )
    merged = merge_rules(base, override)
    rule = merged.get("r")
    assert merged.errors == [] and rule is not None
    assert rule.pattern is None and rule.query is not None
    file = added("a.py", "print(1)\n# print in a comment\n")
    assert [f.line for f in apply_rules(merged, [file])] == [1]
    assert [f.line for f in apply_rules(base, [file])] == [1, 2]


def test_invalid_override_keeps_the_base_rule_and_reports() -> None:
    base = default_rules()
    override = load_rules(
        '[[rule]]\nid = "js.no-var"\nlanguages = ["sql"]\n[[rule]]\nid = "acme.half"\npattern = "x"\n',
        REPO_RULES_PATH,
    )
    merged = merge_rules(base, override)
    assert merged.get("js.no-var") == base.get("js.no-var")
    assert merged.get("acme.half") is None
    assert any("js.no-var" in e and "grammar" in e for e in merged.errors)
    assert any("acme.half" in e and "missing message, severity" in e for e in merged.errors)


def test_errors_from_both_files_are_kept() -> None:
    merged = merge_rules(load_rules("[[rule", "a.toml"), load_rules("[[rule", "b.toml"))
    assert [e.split(":")[0] for e in merged.errors] == ["a.toml", "b.toml"]


def test_default_rules_load_cleanly() -> None:
    rules = default_rules()
    assert rules.errors == []
    assert len(rules.rules) >= 12 and all(rule.complete for rule in rules.rules)
    assert len({rule.id for rule in rules.rules}) == len(rules.rules)


@pytest.mark.parametrize(
    ("rule_id", "path", "bad", "good"),
    [
        ("js.console-log", "src/a.ts", "console.log(x);", "logger.log(x);"),
        ("js.debugger-statement", "src/a.js", "debugger;", "const debuggerOn = 1;"),
        ("js.no-var", "src/a.js", "var a = 1;", "let a = 1;"),
        ("ts.ts-ignore", "src/a.ts", "// @ts-ignore", "// @ts-expect-error: lib types lag"),
        ("lint.blanket-disable", "src/a.ts", "// eslint-disable-next-line", "// eslint-disable-next-line no-console"),
        ("lint.blanket-disable", "a.py", "x = f()  # noqa", "x = f()  # noqa: E501"),
        ("todo-without-ticket", "a.py", "# TODO: fix", "# TODO(PAY-42): fix"),
        ("python.print-in-service", "app/svc.py", "print(x)", "logger.info(x)"),
        ("python.debugger", "app/svc.py", "breakpoint()", "checkpoint()"),
        ("config.localhost-url", "src/api.ts", "const u = 'http://localhost:3000/api';", "const u = settings.apiUrl;"),
        ("tests.focused-test", "src/a.spec.ts", "it.only('works', () => {});", "it('works', () => {});"),
        ("merge-conflict-marker", "a.py", "<<<<<<< HEAD", "x = '<<<<<<<'"),
        ("merge-conflict-marker", "a.py", ">>>>>>> feature/x", "======="),
        ("php.error-suppression", "a.php", "<?php $x = @file_get_contents($f);", "<?php $x = file_get_contents($f);"),
        ("sql.destructive-migration", "migrations/2.sql", "DROP TABLE users;", "CREATE TABLE users (id int);"),
    ],
)
def test_each_house_rule(rule_id: str, path: str, bad: str, good: str) -> None:
    rules = default_rules()
    hits = [f for f in apply_rules(rules, [added(path, bad)]) if f.rule_id == rule_id]
    assert [f.line for f in hits] == [1]
    assert not [f for f in apply_rules(rules, [added(path, good)]) if f.rule_id == rule_id]


def test_house_rules_respect_exclusions() -> None:
    rules = default_rules()
    in_test = added("tests/test_svc.py", "print(x)\n")
    in_cli = added("app/cli/main.py", "print(x)\n")
    assert [f for f in apply_rules(rules, [in_test, in_cli]) if f.rule_id.startswith("python.")] == []
    # A focused test outside test files is somebody's `fit()` function, not a test.
    assert apply_rules(rules, [added("src/layout.ts", "fit(panel);\n")]) == []


def test_house_rules_do_not_fire_on_context_lines() -> None:
    file = changed("src/a.ts", ". console.log(x); // TODO\n. debugger;\n+ const y = 1;")
    assert apply_rules(default_rules(), [file]) == []
