"""One place that shapes error bodies: `{"error": ..., "detail": ...}` for every failure."""

from __future__ import annotations

import logging

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

log = logging.getLogger(__name__)


# A restarting or unreachable database: the request can be retried, the server is not broken.
DATABASE_UNAVAILABLE = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
)


class ApiError(Exception):
    """A failure a route reports to its caller with a status code and a reason."""

    def __init__(self, status_code: int, error: str, detail: str, extra: dict | None = None) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.error = error
        self.detail = detail
        self.extra = extra or {}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.error, "detail": exc.detail, **exc.extra}, status_code=exc.status_code)

    @app.exception_handler(HTTPException)
    async def _http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": "http_error", "detail": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": "invalid_request", "detail": str(exc.errors()[:5])}, status_code=400)

    async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        # Nothing was recorded: a 503 makes GitHub and Jira deliver again later.
        log.warning("database unavailable on %s %s: %r", request.method, request.url.path, exc)
        return JSONResponse({"error": "database_unavailable", "detail": type(exc).__name__}, status_code=503)

    for kind in DATABASE_UNAVAILABLE:  # specific handlers: Starlette re-raises what reaches the generic one
        app.add_exception_handler(kind, _database_unavailable)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse({"error": "internal_error", "detail": type(exc).__name__}, status_code=500)
