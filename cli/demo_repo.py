"""The sample repository the demo (and `pr-agent review`'s test) reviews: a small NestJS shop API
with a PHP page, and a change on a branch named after Jira ticket SHOP-42.

The change builds SQL from a customer id and prints a request parameter unescaped, so the analyzers
have something to say; the rest of the code (a customers service with a parameterised query, the
database helper, the controller) is what related-code retrieval finds for it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

DEMO_TICKET = "SHOP-42"
BASE_BRANCH = "main"
HEAD_BRANCH = f"feature/{DEMO_TICKET}-orders-by-customer"

_PACKAGE = {
    "name": "shop-api",
    "version": "1.0.0",
    "private": True,
    "scripts": {"start": "nest start"},
    "dependencies": {"@nestjs/common": "^10.0.0", "@nestjs/core": "^10.0.0", "pg": "^8.11.0"},
}
_ORDERS_SERVICE = (
    "import { Injectable, Logger } from '@nestjs/common';\n\n"
    "@Injectable()\nexport class OrdersService {\n  private readonly logger = new Logger(OrdersService.name);\n\n"
    "  findAll() {\n    return [];\n  }\n"
)
_BASE = {
    "package.json": json.dumps(_PACKAGE, indent=2) + "\n",
    "README.md": "# shop-api\n\nOrders and customers of the shop, over HTTP (NestJS) and PostgreSQL.\n",
    "src/main.ts": (
        "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n\n"
        "async function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n"
        "  await app.listen(3000);\n}\nbootstrap();\n"
    ),
    "src/app.module.ts": (
        "import { Module } from '@nestjs/common';\nimport { CustomersModule } from './customers/customers.module';\n"
        "import { OrdersModule } from './orders/orders.module';\n\n"
        "@Module({ imports: [OrdersModule, CustomersModule] })\nexport class AppModule {}\n"
    ),
    "src/database/database.ts": (
        "import { Pool } from 'pg';\n\n"
        "// Every query goes through here, with its values as parameters ($1, $2, ...), never in the text.\n"
        "export class Database {\n  private readonly pool = new Pool();\n\n"
        "  query(text: string, values: unknown[] = []) {\n    return this.pool.query(text, values);\n  }\n}\n"
    ),
    "src/customers/customers.module.ts": (
        "import { Module } from '@nestjs/common';\nimport { CustomersService } from './customers.service';\n\n"
        "@Module({ providers: [CustomersService], exports: [CustomersService] })\n"
        "export class CustomersModule {}\n"
    ),
    "src/customers/customers.service.ts": (
        "import { Injectable } from '@nestjs/common';\nimport { Database } from '../database/database';\n\n"
        "@Injectable()\nexport class CustomersService {\n"
        "  async findCustomer(db: Database, customerId: string) {\n"
        "    const result = await db.query('SELECT * FROM customers WHERE id = $1', [customerId]);\n"
        "    return result.rows[0];\n  }\n}\n"
    ),
    "src/orders/orders.module.ts": (
        "import { Module } from '@nestjs/common';\nimport { OrdersController } from './orders.controller';\n"
        "import { OrdersService } from './orders.service';\n\n"
        "@Module({ controllers: [OrdersController], providers: [OrdersService] })\n"
        "export class OrdersModule {}\n"
    ),
    "src/orders/orders.controller.ts": (
        "import { Controller, Get } from '@nestjs/common';\nimport { OrdersService } from './orders.service';\n\n"
        "@Controller('orders')\nexport class OrdersController {\n"
        "  constructor(private readonly orders: OrdersService) {}\n\n"
        "  @Get()\n  findAll() {\n    return this.orders.findAll();\n  }\n}\n"
    ),
    "src/orders/orders.service.ts": _ORDERS_SERVICE + "}\n",
    "public/order.php": "<?php\n$order = find_order($_GET['id']);\n?>\n<h1>Order</h1>\n",
}
_CHANGE = {
    "src/orders/orders.service.ts": (
        _ORDERS_SERVICE + "\n"
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
_CHANGE_MESSAGE = f"{DEMO_TICKET} List orders by customer\n\nThe account page lists a customer's orders."


def create_sample_repository(target: Path) -> tuple[Path, str, str]:
    """The sample git repository at `target` (made once, reused after); returns (path, base, head)."""
    if (target / ".git").exists() and _has_branch(target, HEAD_BRANCH):
        return target, BASE_BRANCH, HEAD_BRANCH
    if target.exists():  # a sample from an older version of the demo: make it again
        shutil.rmtree(target)
    target.mkdir(parents=True)
    _git(target, "init", "-q", "-b", BASE_BRANCH)
    _commit(target, _BASE, "Shop API: orders and customers")
    _git(target, "checkout", "-q", "-b", HEAD_BRANCH)
    _commit(target, _CHANGE, _CHANGE_MESSAGE)
    _git(target, "checkout", "-q", BASE_BRANCH)
    return target, BASE_BRANCH, HEAD_BRANCH


def _has_branch(repo: Path, branch: str) -> bool:
    found = subprocess.run(["git", "rev-parse", "--verify", "--quiet", branch], cwd=repo, capture_output=True)
    return found.returncode == 0


def _commit(repo: Path, files: dict[str, str], message: str) -> None:
    for relative, text in files.items():
        path = repo / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=PR Agent demo", "-c", "user.email=demo@pr-agent.local", "commit", "-q", "-m", message)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
