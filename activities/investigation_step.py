"""One step's question: the files its topic selects, the facts it uses, the answers it needs.

Everything comes from material read once per commit (the snapshot and the detectors' evidence),
so a step asked again after a crash is asked exactly the same question, and no step pays for
reading the repository again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from activities.investigation_repo import RepoEvidence, RepoSnapshot, read_files
from domain.investigation.grounding import build_step_messages, file_budget, select_files
from domain.investigation.stepgraph import StepSpec


@dataclass(frozen=True)
class StepQuestion:
    """The messages of one step and the whole texts of the files chosen for it (the prompt shows
    them trimmed; citations in the answer are checked against the whole files)."""

    messages: list[dict[str, str]]
    contents: dict[str, str]


def index_words(step: StepSpec) -> list[str]:
    """Words to rank the code index by, for a step whose topic finds no file by hints or facts."""
    return " ".join([step.id.replace("-", " "), step.title, *step.sections]).lower().split()


def step_question(
    step: StepSpec,
    repository: str,
    snapshot: RepoSnapshot,
    evidence: RepoEvidence,
    answers: Mapping[str, str | None],
    ranked: Sequence[str] = (),
) -> StepQuestion:
    """Choose the step's files within its budget and assemble its messages (blocking: a chosen
    file the detectors did not read is read from git)."""
    budget = file_budget(step, snapshot.structure, snapshot.manifests, answers)
    chosen = select_files(
        step,
        snapshot.paths,
        snapshot.sizes,
        budget,
        ranked,
        snapshot.profile.entry_points,
        facts=evidence.facts,
        texts=evidence.texts,
    )
    contents = _contents(snapshot, evidence, chosen)
    messages = build_step_messages(
        step, repository, snapshot.commit, snapshot.structure, snapshot.manifests, contents, answers, evidence.facts
    )
    return StepQuestion(messages, contents)


def _contents(snapshot: RepoSnapshot, evidence: RepoEvidence, paths: list[str]) -> dict[str, str]:
    """{path: text} of `paths` in their order, from the evidence where it holds them."""
    missing = [p for p in paths if p not in evidence.texts]
    read = read_files(snapshot.clone_dir, snapshot.commit, missing) if missing else {}
    found = {**read, **{p: evidence.texts[p] for p in paths if p in evidence.texts}}
    return {p: found[p] for p in paths if p in found}
