"""sql.update-without-where, sql.delete-without-where and sql.select-star."""

from __future__ import annotations

from domain.analyzers import AnalyzerContext, sql
from tests.domain.analyzers.helpers import EMPTY, added, changed, rules_of


def test_sql_file_statements() -> None:
    file = added(
        "migrations/010_cleanup.sql",
        """
        -- DELETE FROM audit; (a comment, not a statement)
        UPDATE users
           SET active = false;
        UPDATE users SET active = true WHERE id = 1;
        DELETE FROM sessions;
        DELETE FROM tokens WHERE expires_at < now();
        SELECT * FROM users;
        SELECT count(*) FROM users WHERE EXISTS (SELECT * FROM orders);
        INSERT INTO log SELECT u.* FROM users u;
        """,
    )
    findings = sql.analyze(file, EMPTY)
    assert rules_of(findings) == [
        ("sql.update-without-where", 2),
        ("sql.delete-without-where", 5),
        ("sql.select-star", 7),
    ]
    assert [f.severity for f in findings] == ["high", "high", "low"]


def test_unterminated_statement_at_hunk_end_is_not_judged() -> None:
    # The WHERE may be on the next, unshown line.
    file = changed("db/q.sql", "+ UPDATE users SET a = 1", start=3)
    assert sql.analyze(file, EMPTY) == []
    with_contents = AnalyzerContext(file_contents={"db/q.sql": "\n\nUPDATE users SET a = 1\n"})
    assert rules_of(sql.analyze(file, with_contents)) == [("sql.update-without-where", 3)]


def test_statement_spanning_context_and_added_lines_reports_the_added_line() -> None:
    file = changed(
        "db/q.sql",
        """
        . DELETE
        + FROM carts;
        """,
        start=8,
    )
    assert rules_of(sql.analyze(file, EMPTY)) == [("sql.delete-without-where", 9)]


def test_sql_in_code_strings() -> None:
    file = added(
        "app/repo.py",
        '''
        ALL = "SELECT * FROM items"
        WIPE = "DELETE FROM items"
        ONE = "DELETE FROM items WHERE id = $1"
        PART = "DELETE FROM items" + where_clause
        LABEL = "Delete from favourites"
        def f():
            """Runs SELECT * FROM items for the report."""
        ''',
    )
    assert rules_of(sql.analyze(file, EMPTY)) == [
        ("sql.select-star", 1),
        ("sql.delete-without-where", 2),
    ]


def test_multiline_template_reports_the_line_of_the_keyword() -> None:
    file = added(
        "src/repo.ts",
        """
        const q = `
          UPDATE accounts
          SET balance = 0
        `;
        const r = sql`SELECT * FROM accounts WHERE id = ${id}`;
        """,
    )
    assert rules_of(sql.analyze(file, EMPTY)) == [
        ("sql.update-without-where", 2),
        ("sql.select-star", 5),
    ]
