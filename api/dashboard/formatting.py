"""Jinja filters: money, times, durations, short shas and links into the Temporal UI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from domain.findings import SEVERITY_ORDER


def money(value: float | Decimal | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    amount = float(value)
    if 0 < amount < 0.01:
        return f"${amount:.4f}"
    return f"${amount:,.{digits}f}"


def when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def ago(value: datetime | None, now: datetime | None = None) -> str:
    """'5 min ago', '3 h ago', '12 days ago' (or '—')."""
    if value is None:
        return "—"
    seconds = max(0.0, ((now or datetime.now(UTC)) - value).total_seconds())
    for limit, unit, size in ((120, "s", 1), (7200, "min", 60), (172800, "h", 3600)):
        if seconds < limit:
            return f"{int(seconds // size)} {unit} ago"
    return f"{int(seconds // 86400)} days ago"


def duration(milliseconds: int | None) -> str:
    if milliseconds is None:
        return "—"
    if milliseconds < 1000:
        return f"{milliseconds} ms"
    seconds = milliseconds / 1000
    return f"{seconds:.1f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def short_sha(value: str | None) -> str:
    return value[:7] if value else "—"


def number(value: int | float | None) -> str:
    return "—" if value is None else f"{value:,}"


def percent(value: float | Decimal | None) -> str:
    return "—" if value is None else f"{float(value) * 100:.0f}%"


def link_target(url: str | None) -> str | None:
    """`url` if a page may link to it: http(s), or a dashboard path. Stored URLs come from outside
    systems (GitHub, Jira); a `javascript:` one must never become a link."""
    if url and (url.startswith(("https://", "http://")) or (url.startswith("/admin/") and not url.startswith("//"))):
        return url
    return None


def by_severity(counts: dict[str, int]) -> str:
    """'1 critical, 3 high' — most severe first, as reviews list their findings."""
    ordered = sorted(counts.items(), key=lambda item: SEVERITY_ORDER.index(item[0]) if item[0] in SEVERITY_ORDER else 9)
    return ", ".join(f"{n} {severity}" for severity, n in ordered if n)


def workflow_url(temporal: Any, workflow_id: str | None, run_id: str | None = None) -> str | None:
    """The workflow's page in the Temporal UI (TEMPORAL_UI_URL), its run's history when known."""
    if not workflow_id:
        return None
    base = f"{temporal.ui_url.rstrip('/')}/namespaces/{quote(temporal.namespace, safe='')}/workflows"
    page = f"{base}/{quote(workflow_id, safe='')}"
    return f"{page}/{quote(run_id, safe='')}/history" if run_id else page


FILTERS: dict[str, Callable[..., Any]] = {
    "money": money,
    "when": when,
    "ago": ago,
    "duration": duration,
    "short_sha": short_sha,
    "number": number,
    "percent": percent,
    "by_severity": by_severity,
    "link_target": link_target,
}
