"""Ranking evidence from several sources into one list, and cutting documents into sections.

Each source (code, architecture documents, tickets, GitHub activity) ranks its own hits; the lists
are fused by reciprocal rank (1 / (K + rank)), plus how much of the question an item covers (so a
ticket matching every word beats a chunk matching one), plus a large boost for an item the
question names outright (a ticket key, `owner/repo#42`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from domain.knowledge.evidence import Evidence, EvidenceKind

RRF_K = 60
MENTION_BOOST = 1.0
_TERM = re.compile(r"[A-Za-z0-9]+")
_STOPWORDS = frozenset(
    {"a", "about", "an", "and", "any", "are", "as", "at", "be", "by", "can", "do", "does", "did", "for", "from",
     "has", "have", "how", "i", "in", "is", "it", "its", "me", "of", "on", "or", "our", "should", "tell", "that",
     "the", "their", "there", "this", "to", "us", "we", "what", "when", "where", "which", "who", "why", "with",
     "work", "works"}
)  # fmt: skip
# Ties in score list the most specific evidence first.
_KIND_ORDER: dict[EvidenceKind, int] = {"ticket": 0, "pull_request": 1, "code": 2, "architecture": 3, "commit": 4}
_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")


def question_terms(question: str, limit: int = 32) -> list[str]:
    """The question's distinct words, lowercased, without stopwords and one-letter words."""
    terms: list[str] = []
    for term in _TERM.findall(question.lower()):
        if len(term) > 1 and term not in _STOPWORDS and term not in terms:
            terms.append(term)
    return terms[:limit]


def coverage(terms: Sequence[str], text: str) -> float:
    """The share of `terms` that occur as words (or word prefixes, "order" in "orders") in `text`."""
    if not terms:
        return 0.0
    words = {w.lower() for w in _TERM.findall(text)}
    found = sum(1 for term in terms if any(word.startswith(term) for word in words))
    return found / len(terms)


def fuse(
    sources: Iterable[Sequence[Evidence]], terms: Sequence[str], mentioned: set[str], limit: int
) -> list[Evidence]:
    """One ranked list from per-source ranked lists; an item found twice keeps its best score."""
    best: dict[str, Evidence] = {}
    for items in sources:
        for rank, item in enumerate(items, start=1):
            score = 1.0 / (RRF_K + rank) + coverage(terms, f"{item.title}\n{item.excerpt}") / (RRF_K + 1)
            if mentioned & _names(item):
                score += MENTION_BOOST
            if item.ref not in best or best[item.ref].score < score:
                best[item.ref] = replace(item, score=round(score, 6))
    ranked = sorted(best.values(), key=lambda e: (-e.score, _KIND_ORDER[e.kind], e.ref))
    return ranked[:limit]


def _names(item: Evidence) -> set[str]:
    """How a question could name this item outright."""
    names = {item.ref}
    if item.kind == "pull_request" and "#" in item.ref:
        names.add("#" + item.ref.rsplit("#", 1)[1])
    return names


@dataclass(frozen=True)
class Section:
    title: str
    slug: str
    body: str


def document_sections(document: str) -> list[Section]:
    """A Markdown document cut at its level 1-3 headings (front matter and code fences respected)."""
    text = _without_front_matter(document)
    sections: list[Section] = []
    lines: list[str] = []
    title, in_fence = "Overview", False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match:
            sections.append(Section(title, slugify(title), "\n".join(lines).strip()))
            title, lines = match.group(2), []
        else:
            lines.append(line)
    sections.append(Section(title, slugify(title), "\n".join(lines).strip()))
    return [s for s in sections if s.body]


def slugify(title: str) -> str:
    """An anchor name for a heading: lowercase words joined by hyphens."""
    return "-".join(_TERM.findall(title.lower())) or "section"


def best_sections(sections: Sequence[Section], terms: Sequence[str], limit: int) -> list[tuple[Section, float]]:
    """The sections covering most of the question's terms (only those covering any), best first."""
    scored = [(s, coverage(terms, f"{s.title}\n{s.body}")) for s in sections]
    matching = [(s, c) for s, c in scored if c > 0]
    return sorted(matching, key=lambda pair: -pair[1])[:limit]


def _without_front_matter(document: str) -> str:
    if document.startswith("---\n"):
        end = document.find("\n---", 4)
        if end >= 0:
            return document[end + 4 :].lstrip("-\n")
    return document
