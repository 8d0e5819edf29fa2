"""apply_rules: pattern and query rules, scoping by language and path, added lines only."""

from __future__ import annotations

from domain.rules import apply_rules, glob_match, load_rules
from tests.domain.analyzers.helpers import added, changed

RULES = load_rules(
    """
[[rule]]
id = "ts.console"
languages = ["typescript", "tsx"]
exclude_paths = ["**/*.spec.ts"]
query = '''((call_expression function: (member_expression object: (identifier) @o)) @match
            (#eq? @o "console"))'''
severity = "low"
message = "console call"
suggestion = "use the logger"

[[rule]]
id = "todo"
pattern = '\\bTODO\\b(?!.*[A-Z]+-\\d+)'
severity = "info"
message = "TODO without ticket"

[[rule]]
id = "only-migrations"
paths = ["migrations/"]
pattern = "(?i)drop table"
severity = "medium"
message = "drop"

[[rule]]
id = "off"
pattern = "."
severity = "high"
message = "never"
enabled = false
""",
    "t.toml",
)


def test_rules_file_is_valid() -> None:
    assert RULES.errors == [] and len(RULES.rules) == 4


def test_pattern_rule_positive_and_negative() -> None:
    file = added("src/a.py", "# TODO tidy\n# TODO(PAY-12) tidy\nx = 1\n")
    findings = apply_rules(RULES, [file])
    assert [(f.rule_id, f.line, f.severity, f.source) for f in findings] == [("todo", 1, "info", "rule")]


def test_query_rule_ignores_comments_strings_and_other_languages() -> None:
    ts = added(
        "src/a.ts",
        """
        console.log('x');
        // console.log('commented');
        const s = "console.log('in a string')";
        logger.log('fine');
        """,
    )
    js = added("src/b.js", "console.log('js is not in the rule languages');\n")
    findings = apply_rules(RULES, [ts, js])
    assert [(f.path, f.rule_id, f.line) for f in findings] == [("src/a.ts", "ts.console", 1)]
    assert findings[0].suggestion == "use the logger" and findings[0].message == "console call"


def test_query_rule_reports_only_added_lines() -> None:
    file = changed(
        "src/c.ts",
        """
        . console.log('old');
        + console.warn('new');
        . console.error('old');
        """,
        start=20,
    )
    assert [(f.rule_id, f.line) for f in apply_rules(RULES, [file])] == [("ts.console", 21)]


def test_pattern_rule_ignores_context_lines() -> None:
    file = changed("src/d.py", ". # TODO old\n+ x = 1", start=3)
    assert apply_rules(RULES, [file]) == []


def test_paths_and_exclude_paths() -> None:
    spec = added("src/a.spec.ts", "console.log(1);\n")
    migration = added("migrations/001_x.sql", "DROP TABLE users;\n")
    elsewhere = added("db/seed.sql", "DROP TABLE users;\n")
    findings = apply_rules(RULES, [spec, migration, elsewhere])
    assert [(f.path, f.rule_id) for f in findings] == [("migrations/001_x.sql", "only-migrations")]


def test_query_rule_uses_full_contents_when_given() -> None:
    # Same change; with the whole file the hunk-only parse problems disappear.
    file = changed("src/e.ts", "+   console.log(x);", start=3)
    contents = "function f(x) {\n  if (x) {\n  console.log(x);\n  }\n}\n"
    findings = apply_rules(RULES, [file], file_contents={"src/e.ts": contents})
    assert [(f.rule_id, f.line) for f in findings] == [("ts.console", 3)]


def test_glob_match() -> None:
    assert glob_match("*.spec.ts", "src/deep/a.spec.ts")
    assert glob_match("migrations/", "migrations/2024/001.sql")
    assert not glob_match("migrations/", "db/migrations.sql")
    assert glob_match("**/test_*.py", "test_a.py") and glob_match("**/test_*.py", "x/y/test_a.py")
    assert glob_match("/src/*.ts", "src/a.ts") and not glob_match("/src/*.ts", "src/x/a.ts")
    assert glob_match("src/**/*.ts", "src/a.ts") and glob_match("src/**/*.ts", "src/x/y/a.ts")
    assert glob_match("file[0-9].txt", "file7.txt") and not glob_match("file[!0-9].txt", "file7.txt")
    assert not glob_match("*.ts", "src/a.tsx")
