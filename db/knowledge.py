"""Retrieval for the Knowledge Assistant and the dashboard's search: every source, every repository.

Code search is `db/code_search.py`'s hybrid (HNSW cosine + full text, fused by reciprocal rank)
without the one-repository filter. Tickets and GitHub activity are matched by full text computed
on the fly (prefix terms, so "order" finds "orders"): those tables are small next to the chunks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg
import numpy as np

from db.code_search import CANDIDATES_PER_HIT, EF_SEARCH, MIN_CANDIDATES, RRF_K
from domain.embeddings import Embedder
from domain.knowledge.citations import blob_url
from domain.knowledge.evidence import Evidence

_VECTOR_RANKS = """
    SELECT id, row_number() OVER (ORDER BY distance, id) AS rank FROM (
        SELECT id, embedding <=> $1 AS distance FROM code_chunks
        WHERE embedding_model = $2 AND ($5::text IS NULL OR repository_id = (
            SELECT id FROM repositories WHERE full_name = $5))
        ORDER BY embedding <=> $1 LIMIT $3
    ) nearest"""
_TEXT_RANKS = """
    SELECT id, row_number() OVER (ORDER BY score DESC, id) AS rank FROM (
        SELECT id, ts_rank(search_text, q, 1) AS score
        FROM code_chunks, to_tsquery('simple', $4) AS q
        WHERE search_text @@ q AND ($5::text IS NULL OR repository_id = (
            SELECT id FROM repositories WHERE full_name = $5))
        ORDER BY score DESC LIMIT $3
    ) matching"""
_FUSED = f"""
    WITH ranks AS ({_VECTOR_RANKS} UNION ALL {_TEXT_RANKS}),
    fused AS (SELECT id, sum(1.0 / ($6 + rank)) AS score FROM ranks GROUP BY id)
    SELECT r.full_name, r.html_url, r.clone_url, c.path, c.start_line, c.end_line, c.symbol, c.content,
           c.commit_sha, f.score::float8 AS score
    FROM fused f JOIN code_chunks c ON c.id = f.id JOIN repositories r ON r.id = c.repository_id
    ORDER BY f.score DESC, r.full_name, c.path, c.start_line
    LIMIT $7"""


def web_url(html_url: str | None, clone_url: str | None) -> str | None:
    """A repository's web address: GitHub's html_url, or its https clone URL without `.git`."""
    if html_url:
        return html_url
    if clone_url and clone_url.startswith("https://"):
        return clone_url.removesuffix(".git")
    return None


_SUFFIXES = ("ing", "ies", "es", "ed", "s")


def word_stem(term: str) -> str:
    """A crude stem for prefix matching: "refunds" and "refunded" both search "refund:*"."""
    for suffix in _SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= 4:
            return term[: -len(suffix)]
    return term


def prefix_query(terms: Sequence[str]) -> str:
    """A `to_tsquery('simple', ...)` matching any term's stem as a word prefix ('' when none)."""
    stems = dict.fromkeys(word_stem(term) for term in terms if term.isalnum())
    return " | ".join(f"{stem}:*" for stem in stems)


async def search_code(
    pool: asyncpg.Pool,
    query_text: str,
    terms: Sequence[str],
    embedder: Embedder,
    limit: int,
    repository: str | None = None,
) -> list[Evidence]:
    """The `limit` chunks that best match, across every repository (or only `repository`)."""
    if limit < 1 or not query_text.strip():
        return []
    [vector] = await embedder.embed([query_text])
    candidates = max(MIN_CANDIDATES, limit * CANDIDATES_PER_HIT)
    # A query without usable words still needs a valid tsquery: one that matches nothing.
    text = prefix_query(terms) or "''"
    args = (np.asarray(vector, dtype=np.float32), embedder.name, candidates, text, repository, RRF_K, limit)
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        await conn.execute(f"SET LOCAL hnsw.ef_search = {EF_SEARCH}")
        rows = await conn.fetch(_FUSED, *args)
    return [_code_evidence(row) for row in rows]


def _code_evidence(row: asyncpg.Record) -> Evidence:
    repo, path, start, end = row["full_name"], row["path"], row["start_line"], row["end_line"]
    site = web_url(row["html_url"], row["clone_url"])
    title = f"{path} lines {start}-{end}" + (f" ({row['symbol']})" if row["symbol"] else "")
    return Evidence(
        kind="code",
        ref=f"{repo}:{path}:{start}-{end}",
        title=title,
        excerpt=row["content"],
        repository=repo,
        url=blob_url(site, row["commit_sha"], path, start, end),
        score=float(row["score"]),
        path=path,
        start_line=start,
        end_line=end,
        commit_sha=row["commit_sha"],
        repo_url=site,
    )


async def search_tickets(pool: asyncpg.Pool, terms: Sequence[str], keys: Sequence[str], limit: int) -> list[Evidence]:
    """Tickets named in the question first, then those whose text matches best."""
    rows = await pool.fetch(
        """SELECT key, summary, description, status, issue_type, url,
                  (key = ANY($2::text[])) AS named,
                  CASE WHEN $1 = '' THEN 0 ELSE ts_rank(doc, to_tsquery('simple', $1)) END AS score
           FROM (SELECT *, to_tsvector('simple', key || ' ' || summary || ' ' || coalesce(description, '')
                        || ' ' || array_to_string(labels, ' ')) AS doc
                 FROM jira_tickets WHERE NOT deleted) t
           WHERE key = ANY($2::text[]) OR ($1 <> '' AND doc @@ to_tsquery('simple', $1))
           ORDER BY named DESC, score DESC, key LIMIT $3""",
        prefix_query(terms),
        list(keys),
        limit,
    )
    return [_ticket_evidence(row) for row in rows]


def _ticket_evidence(row: asyncpg.Record) -> Evidence:
    kind, status = row["issue_type"] or "ticket", row["status"] or "unknown status"
    return Evidence(
        kind="ticket",
        ref=row["key"],
        title=f"{row['summary']} ({kind}, {status})",
        excerpt=(row["description"] or "").strip(),
        url=row["url"],
        score=float(row["score"]),
    )


@dataclass(frozen=True)
class PullMention:
    repository: str | None  # None: "#42" without a repository
    number: int


async def search_activity(
    pool: asyncpg.Pool, terms: Sequence[str], pulls: Sequence[PullMention], limit: int
) -> list[Evidence]:
    """Pull requests named in the question first, then commits and pull requests matching best."""
    rows = await pool.fetch(
        """SELECT repository, activity_type, external_id, author, title, url, branch, occurred_at,
                  (activity_type = 'pull_request' AND external_id = ANY($2::text[])
                   AND (repository = ANY($3::text[]) OR cardinality($3::text[]) = 0)) AS named,
                  CASE WHEN $1 = '' THEN 0 ELSE ts_rank(doc, to_tsquery('simple', $1)) END AS score
           FROM (SELECT *, to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(author, '') || ' '
                        || coalesce(branch, '') || ' ' || repository) AS doc FROM github_activity) a
           WHERE (activity_type = 'pull_request' AND external_id = ANY($2::text[]))
              OR ($1 <> '' AND doc @@ to_tsquery('simple', $1))
           ORDER BY named DESC, score DESC, occurred_at DESC NULLS LAST LIMIT $4""",
        prefix_query(terms),
        [str(p.number) for p in pulls],
        [p.repository for p in pulls if p.repository],
        limit,
    )
    return [_activity_evidence(row) for row in rows]


def _activity_evidence(row: asyncpg.Record) -> Evidence:
    repo, kind, external = row["repository"], row["activity_type"], row["external_id"]
    when = row["occurred_at"].date().isoformat() if row["occurred_at"] else "date unknown"
    who = row["author"] or "unknown author"
    if kind == "pull_request":
        title = f"pull request #{external} by {who}, {when}"
        ref, sha = f"{repo}#{external}", None
    else:
        title, ref, sha = f"commit {external[:10]} by {who}, {when}", f"{repo}@{external[:10]}", external
    return Evidence(
        kind=kind,
        ref=ref,
        title=title,
        excerpt=row["title"] or "",
        repository=repo,
        url=row["url"],
        score=float(row["score"]),
        commit_sha=sha,
    )


@dataclass(frozen=True)
class ArchitectureDocument:
    repository: str
    commit_sha: str
    document: str
    repo_url: str | None


async def latest_documents(pool: asyncpg.Pool) -> list[ArchitectureDocument]:
    """The newest architecture document of every investigated repository."""
    rows = await pool.fetch(
        """SELECT DISTINCT ON (r.full_name) r.full_name, a.commit_sha, a.document, r.html_url, r.clone_url
           FROM repo_analysis_cache a JOIN repositories r ON r.id = a.repository_id
           ORDER BY r.full_name, a.created_at DESC, a.id DESC"""
    )
    return [
        ArchitectureDocument(r["full_name"], r["commit_sha"], r["document"], web_url(r["html_url"], r["clone_url"]))
        for r in rows
    ]
