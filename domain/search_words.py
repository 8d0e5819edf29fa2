"""How code is cut into words for full-text search, the way people search for it.

`AuthMiddleware` is searched as "auth middleware", `src/user/auth.middleware.ts` as "src user
auth middleware ts", `find_user_by_email` as "find user by email". PostgreSQL's own parser keeps
camelCase words whole and reads dotted names and paths as single host or file tokens, so stored
text goes through `code_search_words(text)` (migrations/005_retrieval.sql) before `to_tsvector`,
and queries through `search_words` here: the two must cut alike, and a database test holds them
to it.
"""

from __future__ import annotations

import re

# The same three steps, in the same order, as the SQL function code_search_words.
_LOWER_THEN_UPPER = re.compile(r"([a-z0-9])([A-Z])")  # fooBar -> foo Bar, v2Api -> v2 Api
_ACRONYM_THEN_WORD = re.compile(r"([A-Z]+)([A-Z][a-z])")  # HTTPServer -> HTTP Server
_SEPARATORS = re.compile(r"[!-/:-@\[-`{-~\s]+")  # ASCII punctuation and spaces: _ - . / : @ ...

_MAX_QUERY_TERMS = 32
# Words of questions, not of code: "where is the user loaded" should search for user and loaded.
_QUERY_STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "i", "in", "is", "it",
     "of", "on", "or", "that", "the", "this", "to", "what", "when", "where", "which", "who", "why", "with"}
)  # fmt: skip


def search_words(text: str) -> str:
    """`text` with identifiers split into words and punctuation turned into spaces (case kept)."""
    text = _LOWER_THEN_UPPER.sub(r"\1 \2", text)
    text = _ACRONYM_THEN_WORD.sub(r"\1 \2", text)
    return _SEPARATORS.sub(" ", text)


def query_terms(query: str) -> list[str]:
    """The distinct lower-case search terms of a query, in order, without question words and
    single letters (at most 32)."""
    terms: list[str] = []
    for word in search_words(query).lower().split():
        if len(word) > 1 and word not in _QUERY_STOPWORDS and word not in terms:
            terms.append(word)
    return terms[:_MAX_QUERY_TERMS]
