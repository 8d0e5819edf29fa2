"""The repository is self-contained: no code, test, benchmark or script reaches outside its root.

A fresh clone with nothing beside it must pass; a path such as `../shared/fixtures`, an absolute
`/work/...` from one machine, or `Path(__file__).parents[N]` that climbs past the root works only where
it was written. The detector reads each line on its own: an anchored path (`__file__`, `$0`) is judged
by how far it climbs from the file that holds it, so `parents[2]` is fine two folders down and wrong
one folder down. A variable built from `__file__` on one line and climbed on another is not followed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = (
    "tests", "bench", "scripts", "cli", "api", "activities", "workflows", "workers", "core", "domain", "db",
    "infra", ".ci", ".github",
)  # fmt: skip
NOT_SCANNED = {
    "tests/fixtures",  # third-party material quoted verbatim (diffs of other projects), never executed
    "tests/test_self_contained.py",  # this file: its samples and patterns must name what they catch
}
CACHES = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"}

SIBLING = re.compile(r"\.\.[/\\]shared\b")  # the workspace folder beside the repository
WORKSPACE = re.compile(r"(?<![\w.:/-])/work/")  # an absolute path on the machine it was written on; not a URL
PY_ANCHOR = re.compile(r"\b__file__\b")
PY_PARENTS = re.compile(r"\.parents\[(\d+)\]")
PY_PARENT = re.compile(r"\.parent\b")
PY_DIRNAME = re.compile(r"\bdirname\(")
PY_DOTDOT = re.compile(r"""["']\.\.["']""")
SH_ANCHOR = re.compile(r"""\$\(dirname "?\$(?:0|\{BASH_SOURCE\[0\]\})"?\)((?:/\.\.)*)""")


@dataclass(frozen=True)
class OutsideReference:
    path: str
    line_number: int
    line: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line_number}: {self.reason}: {self.line.strip()}"


def levels_climbed(line: str) -> int | None:
    """How many folders up from the file itself an anchored path on this line ends (1 = its own
    folder), or None when the line holds no path anchored at the file."""
    shell = SH_ANCHOR.search(line)
    if shell:
        return 1 + shell.group(1).count("/..")
    if not PY_ANCHOR.search(line):
        return None
    parents = [int(n) + 1 for n in PY_PARENTS.findall(line)]
    dirnames = len(PY_DIRNAME.findall(line))
    climbed = max(parents, default=0) + len(PY_PARENT.findall(line)) + dirnames + len(PY_DOTDOT.findall(line))
    return climbed or None


def outside_references(relative_path: str, text: str) -> list[OutsideReference]:
    """Every line of the file at `relative_path` (from the root) that refers to a path outside the root."""
    root_level = len(PurePosixPath(relative_path).parts)  # levels up from the file to the root
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        reasons = []
        if SIBLING.search(line):
            reasons.append("reaches ../shared beside the repository")
        if WORKSPACE.search(line):
            reasons.append("absolute /work/ path of one machine")
        climbed = levels_climbed(line)
        if climbed is not None and climbed > root_level:
            reasons.append(f"climbs {climbed} folders from a file {root_level} below the root")
        found += [OutsideReference(relative_path, number, line, reason) for reason in reasons]
    return found


def scanned_files(root: Path) -> list[Path]:
    files = []
    for top in SCANNED:
        for path in sorted((root / top).rglob("*")):
            relative = path.relative_to(root).as_posix()
            skipped = any(relative == n or relative.startswith(n + "/") for n in NOT_SCANNED)
            if path.is_file() and not skipped and not CACHES & set(path.parts):
                files.append(path)
    return files


def read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None  # a binary file names no path we could follow


def test_no_file_refers_to_a_path_outside_the_repository() -> None:
    found = []
    for path in scanned_files(ROOT):
        text = read_text(path)
        if text is not None:
            found += outside_references(path.relative_to(ROOT).as_posix(), text)
    assert not found, "paths outside the repository:\n" + "\n".join(map(str, found))


def test_the_scan_covers_the_code_and_the_tests() -> None:
    scanned = {p.relative_to(ROOT).as_posix() for p in scanned_files(ROOT)}
    assert {"tests/support/fixtures.py", "bench/review_bench.py", "scripts/setup", "domain/review/prompt.py"} <= scanned
    assert not any(p.startswith("tests/fixtures/") for p in scanned)
    assert "tests/test_self_contained.py" not in scanned


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("tests/support/fixtures.py", 'FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"'),
        ("tests/domain/review/helpers.py", 'DIFFS = Path(__file__).resolve().parents[4] / "shared" / "fixtures"'),
        ("tests/domain/test_diff.py", 'DIFFS = Path("/work/shared/fixtures/diffs")'),
        ("bench/review_bench.py", "For each diff in ../shared/fixtures/diffs and each LLM mode"),
        ("db/migrate.py", 'MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"'),
        ("cli/main.py", "HERE = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))"),
        ("cli/main.py", 'UP = Path(__file__).parents[1] / ".." / "shared"'),
        ("scripts/setup", 'cd "$(dirname "$0")/../.."'),
    ],
)
def test_a_path_outside_the_root_is_caught(path: str, line: str) -> None:
    assert outside_references(path, f"ok = 1\n{line}\n")[0].line_number == 2


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("tests/support/fixtures.py", 'FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"'),
        ("tests/domain/investigation/test_promptsets.py", 'SHIPPED = Path(__file__).resolve().parents[3] / "prompts"'),
        ("db/migrate.py", 'MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"'),
        ("scripts/setup", 'cd "$(dirname "$0")/.."'),
        ("domain/investigation/promptsets.py", '"""Steps shared by every repository type; sets include "shared"."""'),
        ("tests/domain/investigation/test_promptsets.py", 'load_prompt_set("../etc", tmp_path)'),
        (
            "domain/analyzers/security.py",
            '"A file path is built from request input: `../` lets a caller reach any file."',
        ),
        ("tests/api/test_links.py", 'URL = "https://example.com/work/items"'),
        ("tests/workflows/index_support.py", "target.parent.mkdir(parents=True, exist_ok=True)"),
    ],
)
def test_a_path_inside_the_root_or_plain_prose_is_not_flagged(path: str, line: str) -> None:
    assert outside_references(path, line) == []
