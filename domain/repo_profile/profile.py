"""profile_repository: the deterministic first look at a repository, before any LLM."""

from __future__ import annotations

from domain.repo_profile.classify import Signals, classify
from domain.repo_profile.detect import (
    count_languages,
    detect_databases,
    detect_frameworks,
    find_entry_points,
    indexable_paths,
)
from domain.repo_profile.manifests import parse_manifests
from domain.repo_profile.model import RepoProfile
from domain.repo_profile.monorepo import find_layout, package_roots


def profile_repository(paths: list[str], manifests: dict[str, str]) -> RepoProfile:
    """Profile a repository from all its paths and the text of its manifests.

    `manifests` maps the paths for which `is_manifest` is true to their text (missing ones are
    simply not used). Pure and deterministic: the same input always gives the same profile.
    """
    own_paths = indexable_paths(paths)
    facts = parse_manifests(manifests)
    languages = count_languages(own_paths)
    primary = next(iter(languages), None)
    frameworks, scopes = detect_frameworks(facts)
    databases = detect_databases(facts)
    layout = find_layout(own_paths, facts)
    entry_points = find_entry_points(own_paths, facts, package_roots(own_paths))
    signals = Signals(
        paths=own_paths,
        languages=languages,
        primary_language=primary,
        frameworks=frameworks.values,
        framework_scopes=scopes,
        databases=databases.values,
        facts=facts,
        layout=layout,
        entry_points=entry_points,
    )
    repo_type, subtype, reasons = classify(signals)
    evidence = [f"classified as {repo_type}/{subtype}", *reasons]
    if primary is not None:
        evidence.append(f"{languages[primary]} of {sum(languages.values())} code files are {primary}")
    evidence += frameworks.evidence + databases.evidence
    evidence += [f"{path} could not be parsed" for path in facts.unreadable]
    return RepoProfile(
        primary_language=primary,
        languages=languages,
        frameworks=frameworks.values,
        databases=databases.values,
        repo_type=repo_type,
        subtype=subtype,
        packages=layout.packages,
        entry_points=entry_points,
        evidence=evidence,
    )
