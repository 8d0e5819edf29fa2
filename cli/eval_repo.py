"""A git repository per evaluation case: its base commit, then its head commit, for the local provider.

The commit message is the case's title only: the pull request a reviewer sees must not carry the
golden comments or anything else the dataset knows about the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clients.git import head_commit, run_git
from domain.evaluation.cases import EvalCase
from domain.evaluation.trees import case_trees

_AUTHOR = ["-c", "user.name=pr-agent eval", "-c", "user.email=eval@pr-agent.invalid", "-c", "commit.gpgsign=false"]


@dataclass(frozen=True)
class CaseRepository:
    path: Path
    base_sha: str
    head_sha: str


def build_case_repository(case: EvalCase, path: Path) -> CaseRepository:
    """A repository at `path` (created) whose base and head commits hold the case's two sides.

    Raises PatchMismatch when the case's files and diff disagree, GitError when git fails."""
    trees = case_trees(case)
    path.mkdir(parents=True)
    run_git(["init", "-q"], cwd=path)
    base = _commit(path, trees.base, "base of the change")
    head = _commit(path, trees.head, case.title)
    return CaseRepository(path=path, base_sha=base, head_sha=head)


def _commit(repo: Path, files: dict[str, str], message: str) -> str:
    """Make the work tree hold exactly `files`, and commit it."""
    run_git(["rm", "-rq", "--ignore-unmatch", "--", "."], cwd=repo)
    for relative, text in files.items():
        target = repo / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    run_git(["add", "-A"], cwd=repo)
    run_git([*_AUTHOR, "commit", "-q", "--allow-empty", "-m", message], cwd=repo)
    return head_commit(repo, "HEAD")
