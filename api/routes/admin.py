"""Admin API (bearer ADMIN_API_TOKEN): start work by hand, see counts, inspect workflows."""

from __future__ import annotations

import asyncio
import hmac
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header
from pydantic import BaseModel, Field
from temporalio.client import WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from api.deps import ResourcesDep
from api.errors import ApiError
from contracts.reconcile import ReconcileInput
from contracts.starts import (
    WorkflowStart,
    discover_repos_start,
    index_repo_start,
    investigate_all_start,
    investigate_repo_start,
    operator_command_start,
    reconcile_start,
    sync_jira_project_start,
)
from core.temporal.client import start_workflow
from db.status import StatusRepository
from intake.webhooks import TEMPORAL_UNAVAILABLE_ERRORS


async def require_admin(
    resources: ResourcesDep, authorization: Annotated[str | None, Header(alias="Authorization")] = None
) -> None:
    token = resources.settings.admin.api_token
    given = (authorization or "").removeprefix("Bearer ").strip()
    if token is None or not given or not hmac.compare_digest(token.get_secret_value().encode(), given.encode()):
        raise ApiError(401, "unauthorized", "a valid bearer token (ADMIN_API_TOKEN) is required")


router = APIRouter(prefix="/api/v1/admin", tags=["admin"], dependencies=[Depends(require_admin)])


class StartedResponse(BaseModel):
    workflow_ids: list[str]


class SyncJiraRequest(BaseModel):
    projects: list[str] = Field(min_length=1)
    full: bool = False


class AnalyzeAllRequest(BaseModel):
    repositories: list[str] = Field(default_factory=list, description="empty: every registered repository")
    concurrency: int = Field(4, ge=1, le=64)
    force: bool = False


class ReconcileRequest(BaseModel):
    repositories: bool = True
    jira: bool = True
    packages: bool = True
    replay_deliveries: bool = True
    feedback: bool = True


async def _start(resources: ResourcesDep, plans: list[WorkflowStart]) -> StartedResponse:
    try:
        client = await resources.temporal.get()
        handles = [await start_workflow(client, resources.settings.temporal, plan) for plan in plans]
    except TEMPORAL_UNAVAILABLE_ERRORS as error:
        raise ApiError(503, "temporal_unavailable", str(error)) from None
    return StartedResponse(workflow_ids=[h.id for h in handles])


async def _known_repository(resources: ResourcesDep, repo_name: str) -> tuple[str, str]:
    branch = await StatusRepository(resources.pool).default_branch(repo_name)
    if branch is None:
        raise ApiError(404, "unknown_repository", f"{repo_name} is not registered (run discover first)")
    return repo_name, branch


@router.post("/analyze/{repo_name:path}", status_code=202)
async def analyze_repository(repo_name: str, resources: ResourcesDep, force: bool = False) -> StartedResponse:
    """Investigate a registered repository's architecture (RepoSwarm-style)."""
    repo, branch = await _known_repository(resources, repo_name)
    plan = investigate_repo_start(repository=repo, branch=branch, force=force, trigger="admin")
    return await _start(resources, [plan])


@router.post("/analyze", status_code=202)
async def analyze_repositories(request: AnalyzeAllRequest, resources: ResourcesDep) -> StartedResponse:
    """Investigate many repositories (all registered ones by default) in a sliding window of child workflows."""
    for repo in request.repositories:
        await _known_repository(resources, repo)
    plan = investigate_all_start(request.repositories, request.concurrency, request.force, "admin")
    return await _start(resources, [plan])


@router.post("/index/{repo_name:path}", status_code=202)
async def index_repository(repo_name: str, resources: ResourcesDep, full: bool = False) -> StartedResponse:
    """Index (or re-index with full=true) a registered repository's default branch."""
    repo, branch = await _known_repository(resources, repo_name)
    plan = index_repo_start(repository=repo, branch=branch, full=full, trigger="admin")
    return await _start(resources, [plan])


@router.post("/discover", status_code=202)
async def discover_repositories(resources: ResourcesDep, org: str | None = None) -> StartedResponse:
    """Discover and register the organisation's repositories."""
    org = org or resources.settings.github.org
    if not org:
        raise ApiError(400, "missing_org", "pass ?org= or set GITHUB_ORG")
    plan = discover_repos_start(org=org, trigger="admin")
    return await _start(resources, [plan])


@router.post("/sync-jira", status_code=202)
async def sync_jira(request: SyncJiraRequest, resources: ResourcesDep) -> StartedResponse:
    """Sync Jira projects (incrementally, or in full)."""
    plans = [sync_jira_project_start(project_key=key, full=request.full, trigger="admin") for key in request.projects]
    return await _start(resources, plans)


@router.post("/reconcile", status_code=202)
async def reconcile(resources: ResourcesDep, request: ReconcileRequest | None = None) -> StartedResponse:
    """Run the reconciliation now (the weekly schedule runs the same workflow)."""
    request = request or ReconcileRequest()
    body = ReconcileInput(
        repositories=request.repositories,
        jira=request.jira,
        packages=request.packages,
        replay_deliveries=request.replay_deliveries,
        feedback=request.feedback,
        concurrency=4,
        trigger="admin",
    )
    workflow_id = f"reconcile:admin:{uuid.uuid4().hex[:12]}"
    return await _start(
        resources,
        [reconcile_start(workflow_id, body, on_conflict="fail")],
    )


class PullRequestCommandRequest(BaseModel):
    question: str = Field("", description="the question, for ask")
    dry_run: bool = Field(False, description="render the result, post nothing")


@router.post("/pulls/{owner}/{repo}/{number}/{command}", status_code=202)
async def pull_request_command(
    owner: str,
    repo: str,
    number: int,
    command: Literal["review", "improve", "describe", "ask"],
    resources: ResourcesDep,
    request: PullRequestCommandRequest | None = None,
) -> StartedResponse:
    """Run review, improve, describe or ask on a pull request, as an operator (no permission is asked)."""
    request = request or PullRequestCommandRequest()
    try:
        plan = operator_command_start(
            command,
            repository=f"{owner}/{repo}",
            number=number,
            trigger="admin",
            dry_run=request.dry_run,
            question=request.question,
        )
    except ValueError as error:
        raise ApiError(400, "invalid_command", str(error)) from None
    return await _start(resources, [plan])


@router.get("/status")
async def status(resources: ResourcesDep) -> dict[str, Any]:
    """Counts: repositories, chunks, tickets, reviews, activity, and webhook deliveries by status."""
    return await StatusRepository(resources.pool).counts()


@router.get("/workflows/{workflow_id:path}")
async def workflow_status(workflow_id: str, resources: ResourcesDep) -> dict[str, Any]:
    """A workflow's status, and its progress when it answers the `progress` query."""
    try:
        client = await resources.temporal.get()
        handle = client.get_workflow_handle(workflow_id)
        description = await handle.describe()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            raise ApiError(404, "unknown_workflow", f"no workflow {workflow_id}") from None
        raise ApiError(503, "temporal_unavailable", str(error)) from None
    except TEMPORAL_UNAVAILABLE_ERRORS as error:
        raise ApiError(503, "temporal_unavailable", str(error)) from None
    body: dict[str, Any] = {
        "workflow_id": workflow_id,
        "run_id": description.run_id,
        "type": description.workflow_type,
        "status": description.status.name if description.status else None,
        "start_time": description.start_time.isoformat(),
        "close_time": description.close_time.isoformat() if description.close_time else None,
    }
    if description.status == WorkflowExecutionStatus.RUNNING:
        body["progress"] = await _progress(handle)
    return body


async def _progress(handle: Any) -> Any:
    try:
        return await asyncio.wait_for(handle.query("progress"), timeout=3)
    except Exception:  # no worker, or a workflow without a progress query: report no progress
        return None
