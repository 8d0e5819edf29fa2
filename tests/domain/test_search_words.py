"""Cutting identifiers and paths into the words people search for (the query side of full text)."""

from __future__ import annotations

import pytest

from domain.search_words import query_terms, search_words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("AuthMiddleware", "Auth Middleware"),
        ("src/user/auth.middleware.ts", "src user auth middleware ts"),
        ("find_user_by_email", "find user by email"),
        ("createPaymentIntent()", "create Payment Intent "),
        ("XMLHttpRequest", "XML Http Request"),
        ("parseHTTPResponse", "parse HTTP Response"),
        ("kebab-case-name", "kebab case name"),
        ("App\\Core\\Application::run", "App Core Application run"),
        ("v2Api oauth2", "v2 Api oauth2"),
        ("$this->books->getAllBooks($limit)", " this books get All Books limit "),
    ],
)
def test_identifiers_and_paths_are_cut_into_words(text: str, words: str) -> None:
    assert search_words(text) == words


def test_query_terms_are_lower_case_distinct_and_without_question_words() -> None:
    assert query_terms("How is the user_service findUserByEmail?") == ["user", "service", "find", "email"]
    assert query_terms("where is the JWT verified") == ["jwt", "verified"]
    assert query_terms("AuthMiddleware") == ["auth", "middleware"]
    assert query_terms("a & b | !c") == []
    assert len(query_terms(" ".join(f"word{n}" for n in range(50)))) == 32
