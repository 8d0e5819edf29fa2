"""Webhook endpoints: verify, parse, hand to the intake. Every outcome has an explicit status code.

401 bad or missing signature · 413 body over the limit · 400 not JSON / not the event's shape ·
202 started or ignored (with the reason) · 200 a delivery id seen before · 503 Temporal down (kept).
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from api.deps import ResourcesDep
from api.errors import ApiError
from contracts.webhooks import InvalidPayload
from domain.webhooks.signatures import signature_valid, token_valid
from intake.webhooks import IntakeOutcome, Source, WebhookIntake

router = APIRouter(prefix="/api/v1", tags=["webhooks"])


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, refusing more than `limit` bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "payload_too_large", f"body over {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise ApiError(413, "payload_too_large", f"body over {limit} bytes")
    return bytes(body)


def parse_json(body: bytes) -> Any:
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise ApiError(400, "invalid_json", f"body is not JSON: {error}") from None
    if b"\\u0000" in body and _has_nul(payload):  # JSON allows it; jsonb, where the inbox keeps it, does not
        raise ApiError(400, "invalid_json", "body contains a NUL character (\\u0000), which cannot be stored")
    return payload


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _respond(outcome: IntakeOutcome) -> JSONResponse:
    return JSONResponse(outcome.body, status_code=outcome.status_code)


async def _github(
    request: Request, resources: ResourcesDep, event: str | None, delivery: str | None, signature: str | None
) -> JSONResponse:
    settings = resources.settings
    body = await read_body(request, settings.admin.webhook_max_body_bytes)
    secret = settings.github.webhook_secret
    if secret is not None:
        if not signature_valid(secret.get_secret_value(), body, signature):
            raise ApiError(401, "invalid_signature", "X-Hub-Signature-256 is missing or does not match")
    elif not settings.admin.allow_unsigned_webhooks:
        raise ApiError(401, "webhook_secret_not_configured", "GITHUB_WEBHOOK_SECRET is not set")
    if not event:
        raise ApiError(400, "missing_event", "X-GitHub-Event header is required")
    if not delivery:
        raise ApiError(400, "missing_delivery", "X-GitHub-Delivery header is required")
    return await _accept(resources, "github", delivery, event, parse_json(body))


async def _accept(resources: ResourcesDep, source: Source, delivery: str, event: str, payload: Any) -> JSONResponse:
    intake = WebhookIntake(resources.settings, resources.pool, resources.temporal)
    try:
        return _respond(await intake.accept(source, delivery[:200], event, payload))
    except InvalidPayload as error:
        raise ApiError(400, "invalid_payload", str(error)) from None


GithubEvent = Annotated[str | None, Header(alias="X-GitHub-Event")]
GithubDelivery = Annotated[str | None, Header(alias="X-GitHub-Delivery")]
GithubSignature = Annotated[str | None, Header(alias="X-Hub-Signature-256")]


async def github_webhook(
    request: Request,
    resources: ResourcesDep,
    event: GithubEvent = None,
    delivery: GithubDelivery = None,
    signature: GithubSignature = None,
) -> JSONResponse:
    return await _github(request, resources, event, delivery, signature)


# Three GitHub endpoints (App, repository and organisation webhooks, as the original design had),
# one handler: the event header, not the path, decides what a delivery starts.
_GITHUB_ENDPOINTS = {
    "/github_webhooks": (
        "github_app_webhook",
        "GitHub App webhook: pull_request, issue_comment, pull_request_review_comment, "
        "pull_request_review_thread (resolved, unresolved), push, installation, installation_repositories, "
        "repository, ping.",
    ),
    "/webhooks/push": (
        "repository_push_webhook",
        "Repository webhook: a push to a main branch indexes and investigates the repository.",
    ),
    "/webhooks/github/organization": (
        "organization_webhook",
        "Organisation webhook: repository (created, archived, renamed, transferred...), registry_package and "
        "package published.",
    ),
}
for _path, (_name, _summary) in _GITHUB_ENDPOINTS.items():
    router.add_api_route(
        _path, github_webhook, methods=["POST"], status_code=202, name=_name, description=_summary, operation_id=_name
    )


@router.post("/webhooks/jira", status_code=202)
async def jira_webhook(
    request: Request,
    resources: ResourcesDep,
    token: Annotated[str | None, Query(description="shared token, when the webhook is configured with one")] = None,
    signature: Annotated[str | None, Header(alias="X-Hub-Signature")] = None,
    identifier: Annotated[str | None, Header(alias="X-Atlassian-Webhook-Identifier")] = None,
) -> JSONResponse:
    """Jira webhook: issue created, updated or deleted syncs that ticket."""
    settings = resources.settings
    body = await read_body(request, settings.admin.webhook_max_body_bytes)
    secret = settings.jira.webhook_secret
    if secret is not None:
        value = secret.get_secret_value()
        if not (signature_valid(value, body, signature) or token_valid(value, token)):
            raise ApiError(401, "invalid_signature", "X-Hub-Signature or ?token= is missing or does not match")
    elif not settings.admin.allow_unsigned_webhooks:
        raise ApiError(401, "webhook_secret_not_configured", "JIRA_WEBHOOK_SECRET is not set")
    payload = parse_json(body)
    # Jira Cloud sends a delivery identifier; without one, the same body is the same delivery.
    delivery = identifier or "jira-" + hashlib.sha256(body).hexdigest()[:32]
    event = payload.get("webhookEvent", "unknown") if isinstance(payload, dict) else "unknown"
    return await _accept(resources, "jira", delivery, str(event), payload)
