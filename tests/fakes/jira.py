"""A local Jira Cloud REST server for tests, spoken to by the real `jira` client.

    with FakeJira(email="bot@acme.test", api_token="t0ken") as fake:
        fake.add_issue("KAN-1", "Login fails", "Steps...", "To Do", "2024-05-01T10:00:00.000+0000")
        client = JIRA(server=fake.url, basic_auth=("bot@acme.test", "t0ken"), max_retries=0)

Serves what the client asks at construction (`serverInfo`, and `field` for its field cache),
issues, both searches (`/search` with startAt for Server, `/search/jql` with nextPageToken, which
jira>=3.10 uses on Cloud) with a small JQL subset (`jira_jql`), in v2 and v3 paths.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from tests.fakes import jira_issues, jira_jql
from tests.fakes.http import FakeServer, RecordedRequest, Reply

__all__ = ["FakeJira"]

_PLACEHOLDER = "http://fake-jira.invalid"  # seeded before the port is known; replaced on output
_API = r"/rest/api/(?P<v>[23])"
_MESSAGES = {
    401: "You are not authenticated. Authentication required to perform this operation.",
    404: "Issue does not exist or you do not have permission to see it.",
}


class FakeJira(FakeServer):
    """Jira Cloud as the `jira` client calls it. `deployment_type="Server"` makes the client use
    the older startAt-paginated `/search` instead of `/search/jql`."""

    def __init__(
        self,
        *,
        email: str | None = "bot@example.com",
        api_token: str | None = "jira-token",
        deployment_type: str = "Cloud",
        timezone: tzinfo = UTC,
        max_page: int = 100,
        seed: int = 0,
    ) -> None:
        super().__init__(seed=seed)
        self.credentials = (email, api_token) if email is not None else None
        self.deployment_type = deployment_type
        self.timezone = timezone
        self.max_page = max_page
        self._issues: dict[str, dict[str, Any]] = {}
        self._next_id = 10001
        for method, pattern, handler in (
            ("GET", _API + "/serverInfo", self._server_info),
            ("GET", _API + "/field", self._fields),
            ("GET", _API + "/myself", self._myself),
            ("GET", r"/rest/auth/1/session", self._session),
            ("GET", _API + r"/issue/(?P<key>[^/]+)", self._get_issue),
            ("GET", _API + "/search", self._search),
            ("POST", _API + "/search", self._search),
            ("GET", _API + "/search/jql", self._search_jql),
            ("POST", _API + "/search/jql", self._search_jql),
        ):
            self.route(method, pattern, handler)

    # -- seeding -----------------------------------------------------------------------------
    def add_issue(
        self,
        key: str,
        summary: str,
        description: str | None = None,
        status: str = "To Do",
        updated: str | datetime = "2024-01-01T00:00:00.000+0000",
        issue_type: str = "Task",
        project: str | None = None,
        extra_fields: Mapping[str, Any] | None = None,
        created: str | datetime | None = None,
    ) -> None:
        """Add (or replace) an issue; `project` defaults to the key's prefix, times are Jira's
        "2024-01-01T00:00:00.000+0000" strings or aware datetimes."""
        fields = jira_issues.seeded_fields(
            _PLACEHOLDER,
            summary=summary,
            description=description,
            status=status,
            updated=jira_issues.jira_time(updated),
            created=jira_issues.jira_time(created or updated),
            issue_type=issue_type,
            project=project or key.rpartition("-")[0],
        )
        fields.update(extra_fields or {})
        self._store(key, fields)

    def add_issue_from_webhook(self, payload: Mapping[str, Any] | str | Path) -> str:
        """Seed the `issue` of a Jira webhook payload (a dict or a JSON file path); returns its key."""
        event = payload if isinstance(payload, Mapping) else json.loads(Path(payload).read_text())
        issue = event["issue"]
        self._store(issue["key"], issue["fields"], issue_id=int(issue["id"]))
        return str(issue["key"])

    def remove_issue(self, key: str) -> None:
        with self._lock:
            self._issues.pop(key, None)

    def issue_keys(self) -> list[str]:
        with self._lock:
            return list(self._issues)

    def _store(self, key: str, fields: Mapping[str, Any], issue_id: int | None = None) -> None:
        with self._lock:
            if issue_id is None:
                existing = self._issues.get(key)
                issue_id = int(existing["id"]) if existing else self._next_id
                self._next_id += 1
            self._issues[key] = jira_issues.new_issue(_PLACEHOLDER, issue_id, key, fields)

    # -- FakeServer hooks --------------------------------------------------------------------
    def error_reply(self, status: int, message: str | None = None) -> Reply:
        text = message or _MESSAGES.get(status) or f"HTTP {status}"
        return Reply(status, {"errorMessages": [text], "errors": {}})

    def authorize(self, request: RecordedRequest) -> Reply | None:
        if self.credentials is None:
            return None
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        try:
            user, _, secret = base64.b64decode(encoded).decode().partition(":")
        except ValueError:
            user, secret = "", ""
        if scheme.lower() == "basic" and (user, secret) == self.credentials:
            return None
        reply = self.error_reply(401)
        reply.headers["X-Seraph-LoginReason"] = "AUTHENTICATED_FAILED"
        return reply

    # -- routes ------------------------------------------------------------------------------
    def _server_info(self, request: RecordedRequest, p: dict[str, str]) -> Reply:
        return Reply(
            200,
            {
                "baseUrl": self.url,
                "version": "1001.0.0-SNAPSHOT",
                "versionNumbers": [1001, 0, 0],
                "deploymentType": self.deployment_type,
                "buildNumber": 100280,
                "buildDate": "2024-01-01T00:00:00.000+0000",
                "serverTime": jira_issues.jira_time(datetime.now(UTC)),
                "scmInfo": "fake",
                "serverTitle": "Fake Jira",
            },
        )

    def _fields(self, request: RecordedRequest, p: dict[str, str]) -> Reply:
        custom = sorted({n for i in self._issues.values() for n in i["fields"]} - _standard())
        listed = [
            {"id": fid, "key": fid, "name": name, "custom": False, "clauseNames": clauses}
            for fid, name, clauses in jira_issues.STANDARD_FIELDS
        ]
        listed += [
            {
                "id": c,
                "key": c,
                "name": c,
                "custom": c.startswith("customfield_"),
                "clauseNames": [c, f"cf[{c.removeprefix('customfield_')}]"],
            }
            for c in custom
        ]
        return Reply(200, listed)

    def _myself(self, request: RecordedRequest, p: dict[str, str]) -> Reply:
        email = self.credentials[0] if self.credentials else "anonymous"
        body = {"accountId": "fake-account", "emailAddress": email, "displayName": email}
        return Reply(200, {**body, "active": True, "self": f"{self.url}/rest/api/2/myself"})

    def _session(self, request: RecordedRequest, p: dict[str, str]) -> Reply:
        name = self.credentials[0] if self.credentials else "anonymous"
        return Reply(200, {"self": f"{self.url}/rest/api/2/myself", "name": name})

    def _get_issue(self, request: RecordedRequest, p: dict[str, str]) -> Reply:
        key = p["key"]
        issue = self._issues.get(key) or next((i for i in self._issues.values() if i["id"] == key), None)
        if issue is None:
            return self.error_reply(404)
        fields = request.query.get("fields")
        return Reply(200, self._render(issue, fields, v3=p["v"] == "3"))

    def _search(self, request: RecordedRequest, p: dict[str, str]) -> Reply:
        args = _search_args(request)
        found = self._run_jql(str(args.get("jql") or ""))
        if isinstance(found, Reply):
            return found
        start = int(args.get("startAt") or 0)
        size = min(int(args.get("maxResults") or 50), self.max_page)
        page = found[start : start + size]
        issues = [self._render(i, _list(args.get("fields")), v3=p["v"] == "3") for i in page]
        body = {"expand": "schema,names", "startAt": start, "maxResults": size}
        return Reply(200, {**body, "total": len(found), "issues": issues})

    def _search_jql(self, request: RecordedRequest, p: dict[str, str]) -> Reply:
        args = _search_args(request)
        found = self._run_jql(str(args.get("jql") or ""))
        if isinstance(found, Reply):
            return found
        token = args.get("nextPageToken")
        start = _decode_token(str(token)) if token else 0
        if start is None:
            return self.error_reply(400, "The provided next page token is invalid or expired.")
        size = min(int(args.get("maxResults") or 50), self.max_page)
        fields = _list(args.get("fields")) or ["id"]  # the new endpoint returns ids only by default
        page = found[start : start + size]
        body: dict[str, Any] = {
            "issues": [self._render(i, fields, v3=p["v"] == "3") for i in page],
            "isLast": start + size >= len(found),
        }
        if not body["isLast"]:
            body["nextPageToken"] = _encode_token(start + size)
        return Reply(200, body)

    def _run_jql(self, jql: str) -> list[dict[str, Any]] | Reply:
        try:
            query = jira_jql.parse(jql, tz=self.timezone, now=datetime.now(self.timezone))
            return query.run(list(self._issues.values()))
        except jira_jql.JqlError as problem:
            return self.error_reply(400, str(problem))
        except (KeyError, ValueError) as problem:  # a seeded issue lacks a field the query needs
            return self.error_reply(400, f"Error in the JQL Query: {problem}")

    def _render(self, issue: dict[str, Any], fields: list[str] | None, *, v3: bool) -> dict:
        shaped = jira_issues.render(issue, fields, v3=v3)
        shaped["self"] = shaped["self"].replace(_PLACEHOLDER, self.url)
        return json.loads(json.dumps(shaped).replace(_PLACEHOLDER, self.url))


def _standard() -> set[str]:
    return {fid for fid, _, _ in jira_issues.STANDARD_FIELDS} | {"comment"}


def _search_args(request: RecordedRequest) -> dict[str, Any]:
    """Search arguments from the query string (GET) or the JSON body (POST)."""
    if request.method == "POST" and isinstance(request.json, dict):
        return dict(request.json)
    args: dict[str, Any] = {k: v[0] for k, v in request.query.items()}
    if "fields" in request.query:
        args["fields"] = request.query["fields"]
    return args


def _list(value: Any) -> list[str] | None:
    if value is None:
        return None
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"fake-offset:{offset}".encode()).decode()


def _decode_token(token: str) -> int | None:
    try:
        prefix, _, offset = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        start = int(offset)
    except ValueError:
        return None
    return start if prefix == "fake-offset" and start >= 0 else None
