"""Synthetic consumer repositories for the impact benchmark (made up here, named as such).

Each is a TypeScript service of `modules` files in the shape real ones have: an axios client with
a base path, calls to its own routes and now and then to the impact world's `acme/api`, a Pub/Sub
subscription, SQL on a shared database, imports from `@acme/shared` at various ranges. They give
the review's impact step the facts of a 50-repository organisation to load and match against.
"""

from __future__ import annotations

import json

from domain.impact import ExpectedImpact

SHARED_RANGES = ("^1.3.0", "^1.2.0", "~1.3.0", "1.0.0", "^1.0.0", "workspace:*")


def synthetic_repository(index: int, modules: int = 30) -> dict[str, str]:
    """The files of synthetic service number `index`."""
    name = f"svc-{index:02d}"
    files = {
        "package.json": _manifest(name, SHARED_RANGES[index % len(SHARED_RANGES)]),
        "src/http.ts": (
            "import axios from 'axios';\n\n"
            "export const api = axios.create({ baseURL: '/api', timeout: 5_000 });\n"
            "export const billing = axios.create({ baseURL: process.env.BILLING_URL });\n"
        ),
        "src/db.ts": "import { Pool } from 'pg';\n\nexport const pool = new Pool({ connectionString: DB_URL });\n",
        "src/main.ts": _subscriber(name, index),
    }
    for module in range(modules):
        files[f"src/modules/{_noun(module)}{module:02d}.ts"] = _module(index, module)
    return files


def _manifest(name: str, shared: str) -> str:
    dependencies = {"@acme/shared": shared, "@google-cloud/pubsub": "^4.3.0", "axios": "^1.6.7", "pg": "^8.11.3"}
    return json.dumps({"name": name, "version": "0.0.0", "private": True, "dependencies": dependencies}, indent=2)


def _subscriber(name: str, index: int) -> str:
    topic = "user-events" if index % 7 == 0 else f"{name}-jobs"
    return (
        "import { Message, PubSub } from '@google-cloud/pubsub';\n\n"
        "const pubsub = new PubSub();\n"
        f"const subscription = pubsub.topic('{topic}').subscription('{name}-worker');\n\n"
        "subscription.on('message', (message: Message) => {\n"
        "  const event = JSON.parse(message.data.toString());\n"
        "  console.log(event.kind, event.id);\n"
        "  message.ack();\n"
        "});\n"
    )


def _module(index: int, module: int) -> str:
    noun = _noun(module)
    world_call = (
        "\nexport async function removeUser(slug: string): Promise<void> {\n"
        "  await api.delete(`/users/${encodeURIComponent(slug)}`);\n}\n"
        if (index + module) % 29 == 0
        else ""
    )
    return (
        "import { api, billing } from '../http';\n"
        "import { pool } from '../db';\n"
        "import { formatDate, formatUser } from '@acme/shared';\n\n"
        f"export async function list{noun.title()}{module}(page = 1) {{\n"
        f"  const {{ data }} = await api.get(`/{noun}s`, {{ params: {{ page }} }});\n"
        "  return data;\n}\n\n"
        f"export async function get{noun.title()}{module}(id: string) {{\n"
        f"  const {{ data }} = await api.get(`/{noun}s/${{id}}/lines`);\n"
        "  return { ...data, created: formatDate(data.createdAt), owner: formatUser(data.owner) };\n}\n\n"
        f"export async function charge{module}(id: string, cents: number) {{\n"
        f"  await billing.post(`/charges`, {{ {noun}Id: id, cents }});\n}}\n\n"
        f"export async function totals{module}(customer: string) {{\n"
        f"  const {{ rows }} = await pool.query('SELECT id, total, status FROM {noun}s WHERE customer_id = $1', "
        "[customer]);\n  return rows;\n}\n"
        f"{world_call}"
    )


def _noun(module: int) -> str:
    return ("order", "invoice", "shipment", "refund", "coupon", "basket")[module % 6]


def synthetic_expected(index: int, modules: int, change: str) -> list[ExpectedImpact]:
    """The uses of world edges that synthetic service `index` was built with, for world change `change`
    (the ground truth comes from the generator, not from the impact code)."""
    repository = f"acme/svc-{index:02d}"
    files = synthetic_repository(index, modules)
    if change == "remove-route":
        return _uses("route", "DELETE /api/users/:slug", repository, files, "api.delete(`/users/")
    if change == "rename-topic" and index % 7 == 0:
        return [ExpectedImpact("topic", "user-events", repository, "src/main.ts", 4)]
    if change == "break-export":
        needle = "import { formatDate, formatUser } from '@acme/shared';"
        name = "@acme/shared#formatUser"
        return [
            ExpectedImpact("export", name, repository, p, _line(t, needle)) for p, t in files.items() if needle in t
        ]
    if change == "release" and SHARED_RANGES[index % len(SHARED_RANGES)] in ("~1.3.0", "1.0.0"):  # leave out 1.4.0
        manifest = files["package.json"]
        return [ExpectedImpact("package", "@acme/shared", repository, "package.json", _line(manifest, "@acme/shared"))]
    return []  # drop-column, add-route and internal-only touch nothing these services use


def _uses(kind: str, name: str, repository: str, files: dict[str, str], needle: str) -> list[ExpectedImpact]:
    found = sorted((path, _line(text, needle)) for path, text in files.items() if needle in text)
    return [ExpectedImpact(kind, name, repository, path, line) for path, line in found]


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)
