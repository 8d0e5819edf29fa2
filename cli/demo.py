"""`pr-agent dev --demo`: the product with its context, offline, on the running stack.

Once the stack is up, the demo makes the sample repository (cli.demo_repo) and, through the real
workflows on the stack's own workers, indexes it (IndexRepo, with the configured embedder: offline
by default), investigates it (InvestigateRepo: without an LLM key, the deterministic sections) and
syncs its Jira ticket (SyncJira, from the stand-in of cli.demo_jira unless Jira is configured).
Then ReviewPR reviews the change with that context; the review, its Temporal UI link and where the
API docs are, are printed.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from cli.common import temporal_client, wait_for
from cli.demo_repo import DEMO_TICKET, create_sample_repository
from cli.local_review import local_ref, review_local
from cli.stack_state import StackState
from contracts.review import review_workflow_id
from contracts.starts import index_repo_start, investigate_repo_start, sync_jira_start
from core.settings import Settings
from core.temporal.client import start_workflow

log = logging.getLogger("pr_agent.demo")


async def run_demo(settings: Settings, state: StackState, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    repo, base, head = create_sample_repository(settings.paths.data_home / "demo-repo")
    ref = local_ref(repo, base, head)
    client = await temporal_client(settings)
    plans = [
        index_repo_start(repository=ref.repository, branch=base, clone_url=str(repo), trigger="demo"),
        investigate_repo_start(repository=ref.repository, branch=base, clone_url=str(repo), trigger="demo"),
    ]
    if settings.jira.configured:
        plans.append(sync_jira_start(ticket_key=DEMO_TICKET, event="refresh", trigger="demo"))
    out.write(f"\nDemo: preparing the context of {ref.repository} (index, investigation, Jira ticket)\n")
    handles = [await start_workflow(client, settings.temporal, plan) for plan in plans]
    # Lines, not bars: the stack's own log lines stream to the same terminal meanwhile.
    for outcome in await wait_for(handles, out, live=False):
        if not outcome.ok:
            log.warning("demo: %s failed (%s); the review goes on without it", outcome.workflow_id, outcome.reason)
    out.write(f"Demo: reviewing {head} against {base} through ReviewPR\n")
    result = await review_local(client, settings, repo, base, head)
    review_id = review_workflow_id(ref.repository, ref.number)
    out.write("\n" + result.rendered_text + "\n")
    out.write(f"This review in the Temporal UI: {state.workflow_url(review_id)}\n")
    for plan in plans:
        out.write(f"  {plan.workflow:<15} {state.workflow_url(plan.workflow_id)}\n")
    out.write(f"API docs: {state.api_docs_url}\n\n")
    out.flush()
