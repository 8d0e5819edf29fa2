"""Analyzer findings that have one mechanical fix carry it as an exact replacement of their line."""

from __future__ import annotations

from domain.analyzers import python, typescript
from domain.review.render import literal_replacement
from tests.domain.analyzers.helpers import EMPTY, added


def test_a_bare_except_on_its_own_line_is_narrowed_to_exception() -> None:
    file = added("app/run.py", "def run():\n    try:\n        work()\n    except:  # noqa: E722\n        pass\n")
    [finding] = python.analyze(file, EMPTY)
    assert literal_replacement(finding.suggestion or "") == "    except Exception:  # noqa: E722"


def test_a_bare_except_sharing_its_line_keeps_the_prose_advice() -> None:
    file = added("app/run.py", "def run():\n    try: work()\n    except: pass\n")
    [finding] = python.analyze(file, EMPTY)
    assert literal_replacement(finding.suggestion or "") is None


def test_a_one_line_let_becomes_const_in_place() -> None:
    file = added("src/a.ts", "export function f(): number {\n  let total = 1; // start\n  return total;\n}\n")
    [finding] = typescript.analyze(file, EMPTY)
    assert literal_replacement(finding.suggestion or "") == "  const total = 1; // start"


def test_a_let_over_several_lines_keeps_the_prose_advice() -> None:
    file = added("src/a.ts", "export function f(): number {\n  let total =\n    1;\n  return total;\n}\n")
    [finding] = typescript.analyze(file, EMPTY)
    assert literal_replacement(finding.suggestion or "") is None
