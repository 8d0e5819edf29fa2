"""Dashboard pages of repositories: index and investigation state, the architecture document, and
"index now" / "investigate now", which start the workflows through the admin API's own start path."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.dashboard.markdown import markdown_html, path_linker
from api.dashboard.temporal_state import WorkflowState, workflow_state
from api.dashboard.web import FormDep, SessionDep, audit, redirect, render
from api.deps import ResourcesDep
from api.errors import ApiError
from api.routes import admin as admin_api
from contracts.indexing import index_workflow_id
from contracts.investigation import investigate_workflow_id
from db import dashboard as queries
from db import dashboard_repos as repo_queries
from db.analysis import AnalysisRepository, latest_structured_forms
from domain.investigation.document import parse_front_matter, related_repos_summary
from intake.webhooks import TEMPORAL_UNAVAILABLE_ERRORS

router = APIRouter(prefix="/admin/repositories", include_in_schema=False)
_REPOSITORY = re.compile(r"^(?!\.\.?/)[A-Za-z0-9_.-]+/(?!\.\.?$)[A-Za-z0-9_.-]+$")  # GitHub's owner/name
ACTIONS = {"index": "IndexRepo", "investigate": "InvestigateRepo"}


@router.get("")
async def repositories(request: Request, session: SessionDep, resources: ResourcesDep) -> HTMLResponse:
    return await _index_page(request, session, resources)


async def _index_page(
    request: Request, session: SessionDep, resources: ResourcesDep, error: str | None = None, typed: str = ""
) -> HTMLResponse:
    rows = await repo_queries.repositories(resources.pool)
    return render(
        request, "repositories.html", session, status_code=400 if error else 200, rows=rows, error=error, typed=typed
    )


@router.post("/start")
async def start(request: Request, session: SessionDep, resources: ResourcesDep, form: FormDep) -> Response:
    """Index or investigate a repository now; a bad name or an unknown repository is shown on the form."""
    repository, action = form.get("repository", "").strip(), form.get("action", "")
    if action not in ACTIONS:
        return await _index_page(request, session, resources, f"Unknown action {action!r}.", repository)
    if not _REPOSITORY.match(repository):
        problem = f"{repository!r} is not a repository name: write it as owner/name." if repository else None
        return await _index_page(request, session, resources, problem or "Name a repository (owner/name).", "")
    try:
        if action == "index":
            started = await admin_api.index_repository(repository, resources, full=form.get("full") == "1")
        else:
            started = await admin_api.analyze_repository(repository, resources, force=form.get("force") == "1")
    except ApiError as error:
        return await _index_page(request, session, resources, error.detail, repository)
    audit(request, session, f"{action}_repository", repository=repository, workflow_ids=started.workflow_ids)
    note = f"Started {ACTIONS[action]} {', '.join(started.workflow_ids)}."
    return redirect(request, f"/admin/repositories/{repository}", note)


@router.get("/{owner}/{name}")
async def repository(request: Request, session: SessionDep, resources: ResourcesDep, owner: str, name: str) -> Response:
    full_name = f"{owner}/{name}"
    row = await repo_queries.repository(resources.pool, full_name)
    if row is None:
        return render(request, "error.html", session, 404, title="Unknown repository",
                      message=f"{full_name} is not registered.")  # fmt: skip
    analyses = await AnalysisRepository(resources.pool).latest([full_name])
    analysis = analyses[0] if analyses else None
    forms = await latest_structured_forms(resources.pool)
    related = related_repos_summary(full_name, forms) if full_name in forms else None
    document, meta = None, {}
    if analysis is not None:
        meta = parse_front_matter(analysis.document)
        document = markdown_html(_body(analysis.document), path_linker(row.web_url, analysis.commit_sha))
    recent, _ = await queries.reviews(resources.pool, queries.ReviewFilter(repository=full_name))
    return render(
        request, "repository.html", session, row=row, analysis=analysis, document=document, meta=meta,
        related=markdown_html(related, _repository_linker(set(forms))) if related else None,
        languages=await repo_queries.chunk_languages(resources.pool, full_name),
        workflows=await _workflows(resources, full_name, row.default_branch), recent=recent[:10],
    )  # fmt: skip


def _body(document: str) -> str:
    """The document without its YAML front matter (shown as facts above it instead)."""
    if document.startswith("---\n"):
        end = document.find("\n---", 4)
        if end >= 0:
            return document[end + 4 :]
    return document


def _repository_linker(names: set[str]) -> Callable[[str], str]:
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))) if names else None

    def link(segment: str) -> str:
        if pattern is None:
            return segment
        return pattern.sub(lambda m: f'<a href="/admin/repositories/{m.group(0)}">{m.group(0)}</a>', segment)

    return link


async def _workflows(resources: ResourcesDep, repository: str, branch: str) -> list[WorkflowState]:
    ids = [index_workflow_id(repository, branch), investigate_workflow_id(repository, branch)]
    try:
        client = await resources.temporal.get()
    except TEMPORAL_UNAVAILABLE_ERRORS:
        return [WorkflowState(workflow_id, "unknown (Temporal unreachable)") for workflow_id in ids]
    return [await workflow_state(client, workflow_id) for workflow_id in ids]
