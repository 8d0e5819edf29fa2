"""The signed "Auto-fix" link of a finding, and the nonce of its confirmation form.

A link names one finding of one pull request at one head and expires; its signature is an
HMAC-SHA256 over exactly those fields with AUTOFIX_LINK_SECRET, so nobody can make a link for
another finding, pull request or time. Opening it only shows a confirmation page. The page's form
carries a fresh nonce, signed together with the link's signature and the time it was issued, and the
same nonce goes into a SameSite=Strict cookie: a form posted from another site carries no cookie,
and an old form expires. A link starts at most one fix (its request id is derived from its signature).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import urlencode

NONCE_TTL_SECONDS = 15 * 60
_REPOSITORY = re.compile(r"^[\w.-]+/[\w.-]+$")
_HEX = re.compile(r"^[0-9a-f]+$")


@dataclass(frozen=True)
class LinkClaims:
    repository: str
    number: int
    finding: str  # the id the review shows ("F3")
    marker: str  # the finding's hash (what the fix resolves; stable across heads)
    head_sha: str  # the head the review was of
    expires: int  # unix seconds

    def canonical(self) -> bytes:
        fields = ("autofix-link-v1", self.repository, str(self.number), self.finding, self.marker, self.head_sha)
        return "\n".join((*fields, str(self.expires))).encode()

    def query(self) -> dict[str, str]:
        return {
            "repo": self.repository,
            "pr": str(self.number),
            "finding": self.finding,
            "marker": self.marker,
            "head": self.head_sha,
            "expires": str(self.expires),
        }


def sign_link(secret: str, claims: LinkClaims) -> str:
    return hmac.new(secret.encode(), claims.canonical(), hashlib.sha256).hexdigest()


def link_url(base_url: str, secret: str, claims: LinkClaims) -> str:
    """The page of the API that confirms and starts the fix of `claims.finding`."""
    query = {**claims.query(), "sig": sign_link(secret, claims)}
    return f"{base_url.rstrip('/')}/autofix?{urlencode(query)}"


def link_problem(secret: str, claims: LinkClaims, signature: str, now: float) -> str | None:
    """Why the link must not be honoured (bad shape, bad signature, expired), or None."""
    if not _REPOSITORY.match(claims.repository) or claims.number < 1 or not _HEX.match(claims.head_sha):
        return "the link is malformed"
    if not hmac.compare_digest(sign_link(secret, claims), signature or ""):
        return "the link's signature does not match (it was changed, or signed with another key)"
    if claims.expires < now:
        return "the link has expired: ask with a `/auto-fix` comment on the pull request instead"
    return None


def link_request_id(signature: str) -> str:
    """The request id of a link's fix: one link, at most one fix."""
    return f"link-{signature[:24]}"


def sign_nonce(secret: str, signature: str, nonce: str, issued: int) -> str:
    message = "\n".join(("autofix-form-v1", signature, nonce, str(issued))).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def nonce_problem(
    secret: str, signature: str, nonce: str, issued: int, proof: str, cookie: str | None, now: float
) -> str | None:
    """Why a posted confirmation form must be refused, or None."""
    if not nonce or cookie is None or not hmac.compare_digest(nonce, cookie):
        return "the form did not come from this page (open the link again)"
    if not hmac.compare_digest(sign_nonce(secret, signature, nonce, issued), proof or ""):
        return "the form's proof does not match (open the link again)"
    if not 0 <= now - issued <= NONCE_TTL_SECONDS:
        return "the form is too old (open the link again)"
    return None
