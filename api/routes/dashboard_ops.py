"""Dashboard pages of operations: rules, webhook deliveries (with replay), API usage and the budget."""

from __future__ import annotations

import math
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.dashboard.web import FormDep, SessionDep, audit, redirect, render
from api.deps import ResourcesDep
from db import dashboard as queries
from db import dashboard_repos as repo_queries
from domain.rules import default_rules
from intake.webhooks import TEMPORAL_UNAVAILABLE_ERRORS, replay_delivery

router = APIRouter(prefix="/admin", include_in_schema=False)
MAX_BUDGET_USD = 1_000_000_000  # NUMERIC(12, 2) holds less than 10^10


@dataclass(frozen=True)
class RuleRow:
    rule_id: str
    source: str  # "house rule", or "analyzer / model" for ids found in reviews only
    severity: str | None
    enabled: bool
    message: str | None
    found: int
    posted: int


@router.get("/rules")
async def rules(request: Request, session: SessionDep, resources: ResourcesDep) -> HTMLResponse:
    counts = await repo_queries.rule_counts(resources.pool)
    house = default_rules()
    rows = [
        RuleRow(r.id, "house rule", r.severity, r.enabled, r.message, counts.found.get(r.id, 0),
                counts.posted.get(r.id, 0))
        for r in house.rules
    ]  # fmt: skip
    known = {r.id for r in house.rules}
    others = sorted((set(counts.found) | set(counts.posted)) - known)
    rows += [RuleRow(i, "analyzer / model", None, True, None, counts.found.get(i, 0), counts.posted.get(i, 0))
             for i in others]  # fmt: skip
    rows.sort(key=lambda row: (-row.found, row.rule_id))
    return render(request, "rules.html", session, rows=rows, counts=counts, muted=[r for r in rows if not r.enabled])


@router.get("/deliveries")
async def deliveries(request: Request, session: SessionDep, resources: ResourcesDep) -> HTMLResponse:
    rows = await repo_queries.open_deliveries(resources.pool)
    counts = await repo_queries.delivery_counts(resources.pool)
    return render(request, "deliveries.html", session, rows=rows, counts=counts)


@router.post("/deliveries/{delivery_id}/replay")
async def replay(
    request: Request, session: SessionDep, resources: ResourcesDep, form: FormDep, delivery_id: str
) -> Response:
    """Start one pending or failed delivery now, as `pr-agent replay-pending` would."""
    try:
        report = await replay_delivery(resources.pool, resources.temporal, resources.settings, delivery_id)
    except TEMPORAL_UNAVAILABLE_ERRORS as error:
        return redirect(request, "/admin/deliveries", f"Temporal is unreachable: {error}")
    audit(request, session, "replay_delivery", delivery_id=delivery_id, outcome=_outcome(report))
    notes = {
        "started": f"Delivery {delivery_id} was started.",
        "still_pending": f"Delivery {delivery_id} is still pending: Temporal did not take it.",
        "failed": f"Delivery {delivery_id} failed to route; see its error.",
        "none": f"Delivery {delivery_id} is not waiting for a replay (already started, or being replayed).",
    }
    return redirect(request, "/admin/deliveries", notes[_outcome(report)])


def _outcome(report: object) -> str:
    for name in ("started", "still_pending", "failed"):
        if getattr(report, name):
            return name
    return "none"


@router.get("/usage")
async def usage(request: Request, session: SessionDep, resources: ResourcesDep) -> HTMLResponse:
    return await _usage_page(request, session, resources)


async def _usage_page(
    request: Request, session: SessionDep, resources: ResourcesDep, errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> HTMLResponse:  # fmt: skip
    by_model, by_operation = await queries.usage_this_month(resources.pool)
    days = await queries.daily_series(resources.pool, 30)
    chart = {"days": [p.day.isoformat() for p in days], "cost": [round(p.values["cost"], 4) for p in days]}
    return render(
        request, "usage.html", session, status_code=400 if errors else 200, by_model=by_model,
        by_operation=by_operation, budget=await queries.budget(resources.pool), chart=chart,
        errors=errors or {}, typed=typed or {},
    )  # fmt: skip


@router.post("/usage/budget")
async def save_budget(request: Request, session: SessionDep, resources: ResourcesDep, form: FormDep) -> Response:
    """Set the monthly LLM budget and its alert threshold; bad values are shown back with the reason."""
    typed = {"limit": form.get("limit", "").strip(), "threshold": form.get("threshold", "").strip()}
    errors: dict[str, str] = {}
    limit = _number(typed["limit"], "limit", errors, 0, MAX_BUDGET_USD, allow_empty=True)
    threshold = _number(typed["threshold"] or "80", "threshold", errors, 1, 100, allow_empty=False)
    if errors:
        return await _usage_page(request, session, resources, errors, typed)
    await queries.save_budget(resources.pool, limit, round((threshold or 80) / 100, 3))
    audit(request, session, "set_budget", monthly_limit_usd=limit, alert_threshold_percent=threshold)
    note = f"Monthly budget set to ${limit:,.2f}, alert at {threshold:g}%." if limit is not None else "Budget removed."
    return redirect(request, "/admin/usage", note)


def _number(
    text: str, field: str, errors: dict[str, str], low: float, high: float, *, allow_empty: bool
) -> float | None:
    if not text and allow_empty:
        return None
    try:
        value = float(text.replace(",", "").removeprefix("$").removesuffix("%"))
    except ValueError:
        errors[field] = f"{text!r} is not a number."
        return None
    if value < 0:
        errors[field] = f"Cannot be negative ({text})."
        return None
    if not math.isfinite(value) or value < low or value > high:
        errors[field] = f"Must be between {low:g} and {high:,g}; {text} is not."
        return None
    return round(value, 2)
