"""Admin API (bearer ADMIN_API_TOKEN): ask the Knowledge Assistant a question."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.dashboard.knowledge import answer_of
from api.deps import ResourcesDep
from api.errors import ApiError
from api.routes.admin import require_admin
from contracts.knowledge import QUESTION_MAX_CHARS, QuestionRejected
from contracts.starts import ask_knowledge_start
from core.temporal.client import start_workflow
from intake.webhooks import TEMPORAL_UNAVAILABLE_ERRORS

router = APIRouter(prefix="/api/v1/admin", tags=["admin"], dependencies=[Depends(require_admin)])


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=QUESTION_MAX_CHARS)
    wait_seconds: float = Field(60, ge=0, le=300, description="0: answer 202 with the workflow id at once")
    asked_by: str = Field("admin-api", max_length=60)


@router.post("/ask")
async def ask(request: AskRequest, resources: ResourcesDep) -> JSONResponse:
    """Ask the Knowledge Assistant (AskKnowledge); the answer cites `repo:path:line`, ticket keys and PRs."""
    try:
        plan = ask_knowledge_start(question=request.question, asked_by=request.asked_by, trigger="admin")
        client = await resources.temporal.get()
        handle = await start_workflow(client, resources.settings.temporal, plan)
        answer = await answer_of(client, handle.id, request.wait_seconds) if request.wait_seconds else None
    except QuestionRejected as error:
        raise ApiError(400, "invalid_question", str(error)) from None
    except TEMPORAL_UNAVAILABLE_ERRORS as error:
        raise ApiError(503, "temporal_unavailable", str(error)) from None
    if answer is None:
        return JSONResponse({"workflow_id": handle.id, "status": "running"}, status_code=202)
    body: dict[str, Any] = {"workflow_id": handle.id, "status": "answered", **asdict(answer)}
    return JSONResponse(body)
