"""A workflow with a bug, in a module of its own: the sandbox re-imports a workflow's module, so it
must not drag in test-only imports (asyncpg, pytest) that do not belong in workflow code."""

from __future__ import annotations

from temporalio import workflow


@workflow.defn(name="BuggyForTest")
class BuggyWorkflow:
    @workflow.run
    async def run(self) -> None:
        settings: dict[str, str] = {}
        settings["missing"]  # a plain KeyError: the kind of bug a deploy can ship
