"""load_rules: good rules load, bad ones are reported and never raise."""

from __future__ import annotations

from domain.rules import load_rules

GOOD = """
[[rule]]
id = "no-console"
languages = ["typescript"]
pattern = 'console\\.log'
severity = "low"
message = "console.log left"
"""


def test_good_rule_loads_with_its_fields() -> None:
    rules = load_rules(GOOD, "repo/.pr-agent/rules.toml")
    assert rules.errors == []
    (rule,) = rules.rules
    assert (rule.id, rule.languages, rule.pattern, rule.severity) == (
        "no-console",
        ("typescript",),
        "console\\.log",
        "low",
    )
    assert rule.enabled and rule.complete and rule.source == "repo/.pr-agent/rules.toml"
    assert rule.fields == {"id", "languages", "pattern", "severity", "message"}


def test_malformed_toml_is_an_error_not_an_exception() -> None:
    rules = load_rules("[[rule]\nid = ", "x.toml")
    assert rules.rules == []
    assert len(rules.errors) == 1 and rules.errors[0].startswith("x.toml: not valid TOML")


def test_bad_rules_are_reported_and_good_ones_in_the_same_file_still_load() -> None:
    text = (
        GOOD
        + """
[[rule]]
id = "bad-regex"
pattern = "([a-z"
severity = "low"
message = "m"

[[rule]]
id = "bad-severity"
pattern = "x"
severity = "urgent"
message = "m"

[[rule]]
pattern = "no id"

[[rule]]
id = "bad-query"
languages = ["python"]
query = "(call function: (no_such_node)) @match"
severity = "low"
message = "m"

[[rule]]
id = "query-without-match"
languages = ["python"]
query = "(call) @call"
severity = "low"
message = "m"

[[rule]]
id = "query-without-languages"
query = "(call) @match"
severity = "low"
message = "m"

[[rule]]
id = "both"
languages = ["python"]
pattern = "x"
query = "(call) @match"
severity = "low"
message = "m"

[[rule]]
id = "typo"
patern = "x"

[[rule]]
id = "wrong-types"
languages = "python"
enabled = "no"

[[rule]]
id = "no-console"
pattern = "dup"
"""
    )
    rules = load_rules(text, "f.toml")
    assert [rule.id for rule in rules.rules] == ["no-console"]
    joined = "\n".join(rules.errors)
    for expected in (
        "rule `bad-regex`: bad regex",
        "rule `bad-severity`: unknown severity `urgent`",
        "rule #4 has no `id`",
        "rule `bad-query`: bad query for python",
        "rule `query-without-match`: the query has no `@match` capture",
        "rule `query-without-languages`: a `query` rule needs `languages`",
        "rule `both`: has both `pattern` and `query`",
        "rule `typo`: unknown key `patern`",
        "rule `wrong-types`: `languages` must be a list of strings",
        "rule `wrong-types`: `enabled` must be true or false",
        "rule `no-console` is defined twice",
    ):
        assert expected in joined, expected
    assert all(error.startswith("f.toml: ") for error in rules.errors)


def test_unknown_language_and_unknown_top_level_key() -> None:
    text = 'ruels = 1\n[[rule]]\nid = "r"\nlanguages = ["cobol"]\npattern = "x"\n'
    rules = load_rules(text, "f.toml")
    assert rules.rules == []
    assert rules.errors == [
        "f.toml: unknown top-level key `ruels`",
        "f.toml: rule `r`: unknown language(s) cobol",
    ]


def test_partial_rule_loads_for_use_as_an_override() -> None:
    rules = load_rules('[[rule]]\nid = "js.no-var"\nenabled = false\n', "o.toml")
    assert rules.errors == []
    assert not rules.rules[0].enabled and not rules.rules[0].complete
