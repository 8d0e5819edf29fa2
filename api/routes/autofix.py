"""The "Auto-fix" link of a review's finding: `GET /autofix` confirms, `POST /autofix` starts.

A plain GET starts nothing (link previews, crawlers and prefetching browsers open links): it checks
the link's signature and expiry and answers a confirmation page whose form carries a signed nonce,
also set as a SameSite=Strict cookie. The POST starts AutoFixPR only when the link is still valid
and the form's nonce, proof and cookie agree (domain/autofix/links.py says why that is CSRF-safe).
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.autofix_page import HEADERS, confirm_page, refused_page, started_page
from api.deps import ResourcesDep
from contracts.autofix import AutofixRequest
from contracts.starts import autofix_pr_start
from core.temporal.client import start_workflow
from domain.autofix.links import (
    NONCE_TTL_SECONDS,
    LinkClaims,
    link_problem,
    link_request_id,
    nonce_problem,
    sign_nonce,
)
from intake.webhooks import TEMPORAL_UNAVAILABLE_ERRORS

router = APIRouter(tags=["autofix"])
COOKIE = "pr_agent_autofix_nonce"
MAX_FORM_BYTES = 4_096


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def _claims(values: dict[str, str]) -> tuple[LinkClaims, str] | None:
    try:
        claims = LinkClaims(
            repository=values["repo"],
            number=int(values["pr"]),
            finding=values["finding"],
            marker=values["marker"],
            head_sha=values["head"],
            expires=int(values["expires"]),
        )
    except (KeyError, ValueError):
        return None
    return claims, values.get("sig", "")


def _secret(resources: ResourcesDep) -> str | None:
    settings = resources.settings.autofix
    if not settings.enabled or settings.link_secret is None:
        return None
    return settings.link_secret.get_secret_value()


@router.get("/autofix", response_class=HTMLResponse)
async def confirm_autofix(request: Request, resources: ResourcesDep) -> HTMLResponse:
    """Confirmation page of a signed Auto-fix link (starts nothing)."""
    secret = _secret(resources)
    if secret is None:
        return _html(refused_page("Auto-fix links are not enabled on this PR Agent."), 404)
    parsed = _claims(dict(request.query_params))
    if parsed is None:
        return _html(refused_page("The link is incomplete."), 400)
    claims, signature = parsed
    problem = link_problem(secret, claims, signature, time.time())
    if problem:
        return _html(refused_page(problem[:1].upper() + problem[1:] + "."), 403)
    nonce, issued = secrets.token_urlsafe(24), int(time.time())
    page = _html(confirm_page(claims, signature, nonce, issued, sign_nonce(secret, signature, nonce, issued)))
    page.set_cookie(
        COOKIE,
        nonce,
        max_age=NONCE_TTL_SECONDS,
        path="/autofix",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return page


@router.post("/autofix", response_class=HTMLResponse)
async def start_autofix(request: Request, resources: ResourcesDep) -> HTMLResponse:
    """Start the fix a confirmed Auto-fix form asks for (one link starts at most one fix)."""
    secret = _secret(resources)
    if secret is None:
        return _html(refused_page("Auto-fix links are not enabled on this PR Agent."), 404)
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return _html(refused_page("The form is too large."), 413)
    form = {key: values[0] for key, values in parse_qs(body.decode("utf-8", "replace")).items()}
    parsed = _claims(form)
    if parsed is None:
        return _html(refused_page("The form is incomplete."), 400)
    claims, signature = parsed
    now = time.time()
    try:
        issued = int(form.get("issued", ""))
    except ValueError:
        issued = -1
    problem = link_problem(secret, claims, signature, now) or nonce_problem(
        secret, signature, form.get("nonce", ""), issued, form.get("proof", ""), request.cookies.get(COOKIE), now
    )
    if problem:
        return _html(refused_page(problem[:1].upper() + problem[1:] + "."), 403)
    plan = autofix_pr_start(
        AutofixRequest(
            request_id=link_request_id(signature),
            repository=claims.repository,
            number=claims.number,
            trigger="link",
            marker=claims.marker,
            head_sha=claims.head_sha,
        )
    )
    try:
        await start_workflow(await resources.temporal.get(), resources.settings.temporal, plan)
    except TEMPORAL_UNAVAILABLE_ERRORS:
        return _html(refused_page("PR Agent cannot start work right now; try the link again in a minute."), 503)
    page = _html(started_page(claims), 202)
    page.delete_cookie(COOKIE, path="/autofix")
    return page
