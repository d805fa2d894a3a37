"""The server's guards: the write token, request size limits, security headers, errors as JSON.

Every refusal is a ``ServerError`` with an NG5xx code and the HTTP status it maps to; every
error leaves the server as ``{"error": {"code", "message", "where"}}`` and never as a trace.
"""
from __future__ import annotations

import hmac
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import InputError, ModelError, NewsgraphError, QueryError, ServerError, StoreError

NG501_NO_TOKEN = "NG501"          # a write without an Authorization: Bearer token (401)
NG502_BAD_TOKEN = "NG502"         # a write with a wrong token, or writes are disabled (403)
NG503_TOO_LARGE = "NG503"         # the request body is over the limit (413)
NG504_URL_REFUSED = "NG504"       # a URL to fetch is not http(s) or points inside the network (400)
NG505_FETCH_FAILED = "NG505"      # the URL could not be fetched (timeout, HTTP error, too large) (502)
NG506_BAD_REQUEST = "NG506"       # a parameter or body is malformed (422)
NG507_NOT_FOUND = "NG507"         # no such page or route (404)
NG508_BAD_HOST = "NG508"          # the Host header names a host this server does not answer for (400)
NG500_INTERNAL = "NG500"          # anything unexpected; details go to the server log only (500)

# Every code the HTTP layer adds: (HTTP status, what it means). Shown on /docs.
SERVER_CODES = {
    NG501_NO_TOKEN: (401, "a write without an Authorization: Bearer token"),
    NG502_BAD_TOKEN: (403, "a wrong token, or writes are disabled (no NEWSGRAPH_TOKEN)"),
    NG503_TOO_LARGE: (413, "the request body is over the limit"),
    NG504_URL_REFUSED: (400, "a URL that is not http(s) or resolves to a non-public address"),
    NG505_FETCH_FAILED: (502, "the URL could not be fetched (timeout, HTTP error, too large, not HTML/text)"),
    NG506_BAD_REQUEST: (422, "a malformed parameter or body"),
    NG507_NOT_FOUND: (404, "no such page or route"),
    NG508_BAD_HOST: (400, "a Host header the server does not answer for"),
    NG500_INTERNAL: (500, "an unexpected error (details in the server log only)"),
}
# The other layers' codes as the API returns them.
OTHER_CODES = [("NG1xx", 422, "the posted input is not a readable news article (empty, binary, bad date...)"),
               ("NG401", 404, "no entity has this name or id"), ("NG402", 404, "no stored article has this id"),
               ("NG403", 422, "an empty or malformed query"),
               ("NG304", 422, "a merge or split that names nothing that can be changed"),
               ("NG3xx", 503, "the store refused or failed")]
_STATUS = {code: status for code, (status, _) in SERVER_CODES.items()}

# The default body limit: a long article as JSON, with room to spare.
MAX_BODY_BYTES = 2_000_000

# Cytoscape.js injects one fixed rule (".__________cytoscape_container { position: relative; }"); its hash
# is allowed so that rule is the only inline style a page may carry.
_CYTOSCAPE_STYLE = "'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8='"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' " + _CYTOSCAPE_STYLE + "; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

log = logging.getLogger("newsgraph.server")


def status_for(exc: NewsgraphError) -> int:
    """The HTTP status a numbered error maps to."""
    if exc.code in _STATUS:
        return _STATUS[exc.code]
    if exc.code == "NG304":                           # a merge or split that names nothing to change
        return 422
    if isinstance(exc, QueryError):
        return 422 if exc.code == "NG403" else 404
    if isinstance(exc, InputError):
        return 422
    if isinstance(exc, ServerError):
        return 400
    if isinstance(exc, (StoreError, ModelError)):
        return 503
    return 500


def error_body(code: str, message: str, where: str | None = None) -> dict[str, Any]:
    """The one shape of every error the API returns."""
    return {"error": {"code": code, "message": message, "where": where}}


def check_token(expected: str | None, authorization: str | None) -> None:
    """Allow a write only with ``Authorization: Bearer <token>`` matching the server's token."""
    if not expected:
        raise ServerError("writes are disabled on this server (start it with NEWSGRAPH_TOKEN set)",
                          code=NG502_BAD_TOKEN)
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ServerError("this request writes to the store and needs an Authorization: Bearer token",
                          code=NG501_NO_TOKEN)
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise ServerError("the token is not valid", code=NG502_BAD_TOKEN)


class BodyLimit:
    """ASGI middleware: refuse bodies over ``max_bytes`` (by Content-Length, and while streaming)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int = MAX_BODY_BYTES):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _too_large(self.max_bytes, send)
            return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:
                    raise _BodyTooLarge()
            return msg

        async def tracking_send(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, limited, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _too_large(self.max_bytes, send)


class _BodyTooLarge(Exception):
    pass


async def _too_large(limit: int, send: Send) -> None:
    resp = JSONResponse(error_body(NG503_TOO_LARGE, f"the request body is over {limit} bytes"), status_code=413)
    await resp({"type": "http"}, _nothing, send)


async def _nothing() -> Message:
    return {"type": "http.disconnect"}


class HostCheck:
    """ASGI middleware: answer only requests whose Host is one of ``hosts`` (against DNS rebinding)."""

    def __init__(self, app: ASGIApp, *, hosts: list[str]):
        self.app = app
        self.hosts = {h.lower() for h in hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers") or ()).get(b"host", b"").decode("latin-1").lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in self.hosts:
                resp = JSONResponse(error_body(NG508_BAD_HOST, "this server does not answer for that host name"),
                                    status_code=400)
                await resp(scope, receive, send)
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """ASGI middleware: a strict Content-Security-Policy and friends on every response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                headers = list(msg.get("headers") or [])
                headers += [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]
                msg = {**msg, "headers": headers}
            await send(msg)

        await self.app(scope, receive, with_headers)


def install_error_handlers(app: FastAPI, *, html: Any = None) -> None:
    """Numbered errors, validation errors, unknown routes and crashes all become JSON (or an HTML page)."""

    def respond(request: Request, status: int, code: str, message: str, where: str | None = None) -> Any:
        if html is not None and not request.url.path.startswith("/api/") and request.method == "GET":
            return html(request, status, code, message)
        return JSONResponse(error_body(code, message, where), status_code=status)

    @app.exception_handler(NewsgraphError)
    async def numbered(request: Request, exc: NewsgraphError) -> Any:
        return respond(request, status_for(exc), exc.code, exc.message, exc.where)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Any:
        parts = []
        for err in exc.errors()[:5]:
            loc = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
            parts.append(f"{loc}: {err.get('msg', 'invalid')}" if loc else str(err.get("msg", "invalid")))
        return respond(request, 422, NG506_BAD_REQUEST, "; ".join(parts) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if isinstance(exc.__cause__, _BodyTooLarge):      # a streamed body that ran over the limit
            return respond(request, 413, NG503_TOO_LARGE, "the request body is over the limit")
        code = NG507_NOT_FOUND if exc.status_code == 404 else NG506_BAD_REQUEST
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return respond(request, exc.status_code, code, message)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Any:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return respond(request, 500, NG500_INTERNAL, "internal error (see the server log)")
