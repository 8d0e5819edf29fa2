"""A fix must keep its file parsing and add no credential; the repository's config and the model's
answer are read strictly enough to be safe."""

from __future__ import annotations

import pytest

from domain.autofix.checks import limit_problem, parse_problem, secret_problem
from domain.autofix.config import read_autofix_config
from domain.autofix.patch import PatchError, apply_hunks
from domain.autofix.prompt import FixContext, build_fix_messages, current_prompt_dir, read_fix_answer
from domain.findings import Finding

PY = "def run():\n    try:\n        work()\n    except:\n        pass\n"


def test_a_fix_that_breaks_parsing_is_caught_but_old_errors_are_not_blamed_on_it() -> None:
    assert parse_problem("app/run.py", PY, PY.replace("except:", "except Exception:")) is None
    problem = parse_problem("app/run.py", PY, PY.replace("except:", "except Exception"))
    assert problem is not None and "no longer parses" in problem and "line 4" in problem
    broken = "def f(:\n    pass\n"
    assert parse_problem("app/f.py", broken, broken + "x = 1\n") is None
    assert parse_problem("README.md", "a", "((((") is None  # no grammar: not checked


def test_a_credential_added_by_a_fix_is_caught_without_repeating_it() -> None:
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    problem = secret_problem("app/run.py", PY, PY + f'TOKEN = "{token}"\n')
    assert problem is not None and "credential" in problem and token not in problem
    assert secret_problem("app/run.py", PY, PY + "x = 1\n") is None


def test_limits() -> None:
    assert limit_problem(2, 10, max_files=5, max_lines=80) is None
    assert "AUTOFIX_MAX_FILES" in (limit_problem(6, 10, max_files=5, max_lines=80) or "")
    assert "AUTOFIX_MAX_CHANGED_LINES" in (limit_problem(1, 81, max_files=5, max_lines=80) or "")


def test_the_repository_config_is_read_and_its_mistakes_reported() -> None:
    config = read_autofix_config(
        '[autofix]\ncheck = "npm test"\ncheck_timeout_seconds = 60\nconventions = "2 spaces"\n'
    )
    assert (config.check_command, config.check_timeout_seconds, config.conventions) == ("npm test", 60.0, "2 spaces")
    assert read_autofix_config(None).check_command is None
    assert read_autofix_config("[autofix\n").problems
    wrong = read_autofix_config("[autofix]\ncheck = ['npm', 'test']\ncheck_timeout_seconds = -1\n")
    assert wrong.check_command is None and wrong.check_timeout_seconds is None and len(wrong.problems) == 2


FINDING = Finding("app/run.py", 4, "medium", "python.bare-except", "Bare except", source="llm")


def test_the_prompt_shows_the_finding_and_numbered_code_around_it() -> None:
    context = FixContext("acme/shop", "a" * 40, "F2", FINDING, PY, "4 spaces", context_lines=1)
    system, user = build_fix_messages(context, current_prompt_dir())
    assert "NO FIX" in system["content"]
    assert "F2: medium, `python.bare-except`" in user["content"]
    assert "3|         work()\n4|     except:\n5|         pass" in user["content"]
    assert "1|" not in user["content"] and "4 spaces" in user["content"]


def test_the_answer_is_a_diff_of_the_finding_file_or_a_refusal() -> None:
    answer = (
        "Here:\n```diff\n--- a/app/run.py\n+++ b/app/run.py\n"
        "@@ -4,2 +4,2 @@\n-    except:\n+    except Exception:\n         pass\n```"
    )
    fix = read_fix_answer(answer, "app/run.py")
    assert apply_hunks(PY, fix.hunks) == PY.replace("except:", "except Exception:")
    assert read_fix_answer("NO FIX: the caller relies on it", "app/run.py").refusal == "the caller relies on it"
    other = answer.replace("app/run.py", "app/other.py")
    with pytest.raises(PatchError, match=r"only `app/run\.py` may change"):
        read_fix_answer(other, "app/run.py")
    with pytest.raises(PatchError, match="no diff"):
        read_fix_answer("I would change the except clause.", "app/run.py")
