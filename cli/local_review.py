"""Reviewing a local branch through the real ReviewPR workflow (`pr-agent review`, the dev demo)."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import timedelta
from pathlib import Path

from temporalio.client import Client

from contracts.common import REVIEW_PR
from contracts.review import PullRequestRef, ReviewPullRequestInput, ReviewResult
from core.settings import Settings
from core.temporal.client import task_queue


def local_ref(path: Path, base: str, head: str) -> PullRequestRef:
    """A stable pseudo pull request for a local branch: the same repo and refs map to the same id."""
    digest = int(hashlib.sha256(f"{path.resolve()}|{base}|{head}".encode()).hexdigest()[:6], 16)
    return PullRequestRef(
        repository=f"local/{path.resolve().name}",
        number=digest,
        provider="local",
        local_path=str(path.resolve()),
        base_ref=base,
        head_ref=head,
    )


async def review_local(client: Client, settings: Settings, path: Path, base: str, head: str) -> ReviewResult:
    """Run ReviewPR for `head` against `base` of the repository at `path`, forced, and wait for it."""
    ref = local_ref(path, base, head)
    return await client.execute_workflow(
        REVIEW_PR,
        ReviewPullRequestInput(pr=ref, head_sha=None, trigger="cli", force=True),
        id=f"review:{ref.repository}#{ref.number}",
        task_queue=task_queue(settings.temporal, "reviews"),
        result_type=ReviewResult,
        execution_timeout=timedelta(minutes=15),
    )


_SAMPLE_BASE = {
    "src/orders/orders.service.ts": (
        "import { Injectable, Logger } from '@nestjs/common';\n\n"
        "@Injectable()\nexport class OrdersService {\n  private readonly logger = new Logger(OrdersService.name);\n\n"
        "  findAll() {\n    return [];\n  }\n}\n"
    ),
    "public/order.php": "<?php\n$order = find_order($_GET['id']);\n?>\n<h1>Order</h1>\n",
}
_SAMPLE_CHANGE = {
    "src/orders/orders.service.ts": (
        "import { Injectable, Logger } from '@nestjs/common';\n\n"
        "@Injectable()\nexport class OrdersService {\n  private readonly logger = new Logger(OrdersService.name);\n\n"
        "  findAll() {\n    return [];\n  }\n\n"
        "  async findByCustomer(db: any, customerId: string) {\n"
        '    let query = "SELECT * FROM orders WHERE customer_id = \'" + customerId + "\'";\n'
        "    console.log('query', query);\n"
        "    return db.query(query);\n  }\n}\n"
    ),
    "public/order.php": (
        "<?php\n$order = find_order($_GET['id']);\n?>\n<h1>Order</h1>\n"
        "<p>Customer: <?php echo $order['customer_name']; ?></p>\n"
        "<p>Note: <?= $_GET['note'] ?></p>\n"
    ),
}


def create_sample_repository(target: Path) -> tuple[Path, str, str]:
    """A small git repository whose `feature` branch has a change worth reviewing; (path, base, head)."""
    if (target / ".git").exists():
        return target, "main", "feature/orders-by-customer"
    target.mkdir(parents=True, exist_ok=True)
    _git(target, "init", "-q", "-b", "main")
    _commit(target, _SAMPLE_BASE, "Orders service skeleton")
    _git(target, "checkout", "-q", "-b", "feature/orders-by-customer")
    _commit(target, _SAMPLE_CHANGE, "SHOP-42 List orders by customer")
    _git(target, "checkout", "-q", "main")
    return target, "main", "feature/orders-by-customer"


def _commit(repo: Path, files: dict[str, str], message: str) -> None:
    for relative, text in files.items():
        path = repo / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=PR Agent demo", "-c", "user.email=demo@pr-agent.local", "commit", "-q", "-m", message)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
