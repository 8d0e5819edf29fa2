"""ReviewPR's context step: architecture, Jira ticket, related code, house rules, cross-repository
impact — or why each is missing."""

from __future__ import annotations

import asyncio
import logging
import re

import asyncpg
from temporalio import activity

from activities.review_github import ProviderFactory
from activities.review_impact import ImpactAssessor
from clients.jira import fetch_issue
from clients.pull_requests import ReviewProvider, provider_for
from contracts.review import PullRequestSnapshot, ReviewContextInput, ReviewContextResult
from core.settings import Settings
from db.analysis import known_topics, latest_structured_forms, load_review_architecture
from db.jira_tickets import JiraTicketRepository
from domain.jira_issue import acceptance_criteria, ticket_from_issue
from domain.review.context import JiraContext, RelatedSnippet, ReviewContextBundle, find_jira_keys
from domain.rules import REPO_RULES_PATH, default_rules

log = logging.getLogger(__name__)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{3,}")
_RELATED_LIMIT = 6


class ReviewContextActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, providers: ProviderFactory | None = None) -> None:
        self._settings = settings
        self._pool = pool
        self._tickets = JiraTicketRepository(pool)
        self._providers = providers or (lambda pr: provider_for(settings.github, pr))
        self._impact = ImpactAssessor(pool)

    @activity.defn(name="load_review_context")
    async def load_review_context(self, request: ReviewContextInput) -> ReviewContextResult:
        snapshot = request.snapshot
        bundle = ReviewContextBundle()
        result = ReviewContextResult(bundle=bundle)
        provider = self._providers(snapshot.pr)
        await self._architecture(snapshot, result)
        await self._jira(snapshot, bundle)
        await self._related_code(snapshot, bundle)
        await self._rules(snapshot, provider, result)
        await self._packages(result)
        await self._cross_repository(snapshot, provider, result)
        return result

    async def _architecture(self, snapshot: PullRequestSnapshot, result: ReviewContextResult) -> None:
        repo = snapshot.pr.repository
        summary, related = await load_review_architecture(self._pool, repo)
        result.bundle.architecture, result.bundle.related_repos = summary, related
        if summary is None:
            result.bundle.missing.append(f"no architecture analysis yet for {repo}")
        result.known_topics = known_topics(await latest_structured_forms(self._pool))

    async def _jira(self, snapshot: PullRequestSnapshot, bundle: ReviewContextBundle) -> None:
        keys = find_jira_keys(snapshot.title, snapshot.head_ref, snapshot.body)
        if not keys:
            bundle.missing.append("no Jira key in the title, branch or description")
            return
        key = keys[0]
        ticket = await self._tickets.get(key)
        if ticket is None and self._settings.jira.configured:
            try:
                issue = await asyncio.to_thread(fetch_issue, self._settings.jira, key)
            except Exception as error:  # Jira down must not block the review: say so instead
                bundle.missing.append(f"Jira ticket {key} could not be fetched ({type(error).__name__})")
                return
            if issue is not None:
                ticket = ticket_from_issue(issue, self._settings.jira.base_url)
                await self._tickets.upsert(ticket)
        if ticket is None or ticket.deleted:
            why = "not found" if self._settings.jira.configured else "not synced and Jira is not configured"
            bundle.missing.append(f"Jira ticket {key} {why}")
            return
        bundle.jira = JiraContext(
            key, ticket.summary, ticket.status or "unknown", ticket.description, acceptance_criteria(ticket.description)
        )

    async def _related_code(self, snapshot: PullRequestSnapshot, bundle: ReviewContextBundle) -> None:
        repo = snapshot.pr.repository
        indexed = await self._pool.fetchval(
            "SELECT last_indexed_at IS NOT NULL FROM repositories WHERE full_name = $1", repo
        )
        if not indexed:
            bundle.missing.append(f"related code: {repo} is not indexed yet")
            return
        from clients.embeddings import configured_embedder
        from db.code_search import hybrid_search

        embedder = configured_embedder(self._settings.llm)
        changed = {f.path for f in snapshot.files}
        hits = await hybrid_search(self._pool, repo, changed_symbols(snapshot), embedder, limit=_RELATED_LIMIT * 2)
        bundle.related_code = [
            RelatedSnippet(h.path, h.start_line, h.end_line, h.content, float(h.score))
            for h in hits
            if h.path not in changed
        ][:_RELATED_LIMIT]
        if not bundle.related_code:
            bundle.missing.append("related code: nothing in the index matched the change")

    async def _rules(
        self, snapshot: PullRequestSnapshot, provider: ReviewProvider, result: ReviewContextResult
    ) -> None:
        # The overrides come from the branch the PR targets, never from the PR itself: a change must
        # not be able to switch off the rules it is reviewed by.
        try:
            result.rules_override = await asyncio.to_thread(provider.read_file, REPO_RULES_PATH, snapshot.base_ref)
        except Exception as error:  # unreadable override: the house rules still apply
            result.bundle.missing.append(f"repository rules file unreadable ({type(error).__name__})")
        result.bundle.house_rules = [f"{rule.id}: {rule.message}" for rule in default_rules().rules][:20]

    async def _cross_repository(
        self, snapshot: PullRequestSnapshot, provider: ReviewProvider, result: ReviewContextResult
    ) -> None:
        """Who in other repositories uses what the change alters: the summary's section, the model's
        context, findings on the changed lines, and what could not be seen."""
        outcome = await self._impact.assess(snapshot, provider)
        result.bundle.impact_section, result.bundle.impact_prompt = outcome.section, outcome.prompt
        result.bundle.missing.extend(outcome.missing)
        result.impact_findings = outcome.findings

    async def _packages(self, result: ReviewContextResult) -> None:
        rows = await self._pool.fetch(
            """SELECT name, latest_version, deprecated, deprecation_message
               FROM internal_packages WHERE ecosystem = 'npm'"""
        )
        result.internal_packages = {
            r["name"]: {
                "latest_version": r["latest_version"] or "0.0.0",
                "deprecated": r["deprecated"],
                "deprecation_message": r["deprecation_message"],
            }
            for r in rows
        }


def changed_symbols(snapshot: PullRequestSnapshot, limit: int = 40) -> str:
    """The retrieval query: the title plus the identifiers the added lines use, most frequent first."""
    counts: dict[str, int] = {}
    for changed in snapshot.files:
        for line in (changed.patch or "").splitlines():
            if line.startswith("+") and not line.startswith("+++"):
                for word in _IDENTIFIER.findall(line):
                    counts[word] = counts.get(word, 0) + 1
    top = sorted(counts, key=lambda w: (-counts[w], w))[:limit]
    return " ".join([snapshot.title, *top])
