"""What an investigation reads from a repository at one commit, and the decisions taken from it.

The git reads are blocking (they run `git`), so the activities call them through a thread. The
decisions (which type, which prompt set) are pure functions.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from clients.git import GitError, head_commit, list_tree, read_file
from clients.git_batch import read_blobs, tree_entries
from domain.investigation.deterministic import ProfileLike, RepoFacts, collect_facts, detection_candidates
from domain.investigation.promptsets import DEFAULT_SET, choose_prompt_set
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
class RepoEvidence:
    """The source files the detectors read at one commit (tests and noise left out, within the
    worker's limits) and the facts found in them: read once per commit, shared by every step."""

    texts: dict[str, str]
    facts: RepoFacts


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


def read_many(clone_dir: Path, commit: str, paths: list[str]) -> dict[str, str]:
    """{path: text} of `paths` at `commit` through one `ls-tree` and one `cat-file --batch`, in the
    order given (hundreds of files would otherwise cost a `git` process each)."""
    entries = tree_entries(clone_dir, commit, paths)
    wanted = [entries[p] for p in paths if p in entries and entries[p].regular_file]
    blobs = read_blobs(clone_dir, [entry.oid for entry in wanted])
    return {entry.path: blobs[entry.oid].decode("utf-8", "replace") for entry in wanted}


def read_evidence(
    snapshot: RepoSnapshot, profile: ProfileLike | None, *, max_files: int, max_file_bytes: int
) -> RepoEvidence:
    """Read the detection candidates (at most `max_files`, none over `max_file_bytes`) and run the
    detectors on them (blocking: call in a thread)."""
    candidates = [p for p in detection_candidates(snapshot.paths) if snapshot.sizes.get(p, 0) <= max_file_bytes]
    texts = read_many(snapshot.clone_dir, snapshot.commit, candidates[:max_files])
    return RepoEvidence(texts, collect_facts(snapshot.paths, snapshot.manifests, texts, profile))


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
