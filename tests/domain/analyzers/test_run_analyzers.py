"""run_analyzers: selection by language, de-duplication, order, robustness; and, for every
analyzer, that nothing is ever reported on an unchanged (context) line."""

from __future__ import annotations

import logging
from types import ModuleType

import pytest

from domain.analyzers import (
    ANALYZERS,
    AnalyzerContext,
    InternalPackageInfo,
    analyzers_for,
    code_eval,
    elasticsearch,
    jwt,
    mongo,
    nestjs,
    npm,
    php,
    php_sql,
    pubsub,
    python,
    react,
    run_analyzers,
    secrets,
    security,
    sql,
    string_sql,
    typescript,
)
from domain.diff import FileDiff, parse_unified_diff
from domain.findings import Finding
from tests.domain.analyzers.helpers import EMPTY, added, as_context, full_text
from tests.support.fixtures import fixture_path

TS_DIFF = fixture_path("diffs/ts-nestjs__lujakob-nestjs-realworld__8f5ab17_fix-articles-feed-endpoint.diff")
CTX = AnalyzerContext(
    internal_packages={"@acme/auth": InternalPackageInfo("2.0.0", True, "gone")},
    known_topics={"published": {"a-topic"}, "subscribed": {"a-topic"}},
)
# One triggering sample per analyzer: (module, path, text).
SAMPLES: list[tuple[ModuleType, str, str]] = [
    (typescript, "a.ts", "let x = 1;\nexport const y = x;\n"),
    (nestjs, "a.service.ts", "const logger = new Logger();\n"),
    (react, "A.tsx", "function A({ok}) {\n  if (ok) { useEffect(() => {}); }\n}\n"),
    (php, "v.php", "<p><?= $name ?></p>\n"),
    (php_sql, "m.php", '<?php\n$q = "SELECT a FROM t WHERE id = $id";\n'),
    (python, "a.py", "def f(x=[]):\n    pass\n"),
    (sql, "m.sql", "DELETE FROM users;\n"),
    (string_sql, "r.ts", "db.query(`SELECT a FROM t WHERE id = ${id}`);\n"),
    (mongo, "f.js", "users.find({ $where: js });\n"),
    (elasticsearch, "s.js", "const q = { script: { source: `x > ${n}` } };\n"),
    (secrets, "c.py", 'API_KEY = "AKIAIOSFODNN7EXAMPLE"\n'),
    (code_eval, "e.js", "eval(code);\n"),
    (security, "h.py", "requests.get(u, verify=False)\n"),
    (jwt, "j.ts", "try { jwt.verify(t, s); } catch (e) {}\n"),
    (pubsub, "p.ts", "pubsub.topic('b-topic').publish(data);\n"),
    (npm, "package.json", '{\n  "dependencies": {\n    "@acme/auth": "^1.0.0"\n  }\n}\n'),
]


def test_every_analyzer_has_a_sample() -> None:
    assert {module for module, _, _ in SAMPLES} == set(ANALYZERS)


@pytest.mark.parametrize(("module", "path", "text"), SAMPLES, ids=[m.NAME for m, _, _ in SAMPLES])
def test_sample_triggers_when_added(module: ModuleType, path: str, text: str) -> None:
    assert module.analyze(added(path, text), CTX)


@pytest.mark.parametrize(("module", "path", "text"), SAMPLES, ids=[m.NAME for m, _, _ in SAMPLES])
def test_nothing_is_reported_on_context_lines(module: ModuleType, path: str, text: str) -> None:
    file = as_context(added(path, text))
    with_contents = AnalyzerContext(
        file_contents={path: full_text(file)},
        internal_packages=CTX.internal_packages,
        known_topics=CTX.known_topics,
    )
    assert module.analyze(file, CTX) == []
    assert module.analyze(file, with_contents) == []


def test_run_analyzers_picks_by_language_dedupes_and_sorts() -> None:
    files = [
        added("z.py", "def f(x=[]):\n    eval(x)\n"),
        added("a.sql", "SELECT * FROM t;\nDELETE FROM t;\n"),
        added("notes.md", "eval(x) and DELETE FROM t;\n"),
    ]
    findings = run_analyzers([*files, files[0]], EMPTY)
    assert [(f.severity, f.path, f.line, f.rule_id) for f in findings] == [
        ("high", "a.sql", 2, "sql.delete-without-where"),
        ("high", "z.py", 2, "security.eval"),
        ("medium", "z.py", 1, "python.mutable-default"),
        ("low", "a.sql", 1, "sql.select-star"),
    ]
    assert all(f.source.startswith("analyzer:") for f in findings)


def test_deleted_and_binary_files_are_skipped() -> None:
    deleted = added("a.py", "eval(x)\n")
    deleted.status = "deleted"
    binary = added("b.py", "eval(x)\n")
    binary.is_binary = True
    assert run_analyzers([deleted, binary], EMPTY) == []


def test_a_failing_analyzer_is_logged_and_the_others_still_run(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
        raise RuntimeError("boom")

    monkeypatch.setattr(python, "analyze", broken)
    with caplog.at_level(logging.ERROR, logger="domain.analyzers"):
        findings = run_analyzers([added("a.py", "def f(x=[]):\n    eval(x)\n")], EMPTY)
    assert [f.rule_id for f in findings] == ["security.eval"]
    assert "analyzer python failed on a.py" in caplog.text


def test_analyzers_for_language() -> None:
    assert python in analyzers_for("python") and react not in analyzers_for("python")
    assert analyzers_for("markdown") == []
    assert analyzers_for("json") == [secrets, npm]


def test_nestjs_fixture_runs_clean(caplog: pytest.LogCaptureFixture) -> None:
    # What the PR adds: a moved `getFeed` route, an empty-follows guard returning
    # `{articles: [], articlesCount: 0}`, `}` instead of `};`, a quote-style change in an
    # import, an `id` field in buildUserRO and a version bump. None of it is a problem the
    # analyzers look for, and nothing may crash on the partial TypeScript hunks.
    files = parse_unified_diff(TS_DIFF.read_text())
    with caplog.at_level(logging.ERROR, logger="domain.analyzers"):
        assert run_analyzers(files, EMPTY) == []
        # Even an organisation whose internal packages include the app's own deps stays quiet:
        # the only added package.json line is "version".
        ctx = AnalyzerContext(internal_packages={"typeorm": InternalPackageInfo("9.0.0")})
        assert run_analyzers(files, ctx) == []
    assert caplog.text == ""
