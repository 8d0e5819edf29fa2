"""ts.let-never-reassigned."""

from __future__ import annotations

from domain.analyzers import AnalyzerContext, typescript
from tests.domain.analyzers.helpers import EMPTY, added, changed, rules_of


def test_let_never_reassigned_in_new_file() -> None:
    file = added(
        "src/a.ts",
        """
        let total = 0;
        let name = 'x';
        name = 'y';
        for (let i = 0; i < 3; i++) { total += i; }
        let { a, b } = obj;
        console.log(a, b);
        let later;
        """,
    )
    findings = typescript.analyze(file, EMPTY)
    assert rules_of(findings) == [("ts.let-never-reassigned", 5)]
    assert "`let a, b`" in findings[0].message and findings[0].severity == "low"


def test_reassigned_through_update_compound_destructuring_and_loops() -> None:
    file = added(
        "src/b.ts",
        """
        let a = 1;
        let b = 2;
        let c = 3;
        let d = 4;
        let e = 5;
        a++;
        b -= 1;
        [c, x] = pair();
        ({ d } = other());
        for (e of list) {}
        """,
    )
    assert typescript.analyze(file, EMPTY) == []


def test_member_writes_are_not_reassignments() -> None:
    file = added("src/c.ts", "let box = { n: 1 };\nbox.n = 2;\nbox['m'] = 3;\n")
    assert rules_of(typescript.analyze(file, EMPTY)) == [("ts.let-never-reassigned", 1)]


def test_hunk_only_reports_when_the_whole_block_is_visible() -> None:
    visible = changed(
        "src/d.ts",
        """
        . function f() {
        +   let x = compute();
        .   return x;
        . }
        """,
        start=10,
    )
    assert rules_of(typescript.analyze(visible, EMPTY)) == [("ts.let-never-reassigned", 11)]
    # The enclosing block runs past the hunk: a reassignment may be in the hidden lines.
    partial = changed(
        "src/d.ts",
        """
        . function f() {
        +   let x = compute();
        .   if (x) {
        """,
        start=10,
    )
    assert typescript.analyze(partial, EMPTY) == []
    top_level = changed("src/e.ts", "+ let y = 1;\n. export {}", start=5)
    assert typescript.analyze(top_level, EMPTY) == []


def test_full_contents_reveal_a_reassignment_outside_the_hunk() -> None:
    file = changed("src/f.ts", "+ let y = 1;", start=1)
    contents = "let y = 1;\nfunction g() { return 1; }\ny = 2;\n"
    assert typescript.analyze(file, AnalyzerContext(file_contents={"src/f.ts": contents})) == []
    clean = "let y = 1;\nfunction g() { return y; }\n"
    found = typescript.analyze(file, AnalyzerContext(file_contents={"src/f.ts": clean}))
    assert rules_of(found) == [("ts.let-never-reassigned", 1)]


def test_const_and_var_are_ignored() -> None:
    file = added("src/g.js", "const a = 1;\nvar b = 2;\n")
    assert typescript.analyze(file, EMPTY) == []
