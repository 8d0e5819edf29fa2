"""A small synthetic organisation (made up for these tests): two indexed repositories, an architecture
document, a Jira ticket and a pull request, written through the product's own repositories.

    acme/orders     Python service: orders and refunds (`app/refunds.py`), publishes `order-refunded`
    acme/payments   TypeScript ledger, consumes `order-refunded`
    ORD-7           "Partial refunds fail for orders paid with gift cards"
    acme/orders#42  "ORD-7: allow partial refunds on gift-card orders" by dana
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

from db.activity import ActivityRecord, upsert_activity
from db.analysis import AnalysisKey, AnalysisRepository, RepositoryFacts
from db.jira_tickets import JiraTicketRepository
from domain.jira_issue import TicketRecord
from tests.workflows.index_support import LocalRepo, index_directly

ORDERS, PAYMENTS = "acme/orders", "acme/payments"
TICKET, PULL = "ORD-7", 42
QUESTION = "How are partial refunds issued for gift card orders?"

REFUNDS_PY = '''"""Refunds: full and partial, recorded in the ledger through the order-refunded topic."""

from app.events import publish


def issue_refund(order, amount):
    """Refund `amount` of a paid order; partial refunds keep the order open."""
    if amount <= 0 or amount > order.paid_total:
        raise ValueError("refund amount out of range")
    if order.payment_method == "gift_card":
        return refund_to_gift_card(order, amount)
    publish("order-refunded", {"order_id": order.id, "amount": amount})
    return amount


def refund_to_gift_card(order, amount):
    """Gift cards are credited again instead of paying out."""
    order.gift_card.balance += amount
    publish("order-refunded", {"order_id": order.id, "amount": amount, "gift_card": True})
    return amount
'''

ORDERS_PY = '''"""Orders: creation and payment."""


def create_order(customer, lines):
    total = sum(line.price * line.quantity for line in lines)
    return {"customer": customer, "lines": lines, "total": total, "status": "open"}
'''

LEDGER_TS = """import { Subscriber } from './bus';

export class LedgerService {
  @Subscriber('order-refunded')
  async onOrderRefunded(event: { order_id: string; amount: number }) {
    await this.entries.insert({ order: event.order_id, credit: event.amount });
  }
}
"""

ARCHITECTURE = """---
repository: acme/orders
commit: {commit}
prompt_set: backend
---

# Architecture of acme/orders

## Overview

acme/orders is a Python service that takes orders and issues refunds (`app/orders.py:4`).

## Refunds

Refunds are issued by `issue_refund` (`app/refunds.py:6-13`). Orders paid with a gift card are
credited back to the card instead of paid out (`app/refunds.py:16-20`). Every refund publishes
`order-refunded` (`app/refunds.py:12`).

## Messaging

Publishes `order-refunded`, which acme/payments consumes for the ledger.
"""


@dataclass
class KnowledgeWorld:
    orders_commit: str
    payments_commit: str
    orders_path: Path
    payments_path: Path
    orders: LocalRepo  # to commit more to acme/orders in a test


async def seed_knowledge_world(pool: asyncpg.Pool, root: Path) -> KnowledgeWorld:
    orders = LocalRepo(root / "orders")
    orders.write("app/refunds.py", REFUNDS_PY)
    orders.write("app/orders.py", ORDERS_PY)
    orders_commit = orders.commit("refunds and orders")
    payments = LocalRepo(root / "payments")
    payments.write("src/ledger.service.ts", LEDGER_TS)
    payments_commit = payments.commit("ledger")
    await index_directly(pool, orders, ORDERS)
    await index_directly(pool, payments, PAYMENTS)
    await pool.execute(
        "UPDATE repositories SET html_url = 'https://github.com/' || full_name WHERE full_name = ANY($1::text[])",
        [ORDERS, PAYMENTS],
    )
    await save_architecture(pool, orders_commit)
    await seed_ticket_and_pull(pool)
    return KnowledgeWorld(orders_commit, payments_commit, orders.path, payments.path, orders)


async def save_architecture(pool: asyncpg.Pool, commit: str) -> None:
    facts = RepositoryFacts(ORDERS, "main", None, "backend", "python")
    structured = {"topics": {"published": ["order-refunded"], "subscribed": []}, "apis": [], "http_calls": []}
    key = AnalysisKey(ORDERS, commit, "backend-1", "openai/investigator")
    await AnalysisRepository(pool).save(key, facts, "backend", ARCHITECTURE.format(commit=commit), structured)
    payments_form = {"topics": {"published": [], "subscribed": ["order-refunded"]}, "apis": [], "http_calls": []}
    payments_facts = RepositoryFacts(PAYMENTS, "main", None, "backend", "typescript")
    payments_key = AnalysisKey(PAYMENTS, "0" * 40, "backend-1", "openai/investigator")
    await AnalysisRepository(pool).save(
        payments_key, payments_facts, "backend", "# Architecture of acme/payments\n\n## Ledger\n\nKeeps entries.\n",
        payments_form,
    )  # fmt: skip


async def seed_ticket_and_pull(pool: asyncpg.Pool) -> None:
    ticket = TicketRecord(
        key=TICKET,
        project_key="ORD",
        summary="Partial refunds fail for orders paid with gift cards",
        description="A partial refund of a gift card order pays out instead of crediting the card.",
        status="In Progress",
        issue_type="Bug",
        url="https://acme.atlassian.net/browse/ORD-7",
        jira_updated_at=datetime(2026, 11, 2, tzinfo=UTC),
    )
    await JiraTicketRepository(pool).upsert(ticket)
    pull = ActivityRecord(
        ORDERS, "pull_request", str(PULL), "dana", "ORD-7: allow partial refunds on gift-card orders",
        f"https://github.com/{ORDERS}/pull/{PULL}", "fix/ORD-7-gift-card-refunds", datetime(2026, 11, 3, tzinfo=UTC),
    )  # fmt: skip
    await upsert_activity(pool, [pull])


_CODE_REF = re.compile(r"code `(acme/[\w.-]+):([^`:]+):(\d+)-(\d+)`")


def citing_answer(body: dict[str, Any]) -> str:
    """What a careful model answers (the FakeLLM responder): cites the first code excerpt it was shown,
    the ticket and the pull request, plus one file it was NOT shown (which must be flagged)."""
    prompt = body["messages"][-1]["content"]
    match = _CODE_REF.search(prompt)
    code = f"`{match.group(1)}:{match.group(2)}:{match.group(3)}`" if match else "(no code shown)"
    return (
        f"Partial refunds go through `issue_refund`, and gift-card orders are credited back to the card "
        f"({code}). The bug is tracked in `{TICKET}` and fixed by `{ORDERS}#{PULL}`. "
        "Payouts are also logged in `acme/ghost:src/nowhere.py:1`."
    )
