"""The shared machinery of the fake services: a threaded HTTP server on 127.0.0.1, routing,
a request log and fault injection.

Each fake (GitHub, Jira, the LLM provider) subclasses `FakeServer`, registers its routes and says
how its service shapes an error body; everything else (threads, keep-alive, faults, logging the
requests) lives here so the three behave alike under test.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from tests.fakes.faults import Fault, Faults
from tests.fakes.triggers import Triggers

__all__ = ["FakeServer", "Fault", "Faults", "RecordedRequest", "Reply", "Route", "Triggers"]


@dataclass
class RecordedRequest:
    """One request as the fake received it; `status` is filled in once it is answered."""

    method: str
    path: str
    query: dict[str, list[str]]
    json: Any
    headers: dict[str, str]  # keys lower-cased
    body: bytes = b""
    status: int | None = None

    def param(self, name: str, default: str | None = None) -> str | None:
        """The first value of a query parameter, or `default`."""
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Reply:
    """What a route answers: a JSON-serialisable body, or `str`/`bytes` sent as they are."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"


Handler = Callable[[RecordedRequest, dict[str, str]], Reply]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


class FakeServer:
    """Base class: a `ThreadingHTTPServer` on 127.0.0.1 (port 0) in a daemon thread.

    Use it as a context manager or with `start()`/`stop()`. `requests` logs every request (faulted
    ones too, so retries can be counted); `faults` injects errors and delays; `triggers` changes
    state just before a chosen request; `server_errors` keeps the traceback of any bug in a route,
    which is answered as a 500.
    """

    def __init__(self, *, seed: int = 0) -> None:
        self._lock = threading.RLock()
        self.requests: list[RecordedRequest] = []
        self.server_errors: list[str] = []
        self.faults = Faults(seed=seed)
        self.triggers = Triggers()
        self._routes: list[Route] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()

    # -- lifecycle ---------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """The base URL, e.g. "http://127.0.0.1:54321" (only once started)."""
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        """Bind 127.0.0.1 on a free port and serve in a daemon thread."""
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._server.daemon_threads = True
        # A short poll interval: `shutdown()` waits for the loop to notice, up to one interval.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=type(self).__name__,
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close kept-alive connections, so later calls see a refused port."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()  # wakes handlers sleeping in a delay fault
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            _close_quietly(conn)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- request log -------------------------------------------------------------------------
    def requests_matching(self, method: str | None = None, path: str | None = None) -> list[RecordedRequest]:
        """Logged requests with this method and whose path matches the regex `path` (search)."""
        with self._lock:
            logged = list(self.requests)
        return [
            r
            for r in logged
            if (method is None or r.method == method.upper()) and (path is None or re.search(path, r.path))
        ]

    def clear_requests(self) -> None:
        """Forget the request log (state and faults stay)."""
        with self._lock:
            self.requests.clear()

    # -- for subclasses ----------------------------------------------------------------------
    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """Serve `method` on paths fully matching `pattern`; named groups go to the handler."""
        self._routes.append(Route(method.upper(), re.compile(pattern), handler))

    def error_reply(self, status: int, message: str | None = None) -> Reply:
        """The service's error body for `status`; subclasses shape it like their real API."""
        return Reply(status, {"message": message or _reason(status)})

    def authorize(self, request: RecordedRequest) -> Reply | None:
        """Return an error reply to refuse the request, or None to let it through."""
        return None

    def base_headers(self) -> dict[str, str]:
        """Headers sent on every reply (rate-limit headers and the like)."""
        return {}

    # -- dispatch ----------------------------------------------------------------------------
    def _dispatch(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
        with self._lock:
            self.triggers.fire(request.method, request.path)
        fault = self.faults.take(request.method, request.path)
        if fault is not None:
            if fault.delay:
                self._stopping.wait(fault.delay)
            if fault.status is not None:
                reply = self.error_reply(fault.status)
                if fault.body is not None:
                    reply.body = fault.body
                reply.headers.update(fault.headers)
                return reply
        return self._serve(request)

    def _serve(self, request: RecordedRequest) -> Reply:
        refused = self.authorize(request)
        if refused is not None:
            return refused
        allowed = False
        for route in self._routes:
            match = route.pattern.fullmatch(request.path)
            if match is None:
                continue
            allowed = True
            if route.method == request.method:
                return self._call(route, request, match)
        return self.error_reply(405 if allowed else 404)

    def _call(self, route: Route, request: RecordedRequest, match: re.Match[str]) -> Reply:
        try:
            with self._lock:
                return route.handler(request, match.groupdict())
        except Exception:  # a bug in a fake must be visible, not a hung client
            self.server_errors.append(traceback.format_exc())
            return self.error_reply(500, "fake server error (see server_errors)")

    def link_url(self, request: RecordedRequest, **params: object) -> str:
        """An absolute URL to the same path with some query parameters replaced."""
        query = {k: list(v) for k, v in request.query.items()}
        query.update({k: [str(v)] for k, v in params.items()})
        return f"{self.url}{quote(request.path)}?{urlencode(query, doseq=True)}"


def _reason(status: int) -> str:
    return BaseHTTPRequestHandler.responses.get(status, ("Error",))[0]


def _close_quietly(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the client
        conn.shutdown(socket.SHUT_RDWR)


def _parse_json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _encode(reply: Reply) -> bytes:
    if reply.body is None:
        return b""
    if isinstance(reply.body, bytes):
        return reply.body
    if isinstance(reply.body, str):
        return reply.body.encode()
    return json.dumps(reply.body).encode()


def _handler_class(fake: FakeServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        # HTTP/1.1 keep-alive: the real clients pool connections, and so must the fake.
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            with fake._lock:
                fake._connections.add(self.connection)

        def finish(self) -> None:
            with fake._lock:
                fake._connections.discard(self.connection)
            with contextlib.suppress(OSError):  # the client hung up first
                super().finish()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the request log is `fake.requests`."""

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            request = RecordedRequest(
                method=self.command,
                path=unquote(parts.path),
                query=parse_qs(parts.query, keep_blank_values=True),
                json=_parse_json(raw),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=raw,
            )
            try:
                reply = fake._dispatch(request)
            except Exception:  # a bug in a fake must be visible, not a dropped connection
                fake.server_errors.append(traceback.format_exc())
                reply = fake.error_reply(500, "fake server error (see server_errors)")
            request.status = reply.status
            try:
                self._write(reply)
            except OSError:  # the client gave up (a timeout test): nothing to answer
                self.close_connection = True

        def _write(self, reply: Reply) -> None:
            payload = _encode(reply)
            self.send_response(reply.status)
            headers = {**fake.base_headers(), **reply.headers}
            headers.setdefault("Content-Type", reply.content_type)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    return _Handler
