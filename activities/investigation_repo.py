"""What an investigation reads from a repository at one commit, and the decisions taken from it.

The git reads are blocking (they run `git`), so the activities call them through a thread. The
decisions (which type, which prompt set, each step's fingerprint) are pure functions.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from clients.git import GitError, head_commit, list_tree, read_file
from domain.investigation.promptsets import DEFAULT_SET, PromptSet, choose_prompt_set
from domain.investigation.tree import render_tree
from domain.repo_profile import RepoProfile, is_manifest, profile_repository
from domain.secrets import redact_secrets

REPO_CONFIG_PATH = ".pr-agent/investigation.toml"
MAX_MANIFEST_BYTES = 512_000


@dataclass(frozen=True)
class RepoSnapshot:
    """A repository at one commit: its files and sizes, manifests, tree and deterministic profile."""

    clone_dir: Path
    commit: str
    paths: list[str]
    sizes: dict[str, int]
    manifests: dict[str, str]
    structure: str
    profile: RepoProfile
    config: dict[str, str]  # the repository's own .pr-agent/investigation.toml, if any


@dataclass(frozen=True)
class TypeChoice:
    repo_type: str
    subtype: str | None
    prompt_set: str
    source: str  # detected | repository-table | repository-file


def has_commit(clone_dir: Path, commit: str) -> bool:
    try:
        head_commit(clone_dir, commit)
    except GitError:
        return False
    return True


def resolve_commit(clone_dir: Path, branch: str, commit: str | None) -> str:
    """The full id of `commit`, or of the branch head when no commit is given."""
    return head_commit(clone_dir, commit or f"refs/heads/{branch}")


def read_text(clone_dir: Path, commit: str, path: str) -> str:
    """A file's text with credentials redacted: whatever an investigation reads may reach a prompt."""
    return redact_secrets(read_file(clone_dir, commit, path).decode("utf-8", "replace"))


def read_files(clone_dir: Path, commit: str, paths: list[str]) -> dict[str, str]:
    """{path: text}, in the order given; files git cannot read are left out."""
    contents: dict[str, str] = {}
    for path in paths:
        try:
            contents[path] = read_text(clone_dir, commit, path)
        except GitError:
            continue
    return contents


def load_snapshot(clone_dir: Path, commit: str) -> RepoSnapshot:
    """List the tree at `commit`, read its manifests and profile it (blocking: call in a thread)."""
    entries = list_tree(clone_dir, commit)
    paths = [e.path for e in entries]
    sizes = {e.path: e.size for e in entries}
    wanted = [p for p in paths if is_manifest(p) and sizes[p] <= MAX_MANIFEST_BYTES]
    manifests = read_files(clone_dir, commit, wanted)
    config = _repo_config(read_text(clone_dir, commit, REPO_CONFIG_PATH)) if REPO_CONFIG_PATH in sizes else {}
    return RepoSnapshot(
        clone_dir=clone_dir,
        commit=commit,
        paths=paths,
        sizes=sizes,
        manifests=manifests,
        structure=render_tree(paths),
        profile=profile_repository(paths, manifests),
        config=config,
    )


def _repo_config(text: str) -> dict[str, str]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}
    return {k: v.strip() for k in ("type", "subtype", "prompt_set") if isinstance(v := data.get(k), str) and v.strip()}


def choose_type(
    profile: RepoProfile, table_override: str | None, repo_config: dict[str, str], known_sets: list[str]
) -> TypeChoice:
    """The repository's type and prompt set: the repositories-table override first, then the
    repository's own `.pr-agent/investigation.toml`, then detection.

    An override is a type ("monorepo"), a type and subtype ("backend/nestjs") or a prompt-set
    name ("backend-php"); a set name that does not exist is ignored.
    """
    if table_override and table_override.strip():
        return _from_override(profile, table_override.strip(), known_sets, "repository-table")
    if repo_config.get("prompt_set") in known_sets:
        return _from_set_name(profile, repo_config["prompt_set"], "repository-file")
    if repo_config.get("type"):
        spec = "/".join(filter(None, [repo_config["type"], repo_config.get("subtype")]))
        return _from_override(profile, spec, known_sets, "repository-file")
    prompt_set = choose_prompt_set(profile.repo_type, profile.subtype, profile.primary_language)
    return TypeChoice(profile.repo_type, profile.subtype, prompt_set, "detected")


def _from_override(profile: RepoProfile, spec: str, known_sets: list[str], source: str) -> TypeChoice:
    if spec in known_sets:
        return _from_set_name(profile, spec, source)
    repo_type, _, subtype = spec.lower().partition("/")
    chosen_subtype = subtype or (profile.subtype if repo_type == profile.repo_type else None)
    prompt_set = choose_prompt_set(repo_type, chosen_subtype, profile.primary_language)
    return TypeChoice(repo_type, chosen_subtype, prompt_set, source)


def _from_set_name(profile: RepoProfile, name: str, source: str) -> TypeChoice:
    if name == DEFAULT_SET:
        return TypeChoice(profile.repo_type, profile.subtype, name, source)
    repo_type, _, subtype = name.partition("-")
    return TypeChoice(repo_type, subtype or None, name, source)


def profile_with_choice(profile: RepoProfile, choice: TypeChoice) -> RepoProfile:
    """The profile the document shows: the chosen type, with the override named as evidence."""
    if choice.source == "detected":
        return profile
    note = f"type set to {choice.repo_type}/{choice.subtype or '-'} by the {choice.source.replace('-', ' ')}"
    return replace(
        profile,
        repo_type=choice.repo_type,  # type: ignore[arg-type]
        subtype=choice.subtype or "",
        evidence=[note, *profile.evidence],
    )


def step_fingerprints(prompt_set: PromptSet) -> dict[str, str]:
    """{step id: fingerprint}: a hash of the step's id, version and origin and of every step it
    needs, directly or not. A version bump changes the fingerprint of that step and of everything
    downstream, so exactly those are asked again."""
    keys = {s.id: f"{s.id}@v{s.version}#{s.origin}" for s in prompt_set.steps}
    closure: dict[str, set[str]] = {}
    for step in prompt_set.steps:  # dependency order: every need is closed before its dependents
        closure[step.id] = {step.id}.union(*(closure[n] for n in step.needs))
    return {
        step_id: hashlib.sha256("\n".join(sorted(keys[s] for s in ids)).encode()).hexdigest()[:16]
        for step_id, ids in closure.items()
    }
