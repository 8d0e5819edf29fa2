"""A small local stand-in of Jira's REST API (v2) holding the demo's one ticket, so `pr-agent dev --demo`
goes through the real Jira sync path without a Jira site.

It answers what the `jira` client asks when the product syncs: `GET /rest/api/2/issue/{key}` (a
404 with Jira's error body for any other key), and `serverInfo`, `field` and `search` (so
`pr-agent sync-jira --projects SHOP` works against it too); like Jira it refuses a request without
credentials. It runs on 127.0.0.1 only, for as long as the stack.
When Jira is configured the demo uses that instead, and the stand-in is not started.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pydantic import SecretStr

from cli.demo_repo import DEMO_TICKET
from core.settings import Settings

log = logging.getLogger("pr_agent.demo")

# What `GET /field` lists (the client reads it to translate field names in a search).
_FIELDS = [
    {"id": name, "name": name.capitalize(), "custom": False, "searchable": True, "clauseNames": [name]}
    for name in ("summary", "description", "status", "issuetype", "priority", "project", "labels", "updated")
]
_DESCRIPTION = """Customers want to see their past orders on the account page.

Acceptance criteria:
- GET /orders?customerId=... returns only that customer's orders, newest first.
- The customer id reaches the database as a query parameter, never inside the SQL text.
- Nothing a customer typed is written to the logs or echoed into a page unescaped.
"""


def demo_issue(base_url: str) -> dict[str, Any]:
    """The demo ticket as Jira's REST API v2 returns an issue."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    return {
        "id": "10042",
        "key": DEMO_TICKET,
        "self": f"{base_url}/rest/api/2/issue/10042",
        "fields": {
            "summary": "List a customer's orders on the account page",
            "description": _DESCRIPTION,
            "status": {"name": "In Progress", "statusCategory": {"key": "indeterminate", "name": "In Progress"}},
            "issuetype": {"name": "Story"},
            "priority": {"name": "Medium"},
            "project": {"id": "10000", "key": "SHOP", "name": "Shop"},
            "labels": ["orders"],
            "reporter": {"displayName": "Demo Product Owner"},
            "assignee": {"displayName": "Demo Developer"},
            "created": stamp,
            "updated": stamp,
        },
    }


class _JiraHandler(BaseHTTPRequestHandler):
    server: _JiraServer

    def do_GET(self) -> None:
        if not self.headers.get("Authorization"):
            self._send(401, {"errorMessages": ["You are not authenticated."], "errors": {}})
            return
        url = urlsplit(self.path)
        issue = demo_issue(self.server.base_url)
        if url.path == "/rest/api/2/serverInfo":
            self._send(200, {"baseUrl": self.server.base_url, "version": "9.12.0", "deploymentType": "Server"})
        elif url.path == "/rest/api/2/field":
            self._send(200, _FIELDS)
        elif url.path == f"/rest/api/2/issue/{DEMO_TICKET}":
            self._send(200, issue)
        elif url.path.startswith("/rest/api/2/issue/"):
            message = "Issue does not exist or you do not have permission to see it."
            self._send(404, {"errorMessages": [message], "errors": {}})
        elif url.path == "/rest/api/2/search":
            jql = parse_qs(url.query).get("jql", [""])[0]
            issues = [issue] if '"SHOP"' in jql or "= SHOP" in jql else []
            self._send(200, {"startAt": 0, "maxResults": 100, "total": len(issues), "issues": issues})
        else:
            self._send(404, {"errorMessages": [f"no such resource: {url.path}"], "errors": {}})

    def _send(self, status: int, body: dict[str, Any] | list[dict[str, Any]]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("demo Jira: " + format, *args)


class _JiraServer(ThreadingHTTPServer):
    daemon_threads = True

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


@asynccontextmanager
async def demo_jira(settings: Settings) -> AsyncIterator[Settings]:
    """The settings the demo stack runs with: pointed at a started stand-in, unless Jira is configured."""
    if settings.jira.configured:
        log.info("demo: Jira is configured; the demo looks %s up there", DEMO_TICKET)
        yield settings
        return
    server = _JiraServer(("127.0.0.1", 0), _JiraHandler)
    thread = threading.Thread(target=server.serve_forever, name="demo-jira", daemon=True)
    thread.start()
    log.info("demo: a local stand-in of Jira's REST API at %s holds ticket %s", server.base_url, DEMO_TICKET)
    jira = settings.jira.model_copy(
        update={"base_url": server.base_url, "email": "demo@pr-agent.local", "api_token": SecretStr("demo")}
    )
    try:
        yield settings.model_copy(update={"jira": jira})
    finally:
        server.shutdown()
        server.server_close()
