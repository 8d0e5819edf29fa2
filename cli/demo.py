"""The `pr-agent dev --demo` walk-through: a sample change reviewed through ReviewPR on the running stack."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from cli.local_review import create_sample_repository, review_local
from core.settings import Settings
from core.temporal.client import connect

log = logging.getLogger("pr_agent.demo")


async def run_demo(settings: Settings) -> None:
    repo, base, head = create_sample_repository(Path(settings.paths.data_dir).resolve() / "demo-repo")
    log.info("demo: reviewing %s (%s against %s) through ReviewPR", repo, head, base)
    client = await connect(settings.temporal)
    result = await review_local(client, settings, repo, base, head)
    sys.stdout.write("\n" + result.rendered_text + "\n\n")
    sys.stdout.flush()
    log.info(
        "demo: review %s with %d findings; in the Temporal UI it is workflow review:%s#%d",
        result.status,
        result.findings,
        result.repository,
        result.number,
    )
