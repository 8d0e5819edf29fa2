"""The made-up repositories in tests/fixtures/synthetic_repos (see its README), as texts or as git
repositories, for the investigation's tests and benchmark."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SYNTHETIC_REPOS = Path(__file__).resolve().parents[1] / "fixtures" / "synthetic_repos"
NEST_SHOP = "synthetic-nest-shop"
PHP_MUSIC = "synthetic-php-music"
# Fixed dates so the same files always make the same commit id.
_DATES = {"GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}


def synthetic_repo_names() -> list[str]:
    """Every synthetic repository folder, sorted; never empty."""
    names = sorted(p.name for p in SYNTHETIC_REPOS.iterdir() if p.is_dir())
    if not names:
        raise FileNotFoundError(f"no synthetic repository in {SYNTHETIC_REPOS}")
    return names


def synthetic_repo(name: str) -> dict[str, str]:
    """{path: text} of one synthetic repository, paths relative to its root, sorted."""
    root = SYNTHETIC_REPOS / name
    if not root.is_dir():
        raise FileNotFoundError(f"no synthetic repository {name!r} in {SYNTHETIC_REPOS}")
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in files}


def synthetic_git_repo(name: str, target: Path, branch: str = "main") -> Path:
    """A git repository at `target` holding the synthetic repository `name` in one commit."""
    target.mkdir(parents=True, exist_ok=True)
    for path, text in synthetic_repo(name).items():
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_text(text, encoding="utf-8")
    _git(target, "init", "-q", "-b", branch)
    _git(target, "add", "-A")
    _git(target, "-c", "user.email=fixtures@example.test", "-c", "user.name=Fixtures", "commit", "-q", "-m", name)
    return target


def _git(repo: Path, *args: str) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(Path.home()), **_DATES}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
