"""Prometheus scrape endpoint: the product's metrics and this process's Temporal SDK metrics."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Response

from core.metrics import CONTENT_TYPE, render

router = APIRouter(tags=["metrics"])


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    """Prometheus text format (not routed by the ingress: scraped inside the cluster)."""
    body = await asyncio.to_thread(render)  # reads the SDK's loopback page: keep it off the event loop
    return Response(body, media_type=CONTENT_TYPE)
