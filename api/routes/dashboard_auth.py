"""Signing in to the dashboard with the admin token, and out again."""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import secrets
import time

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.dashboard.session import (
    LOGIN_COOKIE,
    LOGIN_SECONDS,
    SESSION_COOKIE,
    SESSION_SECONDS,
    decode_session,
    encode_session,
    new_session,
    sign,
    tokens_match,
    unsign,
)
from api.dashboard.web import FormDep, SessionDep, audit, cookie_key, read_form, redirect, render, safe_next, set_cookie
from api.deps import SettingsDep

log = logging.getLogger("pr_agent.dashboard")
router = APIRouter(prefix="/admin", include_in_schema=False)
REFUSED_DELAY_SECONDS = 0.5  # slows guessing; the token is long and random anyway
_NAME = re.compile(r"[^\w .@'-]+")


@router.get("/login")
async def login_form(request: Request, settings: SettingsDep, next: str = "/admin") -> Response:
    key = cookie_key(settings)
    if decode_session(key, request.cookies.get(SESSION_COOKIE)) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, key, safe_next(next))


def _login_page(request: Request, key: bytes, next_path: str, error: str | None = None) -> HTMLResponse:
    nonce = secrets.token_urlsafe(18)
    response = render(
        request, "login.html", None, status_code=401 if error else 200, nonce=nonce, next_path=next_path, error=error
    )
    issued = sign(key, {"nonce": nonce, "exp": int(time.time()) + LOGIN_SECONDS})
    set_cookie(request, response, LOGIN_COOKIE, issued, LOGIN_SECONDS)
    return response


@router.post("/login")
async def login(request: Request, settings: SettingsDep) -> Response:
    key = cookie_key(settings)
    form = await read_form(request)
    next_path = safe_next(form.get("next"))
    issued = unsign(key, request.cookies.get(LOGIN_COOKIE))
    if issued is None or not tokens_match(form.get("login_nonce"), str(issued.get("nonce"))):
        return _login_page(request, key, next_path, "The sign-in form expired. Please try again.")
    token = settings.admin.api_token
    given = form.get("token", "").strip()
    if token is None or not given or not hmac.compare_digest(given.encode(), token.get_secret_value().encode()):
        client = request.client.host if request.client else None
        log.warning("dashboard sign-in refused", extra={"client": client, "action": "sign_in_refused"})
        await asyncio.sleep(REFUSED_DELAY_SECONDS)
        return _login_page(request, key, next_path, "That is not the admin token.")
    session = new_session(_NAME.sub("", form.get("name", "")).strip()[:60] or "admin")
    response = RedirectResponse(next_path, status_code=303)
    set_cookie(request, response, SESSION_COOKIE, encode_session(key, session), SESSION_SECONDS)
    response.delete_cookie(LOGIN_COOKIE, path="/admin")
    audit(request, session, "sign_in")
    return response


@router.post("/logout")
async def logout(request: Request, session: SessionDep, form: FormDep) -> Response:
    audit(request, session, "sign_out")
    response = redirect(request, "/admin/login")
    response.delete_cookie(SESSION_COOKIE, path="/admin")
    return response
