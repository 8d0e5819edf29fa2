"""Mounting the dashboard on the API app: its routers, its static files, and how its refusals look."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from api.dashboard.web import SECURITY_HEADERS, DashboardDisabled, FormRejected, SignInRequired, render, sign_in_url

log = logging.getLogger("pr_agent.dashboard")
STATIC = Path(__file__).resolve().parents[1] / "static"


def install_dashboard(app: FastAPI) -> None:
    from api.routes import dashboard, dashboard_auth, dashboard_knowledge, dashboard_ops, dashboard_repos, knowledge_api

    for module in (dashboard_auth, dashboard, dashboard_repos, dashboard_ops, dashboard_knowledge, knowledge_api):
        app.include_router(module.router)
    app.mount("/admin/static", StaticFiles(directory=STATIC), name="dashboard-static")
    app.add_exception_handler(SignInRequired, _sign_in)
    app.add_exception_handler(FormRejected, _form_rejected)
    app.add_exception_handler(DashboardDisabled, _disabled)


async def _sign_in(request: Request, exc: Exception) -> Response:
    next_path = exc.next_path if isinstance(exc, SignInRequired) else "/admin"
    return RedirectResponse(sign_in_url(next_path), status_code=303, headers=SECURITY_HEADERS)


async def _form_rejected(request: Request, exc: Exception) -> HTMLResponse:
    client = request.client.host if request.client else None
    log.warning("dashboard form refused: no valid CSRF token", extra={"client": client, "path": request.url.path})
    message = "This form did not come from this dashboard session (missing or stale CSRF token): nothing was done."
    return render(request, "error.html", None, 403, title="Refused", message=message)


async def _disabled(request: Request, exc: Exception) -> HTMLResponse:
    message = "The dashboard needs ADMIN_API_TOKEN to be set: nobody can sign in without it."
    return render(request, "error.html", None, 503, title="Dashboard disabled", message=message)
