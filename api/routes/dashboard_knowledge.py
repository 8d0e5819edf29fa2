"""Dashboard pages of knowledge: hybrid code search across repositories, and the Knowledge Assistant."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from temporalio.client import WorkflowExecutionStatus, WorkflowFailureError
from temporalio.service import RPCError, RPCStatusCode

from api.dashboard.knowledge import answer_of
from api.dashboard.markdown import citation_linker, markdown_html
from api.dashboard.web import FormDep, SessionDep, audit, redirect, render
from api.deps import ResourcesDep
from clients.embeddings import configured_embedder
from contracts.knowledge import KnowledgeAnswer, QuestionRejected
from contracts.starts import ask_knowledge_start
from core.temporal.client import start_workflow
from db import dashboard_repos as repo_queries
from db.knowledge import search_code
from domain.knowledge.ranking import question_terms
from intake.webhooks import TEMPORAL_UNAVAILABLE_ERRORS

router = APIRouter(prefix="/admin", include_in_schema=False)
SEARCH_LIMIT = 20
QUERY_MAX_CHARS = 500
ANSWER_WAIT_SECONDS = 20  # then the page shows "working" and refreshes itself


@router.get("/search")
async def search(
    request: Request, session: SessionDep, resources: ResourcesDep, q: str = "", repo: str = ""
) -> HTMLResponse:
    repositories = [r.full_name for r in await repo_queries.repositories(resources.pool)]
    error, hits = None, []
    query = q.strip()
    if repo and repo not in repositories:
        error = f"{repo} is not a registered repository."
    elif len(query) > QUERY_MAX_CHARS:
        error = f"A search is at most {QUERY_MAX_CHARS} characters."
    elif query:
        embedder = configured_embedder(resources.settings.llm)
        hits = await search_code(resources.pool, query, question_terms(query), embedder, SEARCH_LIMIT, repo or None)
    return render(
        request, "search.html", session, status_code=400 if error else 200, q=q, repo=repo,
        repositories=repositories, hits=hits, error=error,
    )  # fmt: skip


@router.get("/ask")
async def ask_form(request: Request, session: SessionDep) -> HTMLResponse:
    return render(request, "ask.html", session, question="", error=None)


@router.post("/ask")
async def ask(request: Request, session: SessionDep, resources: ResourcesDep, form: FormDep) -> Response:
    """Start AskKnowledge and show its answer page (post/redirect/get)."""
    try:
        plan = ask_knowledge_start(question=form.get("question", ""), asked_by=session.user, trigger="dashboard")
        client = await resources.temporal.get()
        handle = await start_workflow(client, resources.settings.temporal, plan)
    except QuestionRejected as error:
        return render(request, "ask.html", session, 400, question=form.get("question", ""), error=str(error))
    except TEMPORAL_UNAVAILABLE_ERRORS as error:
        message = f"Temporal is unreachable, so the question could not be asked: {error}"
        return render(request, "ask.html", session, 503, question=form.get("question", ""), error=message)
    audit(request, session, "ask_knowledge", workflow_id=handle.id)
    return redirect(request, f"/admin/ask/{handle.id}")


@router.get("/ask/{workflow_id:path}")
async def answer(request: Request, session: SessionDep, resources: ResourcesDep, workflow_id: str) -> Response:
    if not workflow_id.startswith("knowledge:"):
        return render(request, "error.html", session, 404, title="No such question", message="Unknown question.")
    try:
        client = await resources.temporal.get()
        status = (await client.get_workflow_handle(workflow_id).describe()).status
        result = await answer_of(client, workflow_id, ANSWER_WAIT_SECONDS)
    except RPCError as error:
        if error.status != RPCStatusCode.NOT_FOUND:
            return render(request, "error.html", session, 503, title="Temporal error", message=str(error))
        return render(request, "error.html", session, 404, title="No such question", message=workflow_id)
    except TEMPORAL_UNAVAILABLE_ERRORS as error:
        return render(request, "error.html", session, 503, title="Temporal is unreachable", message=str(error))
    except WorkflowFailureError as error:  # failed, timed out or terminated: say so, with its id
        return render(request, "answer.html", session, 200, workflow_id=workflow_id, result=None,
                      failure=f"{error.cause or error}", status=status)  # fmt: skip
    if result is None and status == WorkflowExecutionStatus.RUNNING:
        return render(request, "answer.html", session, 200, workflow_id=workflow_id, result=None, failure=None,
                      status=status, refresh=True)  # fmt: skip
    if result is not None:
        status = WorkflowExecutionStatus.COMPLETED  # described before the wait: it has finished since
    return render(request, "answer.html", session, workflow_id=workflow_id, result=result, failure=None,
                  status=status, answer_html=_answer_html(result))  # fmt: skip


def _answer_html(result: KnowledgeAnswer | None) -> object:
    if result is None or not result.answer:
        return None
    urls = {c.text: c.url for c in result.citations if c.known}
    unknown = {c.text for c in result.citations if not c.known}
    return markdown_html(result.answer, citation_linker(urls, unknown))
