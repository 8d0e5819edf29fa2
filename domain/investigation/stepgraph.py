"""The `needs` graph of a prompt set: validation, a stable topological order, change propagation."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# What a step may ask to be shown besides its files (`uses` in set.toml): the repository tree,
# its manifests, and the facts found without an LLM. A fact also makes the files it points at
# candidates for the step.
USES = frozenset({"tree", "manifests", "dependencies", "entry-points", "routes", "http-calls", "topics", "migrations"})


class PromptSetError(ValueError):
    """A prompt set that cannot run: the message names the set, the step and the problem."""


@dataclass(frozen=True)
class StepSpec:
    """One prompt step: one LLM call whose answer becomes one section of the document.

    `version` is bumped by hand whenever the prompt's meaning changes; `needs` lists the steps
    whose answers this step receives (as short summaries). `file_hints` choose its files,
    `line_hints` the lines that matter inside them, `uses` the shared material and detected
    facts it is shown (see USES). `origin` (the set file that defined it) is bookkeeping only
    and takes no part in equality or in the set version.
    """

    id: str
    title: str
    version: int
    prompt: str
    needs: tuple[str, ...] = ()
    budget_tokens: int = 8000
    file_hints: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    line_hints: tuple[str, ...] = ()
    origin: str = field(default="", compare=False)

    def canonical(self) -> dict[str, Any]:
        """Every field that shapes the answer, in a JSON-able form (the input of the set hash)."""
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "prompt": self.prompt,
            "needs": list(self.needs),
            "budget_tokens": self.budget_tokens,
            "file_hints": list(self.file_hints),
            "sections": list(self.sections),
            "uses": list(self.uses),
            "line_hints": list(self.line_hints),
        }


def step_key(step: StepSpec) -> str:
    """The identity of a step's prompt, e.g. "overview@v3": what answers are cached under."""
    return f"{step.id}@v{step.version}"


def order_steps(steps: Sequence[StepSpec], set_name: str) -> list[StepSpec]:
    """Steps in dependency order; among ready steps, declaration order wins (stable output).

    Raises PromptSetError naming the step when a `needs` entry is unknown or the needs form a
    cycle.
    """
    by_id = {s.id: s for s in steps}
    for step in steps:
        for need in step.needs:
            if need not in by_id:
                raise PromptSetError(f"prompt set {set_name!r}: step {step.id!r} needs unknown step {need!r}")
    cycle = find_cycle(steps)
    if cycle:
        path = " -> ".join(cycle)
        raise PromptSetError(f"prompt set {set_name!r}: step {cycle[0]!r} is in a needs cycle: {path}")
    done: set[str] = set()
    ordered: list[StepSpec] = []
    while len(ordered) < len(steps):
        step = next(s for s in steps if s.id not in done and set(s.needs) <= done)
        ordered.append(step)
        done.add(step.id)
    return ordered


def find_cycle(steps: Sequence[StepSpec]) -> list[str]:
    """The first needs cycle met in declaration order, as ids ending where they began; [] if none."""
    needs = {s.id: s.needs for s in steps}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = fully explored

    def visit(node: str, trail: list[str]) -> list[str]:
        state[node] = 1
        trail.append(node)
        for nxt in needs.get(node, ()):
            if state.get(nxt) == 1:
                return [*trail[trail.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt, trail)):
                return found
        trail.pop()
        state[node] = 2
        return []

    for step in steps:
        if step.id not in state and (found := visit(step.id, [])):
            return found
    return []


def propagate_changes(ordered: Sequence[StepSpec], changed: set[str]) -> set[str]:
    """`changed` plus every step that needs one of them, directly or through other steps."""
    result = set(changed)
    for step in ordered:  # dependency order: one pass sees every ancestor before its dependents
        if any(need in result for need in step.needs):
            result.add(step.id)
    return result


def stale_steps(old: Mapping[str, str], ordered: Sequence[StepSpec]) -> set[str]:
    """Steps whose key differs from `old` (or is new), plus everything downstream of them."""
    direct = {s.id for s in ordered if old.get(s.id) != step_key(s)}
    return propagate_changes(ordered, direct)


def step_fingerprints(ordered: Sequence[StepSpec], assembly: str = "") -> dict[str, str]:
    """{step id: fingerprint}: a hash of everything that shapes the step's question (its whole
    spec, prompt text included, and the set file it came from) and of every step it needs,
    directly or not; `assembly` names the version of the code that builds prompts.

    Any edit of a step, even one whose `version` was not bumped, changes the fingerprint of that
    step and of its dependants only, so exactly those are asked again.
    """
    own = {
        s.id: json.dumps([s.canonical(), s.origin, assembly], sort_keys=True, separators=(",", ":")) for s in ordered
    }
    closure: dict[str, set[str]] = {}
    for step in ordered:  # dependency order: every need is closed before its dependents
        closure[step.id] = {step.id}.union(*(closure[n] for n in step.needs))
    return {
        step_id: hashlib.sha256("\n".join(sorted(own[s] for s in ids)).encode()).hexdigest()[:16]
        for step_id, ids in closure.items()
    }
