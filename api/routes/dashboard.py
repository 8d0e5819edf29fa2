"""Dashboard pages: the overview (this month, workers, charts) and the filterable review list."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.dashboard.temporal_state import QueueHealth, queue_health
from api.dashboard.web import SessionDep, render
from api.deps import ResourcesDep
from db import dashboard as queries
from intake.webhooks import TEMPORAL_UNAVAILABLE_ERRORS

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("")
async def overview(request: Request, session: SessionDep, resources: ResourcesDep) -> HTMLResponse:
    summary = await queries.overview(resources.pool)
    queues, temporal_error = await _queues(resources)
    chart = {
        "days": [point.day.isoformat() for point in summary.days],
        "reviews": [point.values["reviews"] for point in summary.days],
        "findings": [point.values["findings"] for point in summary.days],
        "cost": [round(point.values["cost"], 4) for point in summary.days],
    }
    return render(
        request, "overview.html", session, summary=summary, queues=queues, temporal_error=temporal_error, chart=chart
    )


async def _queues(resources: ResourcesDep) -> tuple[list[QueueHealth], str | None]:
    try:
        client = await resources.temporal.get()
    except TEMPORAL_UNAVAILABLE_ERRORS as error:
        return [], str(error)
    return await queue_health(client, resources.settings), None


@router.get("/reviews")
async def reviews(
    request: Request,
    session: SessionDep,
    resources: ResourcesDep,
    repository: str = "",
    author: str = "",
    risk: str = "",
    since: str = "",
    until: str = "",
    page: str = "1",
) -> HTMLResponse:
    errors: list[str] = []
    wanted = queries.ReviewFilter(
        repository=repository.strip() or None,
        author=author.strip() or None,
        risk=risk if risk in queries.RISKS else None,
        since=_day(since, "From", errors),
        until=_day(until, "To", errors),
        page=max(1, int(page)) if page.isdigit() else 1,
    )
    rows, total = await queries.reviews(resources.pool, wanted)
    repositories, authors = await queries.review_filter_choices(resources.pool)
    pages = max(1, -(-total // queries.REVIEW_PAGE_SIZE))
    return render(
        request, "reviews.html", session, status_code=400 if errors else 200, rows=rows, total=total,
        wanted=wanted, repositories=repositories, authors=authors, risks=queries.RISKS, errors=errors,
        pages=pages, query=_query(repository, author, risk, since, until),
    )  # fmt: skip


def _day(value: str, label: str, errors: list[str]) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors.append(f"{label}: {value!r} is not a date (YYYY-MM-DD); the filter was left out.")
        return None


def _query(*values: Any) -> dict[str, str]:
    names = ("repository", "author", "risk", "since", "until")
    return {name: str(value) for name, value in zip(names, values, strict=True) if value}
