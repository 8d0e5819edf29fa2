"""The signed "Auto-fix" links a posted review shows next to each finding (when configured)."""

from __future__ import annotations

import time

from core.settings import AutofixSettings
from domain.autofix.links import LinkClaims, link_url
from domain.findings import Finding
from domain.review.finding_ids import number_findings


def autofix_links(
    settings: AutofixSettings, repository: str, number: int, head_sha: str, findings: list[Finding]
) -> dict[str, str]:
    """finding marker → its link; empty unless AUTOFIX_LINK_SECRET and AUTOFIX_LINK_BASE_URL are set."""
    if not settings.enabled or settings.link_secret is None or settings.link_base_url is None:
        return {}
    secret, base = settings.link_secret.get_secret_value(), settings.link_base_url
    expires = int(time.time() + settings.link_ttl_hours * 3600)
    links = {}
    for item in number_findings(findings):
        claims = LinkClaims(repository, number, item.id, item.marker, head_sha, expires)
        links[item.marker] = link_url(base, secret, claims)
    return links
