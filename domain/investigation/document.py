"""The finished investigation: `arch.md` for people and a structured form for the review.

Nothing here writes prose of its own about the repository: the document holds the deterministic
sections, the model's answers as given, and a plain "Skipped: <reason>" where a step has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from domain.investigation.context import related_repos_summary, review_context_summary
from domain.investigation.deterministic import RepoFacts
from domain.investigation.markdown import shift_headings
from domain.investigation.promptsets import PromptSet
from domain.investigation.sections import DETERMINISTIC_TITLES, NONE

__all__ = [
    "STRUCTURED_SCHEMA_VERSION",
    "parse_front_matter",
    "related_repos_summary",
    "render_arch_md",
    "review_context_summary",
    "structured_form",
]

STRUCTURED_SCHEMA_VERSION = 1
NO_ANSWER = "no answer was recorded for this step"


def render_arch_md(
    repo: str,
    commit: str,
    date_iso: str,
    model: str | None,
    prompt_set: PromptSet,
    deterministic: Mapping[str, str],
    step_answers: Mapping[str, str | None],
    skipped: Mapping[str, str],
) -> str:
    """The architecture document: YAML front matter, deterministic sections, then each step.

    A step without a non-empty answer renders as "Skipped: <reason>" (its entry in `skipped`,
    else a note that no answer was recorded). Answers are kept verbatim apart from heading levels.
    """
    meta = {
        "repository": repo,
        "commit": commit,
        "date": date_iso,
        "model": model,
        "prompt_set": prompt_set.name,
        "prompt_set_version": prompt_set.version,
        "prompt_versions": prompt_set.step_keys(),
        "skipped_steps": [s.id for s in prompt_set.steps if not _answer(step_answers, s.id)],
    }
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=False)
    parts = [f"---\n{front}---", f"# Architecture of {repo}"]
    for key, body in deterministic.items():
        parts.append(f"## {DETERMINISTIC_TITLES.get(key, key)}\n\n{body.strip() or NONE}")
    for step in prompt_set.steps:
        parts.append(f"## {step.title}\n\n{_step_body(step.id, step_answers, skipped)}")
    return "\n\n".join(parts) + "\n"


def _answer(step_answers: Mapping[str, str | None], step_id: str) -> str:
    return (step_answers.get(step_id) or "").strip()


def _step_body(step_id: str, answers: Mapping[str, str | None], skipped: Mapping[str, str]) -> str:
    answer = _answer(answers, step_id)
    if answer:
        # Steps answer with ### headings; shifting keeps them under this step's ## heading.
        return shift_headings(answer, 3)
    reason = " ".join((skipped.get(step_id) or NO_ANSWER).split())
    return f"Skipped: {reason}"


def parse_front_matter(markdown: str) -> dict[str, Any]:
    """The YAML front matter of a document written by render_arch_md ({} when there is none).

    Its "prompt_versions" entry is the `old` argument changed_steps expects.
    """
    if not markdown.startswith("---\n"):
        return {}
    end = markdown.find("\n---", 4)
    if end < 0:
        return {}
    data = yaml.safe_load(markdown[4:end])
    return data if isinstance(data, dict) else {}


def structured_form(
    repo: str,
    commit: str,
    facts: RepoFacts,
    step_answers: Mapping[str, str | None],
    prompt_set: PromptSet | None = None,
    skipped: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A JSON-able summary for machines: type, stack, APIs, topics, dependencies, step answers."""
    return {
        "schema_version": STRUCTURED_SCHEMA_VERSION,
        "repository": repo,
        "commit": commit,
        "type": facts.repo_type,
        "subtype": facts.subtype,
        "primary_language": facts.primary_language,
        "languages": list(facts.languages),
        "frameworks": list(facts.frameworks),
        "databases": list(facts.databases),
        "entry_points": list(facts.entry_points),
        "dependencies": [
            {"name": d.name, "version": d.version, "ecosystem": d.ecosystem, "scope": d.scope, "manifest": d.manifest}
            for d in facts.dependencies
        ],
        "apis": [
            {"method": a.method, "path": a.path, "framework": a.framework, "location": a.location} for a in facts.apis
        ],
        "http_calls": [
            {"method": c.method, "url": c.url, "host": c.host, "path": c.path, "location": c.location}
            for c in facts.calls
        ],
        "topics": _topics(facts),
        "prompt_set": _prompt_set(prompt_set),
        "steps": {key: (value or None) for key, value in step_answers.items()},
        "skipped": dict(skipped or {}),
    }


def _topics(facts: RepoFacts) -> dict[str, Any]:
    def names(direction: str) -> list[str]:
        return sorted({t.name for t in facts.topics if t.direction == direction})

    return {
        "published": names("publish"),
        "subscribed": names("subscribe"),
        "referenced": names("unknown"),
        "details": [
            {"name": t.name, "direction": t.direction, "system": t.system, "kind": t.kind, "location": t.location}
            for t in facts.topics
        ],
    }


def _prompt_set(prompt_set: PromptSet | None) -> dict[str, Any] | None:
    if prompt_set is None:
        return None
    return {"name": prompt_set.name, "version": prompt_set.version, "steps": prompt_set.step_keys()}
