"""Admin API for learning from reactions: per-rule numbers, and unmuting a rule a repository muted."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.deps import ResourcesDep
from api.errors import ApiError
from api.routes.admin import require_admin
from db.feedback import FeedbackRepository

router = APIRouter(prefix="/api/v1/admin/rules", tags=["admin"], dependencies=[Depends(require_admin)])


class UnmuteRequest(BaseModel):
    repository: str = Field(min_length=3, pattern=r"^[^/\s]+/[^/\s]+$")
    rule_id: str = Field(min_length=1, max_length=200)
    by: str = Field("admin-api", min_length=1, max_length=100)


class UnmuteResponse(BaseModel):
    repository: str
    rule_id: str
    muted: bool


@router.get("/stats")
async def rule_stats(resources: ResourcesDep, repository: str | None = None) -> dict[str, Any]:
    """Per rule and repository: posted, accepted, rejected, addressed, precision, and whether it is muted."""
    feedback = FeedbackRepository(resources.pool)
    policy = resources.settings.feedback
    return {
        "rules": await feedback.rule_report(repository),
        "summaries": [votes.__dict__ for votes in await feedback.summary_votes(repository)],
        "policy": {"mute_precision": policy.mute_precision, "mute_min_votes": policy.mute_min_votes},
    }


@router.post("/unmute")
async def unmute_rule(request: UnmuteRequest, resources: ResourcesDep) -> UnmuteResponse:
    """Post a muted rule's findings again in a repository; only findings after this count towards muting."""
    if not await FeedbackRepository(resources.pool).unmute(request.repository, request.rule_id, request.by):
        raise ApiError(404, "not_muted", f"{request.rule_id} is not muted in {request.repository}")
    return UnmuteResponse(repository=request.repository, rule_id=request.rule_id, muted=False)
