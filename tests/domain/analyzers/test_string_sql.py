"""sql.string-built-query (JS/TS/Python)."""

from __future__ import annotations

from domain.analyzers import string_sql
from tests.domain.analyzers.helpers import EMPTY, added, rules_of


def test_js_template_and_concatenation() -> None:
    file = added(
        "src/users.repo.ts",
        """
        const a = await db.query(`SELECT id FROM users WHERE email = '${email}'`);
        const b = await db.query("SELECT id FROM users WHERE id = " + req.params.id);
        const c = await db.query(`SELECT id FROM ${TABLE} WHERE id = $1`, [id]);
        const d = await db.query(sql`SELECT id FROM users WHERE id = ${id}`);
        const e = "Hello " + name;
        const f = await db.query('SELECT id FROM users WHERE id = $1', [id]);
        """,
    )
    findings = string_sql.analyze(file, EMPTY)
    assert rules_of(findings) == [("sql.string-built-query", 1), ("sql.string-built-query", 2)]
    assert findings[0].severity == "high"


def test_python_fstring_percent_format_and_plus() -> None:
    file = added(
        "app/repo.py",
        """
        cur.execute(f"SELECT id FROM users WHERE name = '{name}'")
        cur.execute("DELETE FROM users WHERE id = %s" % user_id)
        cur.execute("UPDATE users SET name = '{}' WHERE id = 1".format(name))
        cur.execute("SELECT id FROM users WHERE id = " + str(user_id))
        cur.execute("SELECT id FROM users WHERE id = %s", (user_id,))
        cur.execute(f"SELECT id FROM {TABLE} WHERE id = $1", user_id)
        log.info(f"user {name} logged in")
        """,
    )
    assert rules_of(string_sql.analyze(file, EMPTY)) == [
        ("sql.string-built-query", 1),
        ("sql.string-built-query", 2),
        ("sql.string-built-query", 3),
        ("sql.string-built-query", 4),
    ]


def test_multiline_concatenation_reports_first_added_line_once() -> None:
    file = added(
        "src/r.js",
        """
        const q = "SELECT id FROM users " +
          "WHERE name = '" + name + "'" +
          " AND active";
        """,
    )
    assert rules_of(string_sql.analyze(file, EMPTY)) == [("sql.string-built-query", 1)]
