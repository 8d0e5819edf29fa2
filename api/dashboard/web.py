"""What every dashboard page shares: the session dependency, CSRF-checked forms, rendering, flash notes.

Pages are server-rendered Jinja2 (autoescaped); the only scripts are our own and the vendored
chart library, both served from /admin/static, so the Content-Security-Policy allows nothing else.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.dashboard import formatting
from api.dashboard.session import (
    FLASH_COOKIE,
    SESSION_COOKIE,
    Session,
    decode_session,
    sign,
    signing_key,
    tokens_match,
    unsign,
)
from api.deps import SettingsDep
from core.settings import Settings

log = logging.getLogger("pr_agent.dashboard")
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
FORM_MAX_BYTES = 64 * 1024
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
environment.filters.update(formatting.FILTERS)
environment.globals["workflow_url"] = formatting.workflow_url


class SignInRequired(Exception):
    """No valid session: the page answers with a redirect to the sign-in form."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class DashboardDisabled(Exception):
    """ADMIN_API_TOKEN is not set: nobody can sign in, and the page says why."""


class FormRejected(Exception):
    """A state-changing request without the session's CSRF token (a forged or stale form)."""


def cookie_key(settings: Settings) -> bytes:
    if settings.admin.api_token is None:
        raise DashboardDisabled()
    return signing_key(settings.admin.api_token)


async def current_session(request: Request, settings: SettingsDep) -> Session:
    session = decode_session(cookie_key(settings), request.cookies.get(SESSION_COOKIE))
    if session is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target if request.method == "GET" else "/admin")
    return session


SessionDep = Annotated[Session, Depends(current_session)]


async def read_form(request: Request) -> dict[str, str]:
    """An urlencoded form body, first value of each field (bounded; nothing else is accepted)."""
    body = await request.body()
    if len(body) > FORM_MAX_BYTES:
        raise FormRejected()
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


async def checked_form(request: Request, session: SessionDep) -> dict[str, str]:
    """The form of a state-changing request, refused unless it carries this session's CSRF token
    and (when the browser says where it comes from) was sent from this site."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise FormRejected()
    form = await read_form(request)
    if not tokens_match(form.get("csrf_token"), session.csrf):
        raise FormRejected()
    return form


FormDep = Annotated[dict[str, str], Depends(checked_form)]


def safe_next(value: str | None) -> str:
    """Only a path inside the dashboard (no scheme, no host, no `//`): never an open redirect."""
    if value and value.startswith("/admin") and not value.startswith("//") and "\\" not in value:
        return value
    return "/admin"


def audit(request: Request, session: Session, action: str, **details: Any) -> None:
    """One log line per action, saying who did what from where."""
    client = request.client.host if request.client else None
    context = {"actor": session.user, "session_id": session.sid[:8], "action": action, "client": client}
    log.info("dashboard %s by %s", action, session.actor, extra={**context, **details})


def render(
    request: Request,
    template: str,
    session: Session | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    settings: Settings = request.app.state.resources.settings
    flash = _take_flash(request, settings) if session is not None else None
    body = environment.get_template(template).render(
        session=session, flash=flash, path=request.url.path, temporal=settings.temporal, **context
    )
    response = HTMLResponse(body, status_code=status_code, headers=SECURITY_HEADERS)
    if flash is not None:
        response.delete_cookie(FLASH_COOKIE, path="/admin")
    return response


def redirect(request: Request, to: str, note: str | None = None) -> RedirectResponse:
    """303 to `to` (post/redirect/get), carrying a one-time note for the next page."""
    response = RedirectResponse(to, status_code=303, headers=SECURITY_HEADERS)
    if note is not None:
        settings: Settings = request.app.state.resources.settings
        value = sign(cookie_key(settings), {"note": note[:500], "exp": int(time.time()) + 60})
        set_cookie(request, response, FLASH_COOKIE, value, 60)
    return response


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
    response.set_cookie(name, value, max_age=max_age, path="/admin", httponly=True, samesite="strict", secure=secure)


def _take_flash(request: Request, settings: Settings) -> str | None:
    payload = unsign(cookie_key(settings), request.cookies.get(FLASH_COOKIE))
    return str(payload["note"]) if payload and "note" in payload else None


def sign_in_url(next_path: str) -> str:
    return f"/admin/login?next={quote(safe_next(next_path), safe='/')}"
