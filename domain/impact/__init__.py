"""Cross-repository impact, pure: what a change alters at its edges and who elsewhere uses it.

The review calls, in order:
1. `context_paths(head_paths, changed_paths)` → unchanged head files to fetch as context;
2. `assess_impact(ChangeSet(repo, files, context), facts, repositories)` → `ImpactReport`
   (edge changes, findings with evidence, freshness notes);
3. `impact_section(report)` for the summary, `impact_prompt_context(report)` for the model.
Facts come from `extract_facts(repo, commit, files)`, run where an index or investigation pass
has the files, stored with `facts_to_json` and read back with `facts_from_json`.
"""

from domain.impact.assess import ImpactReport, assess_impact, change_input, context_paths
from domain.impact.edges import edge_changes
from domain.impact.extract import extract_facts, facts_input
from domain.impact.facts import (
    FACTS_SCHEMA_VERSION,
    DependencyFact,
    HttpCallFact,
    ImportFact,
    RepositoryFacts,
    TableFact,
    TopicFact,
    facts_from_json,
    facts_to_json,
)
from domain.impact.freshness import FreshnessNote, RepositoryState, freshness_notes
from domain.impact.impacts import Evidence, ImpactFinding, find_impacts
from domain.impact.model import ChangedFile, ChangeSet, Edge, EdgeChange, ShapeField
from domain.impact.render import SECTION_TITLE, impact_prompt_context, impact_section
from domain.impact.scoring import ExpectedImpact, ImpactScore, score_impacts

__all__ = [
    "FACTS_SCHEMA_VERSION",
    "SECTION_TITLE",
    "ChangeSet",
    "ChangedFile",
    "DependencyFact",
    "Edge",
    "EdgeChange",
    "Evidence",
    "ExpectedImpact",
    "FreshnessNote",
    "HttpCallFact",
    "ImpactFinding",
    "ImpactReport",
    "ImpactScore",
    "ImportFact",
    "RepositoryFacts",
    "RepositoryState",
    "ShapeField",
    "TableFact",
    "TopicFact",
    "assess_impact",
    "change_input",
    "context_paths",
    "edge_changes",
    "extract_facts",
    "facts_from_json",
    "facts_input",
    "facts_to_json",
    "find_impacts",
    "freshness_notes",
    "impact_prompt_context",
    "impact_section",
    "score_impacts",
]
