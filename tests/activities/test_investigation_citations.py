"""Step answers are held to their evidence before they are stored."""

from __future__ import annotations

from activities.investigation_citations import check_citations

PATHS = ["app/main.py", "app/models.py", "Dockerfile"]
SHOWN = {"app/main.py": "line\n" * 10}


def test_claims_without_evidence_are_marked_and_cited_ones_kept() -> None:
    answer = "\n".join(
        [
            "### Purpose",
            "",
            "- Serves orders over HTTP (`app/main.py:3-5`).",
            "- Probably uses Redis for caching.",
            "- Already hedged (unverified)",
            "- Model defined in app/models.py:1.",
            "",
            "### Data stores",
            "",
            "None found in the files shown.",
            "```python",
            "app = FastAPI()",
            "```",
        ]
    )
    checked = check_citations(answer, PATHS, SHOWN)
    lines = checked.text.splitlines()
    assert lines[2] == "- Serves orders over HTTP (`app/main.py:3-5`)."
    assert lines[3] == "- Probably uses Redis for caching. (unverified)"
    assert lines[4] == "- Already hedged (unverified)" and lines[5] == "- Model defined in app/models.py:1."
    assert lines[9:] == ["None found in the files shown.", "```python", "app = FastAPI()", "```"]
    assert (checked.claims, checked.unsupported, checked.bad_citations) == (4, 1, 0)


def test_citations_of_missing_files_or_lines_are_marked() -> None:
    answer = "- Routes in `app/routes.py:4`.\n- Entry at `app/main.py:40`.\n- Image built by `Dockerfile:1`."
    checked = check_citations(answer, PATHS, SHOWN)
    assert checked.text.splitlines() == [
        "- Routes in `app/routes.py:4` (unverified: no such file).",
        "- Entry at `app/main.py:40` (unverified: the file has 10 lines).",
        "- Image built by `Dockerfile:1`.",
    ]
    assert (checked.claims, checked.unsupported, checked.bad_citations) == (3, 0, 2)


def test_hosts_and_ports_are_not_taken_for_citations() -> None:
    checked = check_citations("- Connects to localhost:5432.\n- Or to `localhost:6379`.", PATHS, SHOWN)
    assert checked.text == "- Connects to localhost:5432. (unverified)\n- Or to `localhost:6379`. (unverified)"
    assert checked.bad_citations == 0
