"""python.bare-except and python.mutable-default, and the FastAPI fixture."""

from __future__ import annotations

from domain.analyzers import python, run_analyzers
from domain.diff import parse_unified_diff
from tests.domain.analyzers.helpers import EMPTY, added, changed, rules_of
from tests.support.fixtures import fixture_path

PY_DIFF = fixture_path("diffs/python__nsidnev-fastapi-realworld__e96b98a_db-connection-per-request_PR62.diff")


def test_bare_except() -> None:
    file = added(
        "app/jobs.py",
        """
        def run():
            try:
                work()
            except:
                pass
            try:
                work()
            except Exception:
                log()
            except (KeyError, ValueError) as error:
                raise
        """,
    )
    findings = python.analyze(file, EMPTY)
    assert rules_of(findings) == [("python.bare-except", 4)]
    assert findings[0].severity == "medium"


def test_mutable_defaults() -> None:
    file = added(
        "app/util.py",
        """
        def a(items=[], opts: dict = {}, tags=set(), seen=None, name="x"):
            pass
        def b(cache=collections.defaultdict(list), n=0, t=(), f=frozenset()):
            pass
        handler = lambda acc=[]: acc
        """,
    )
    found = rules_of(python.analyze(file, EMPTY))
    assert found == [
        ("python.mutable-default", 1),
        ("python.mutable-default", 1),
        ("python.mutable-default", 1),
        ("python.mutable-default", 3),
        ("python.mutable-default", 5),
    ]


def test_indented_hunk_is_parsed() -> None:
    file = changed(
        "app/svc.py",
        """
        .     def handle(self, event, extra={}):
        .         try:
        .             self.process(event)
        +         except:
        +             self.retry(event, history=[])
        """,
        start=20,
    )
    assert rules_of(python.analyze(file, EMPTY)) == [("python.bare-except", 23)]


def test_fastapi_fixture_depends_defaults_are_not_mutable() -> None:
    # The PR adds `pool: Pool = Depends(...)` and `conn: Connection = Depends(...)` defaults:
    # FastAPI's idiom, a call that is not a mutable container. Nothing else to report either.
    files = parse_unified_diff(PY_DIFF.read_text())
    assert python.analyze(files[0], EMPTY) == []
    assert run_analyzers(files, EMPTY) == []
