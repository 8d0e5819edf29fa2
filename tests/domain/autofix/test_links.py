"""A link fixes the one finding it was signed for, until it expires; its form must come from its page."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

from domain.autofix.links import (
    LinkClaims,
    link_problem,
    link_request_id,
    link_url,
    nonce_problem,
    sign_link,
    sign_nonce,
)

SECRET = "a-link-secret-of-some-length"
CLAIMS = LinkClaims("acme/shop", 7, "F2", "0123456789abcdef", "a" * 40, expires=2_000_000_000)


def test_the_url_carries_the_claims_and_their_signature() -> None:
    url = link_url("https://agent.example.com/", SECRET, CLAIMS)
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("agent.example.com", "/autofix")
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query["repo"] == "acme/shop" and query["finding"] == "F2" and query["sig"] == sign_link(SECRET, CLAIMS)


def test_a_valid_link_passes_and_any_change_breaks_it() -> None:
    signature = sign_link(SECRET, CLAIMS)
    assert link_problem(SECRET, CLAIMS, signature, now=1_000) is None
    for changed in (
        replace(CLAIMS, number=8),
        replace(CLAIMS, marker="f" * 16),
        replace(CLAIMS, expires=2_000_000_001),
    ):
        assert "signature" in (link_problem(SECRET, changed, signature, now=1_000) or "")
    assert "signature" in (link_problem("another-secret-entirely", CLAIMS, signature, now=1_000) or "")


def test_an_expired_link_is_refused() -> None:
    assert "expired" in (link_problem(SECRET, CLAIMS, sign_link(SECRET, CLAIMS), now=2_000_000_001) or "")


def test_one_link_is_one_request() -> None:
    signature = sign_link(SECRET, CLAIMS)
    assert (
        link_request_id(signature)
        == link_request_id(signature)
        != link_request_id(sign_link(SECRET, replace(CLAIMS, finding="F3")))
    )


def test_the_form_needs_its_cookie_its_proof_and_to_be_fresh() -> None:
    signature = sign_link(SECRET, CLAIMS)
    proof = sign_nonce(SECRET, signature, "n0nce", 1_000)
    assert nonce_problem(SECRET, signature, "n0nce", 1_000, proof, "n0nce", now=1_010) is None
    assert "did not come from this page" in (
        nonce_problem(SECRET, signature, "n0nce", 1_000, proof, None, now=1_010) or ""
    )
    assert "proof" in (nonce_problem(SECRET, signature, "n0nce", 1_000, "0" * 64, "n0nce", now=1_010) or "")
    assert "too old" in (nonce_problem(SECRET, signature, "n0nce", 1_000, proof, "n0nce", now=1_000 + 3600) or "")
