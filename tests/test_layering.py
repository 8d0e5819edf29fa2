"""The layering contract ([tool.importlinter] in pyproject.toml) is a real check: `lint-imports`
passes on the repository as it is, and fails on a copy in which one module imports against it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PACKAGES: list[str] = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"


def lint_imports(where: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    # lint-imports puts its working directory first on the path, so a copy is analysed, not the checkout.
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", *(f"--contract={contract}" for contract in contracts)],
        cwd=where,
        env={**os.environ, "PYTHONPATH": str(where)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def copy_of_the_packages(target: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_the_repository_keeps_every_import_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "contract", "reported"),
    [
        ("domain/diff.py", "from workers.base import WorkerDeps", "layers", "domain.diff -> workers.base"),
        ("activities/reconcile.py", "from api.resources import AppResources", "layers", "activities.reconcile -> api"),
        ("contracts/starts.py", "from db.pool import create_pool", "layers", "contracts.starts -> db.pool"),
        ("domain/embeddings.py", "import litellm", "pure-domain", "domain.embeddings -> litellm"),
        (
            "contracts/common.py",
            "from temporalio.client import Client",
            "plain-contracts",
            "contracts.common -> temporalio",
        ),
    ],
)
def test_an_import_against_the_layers_fails_the_check(
    tmp_path: Path, module: str, bad_import: str, contract: str, reported: str
) -> None:
    copy = copy_of_the_packages(tmp_path)
    assert lint_imports(copy, contract).returncode == 0  # the copy keeps the contract until it is broken
    with (copy / module).open("a") as source:
        source.write(f"\n{bad_import}  # noqa\n")
    result = lint_imports(copy, contract)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout and reported in result.stdout
