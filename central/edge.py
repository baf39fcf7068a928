"""What a request passes before the service reads its body.

A pure ASGI middleware, so it runs before FastAPI touches the body:

1. A body larger than MAX_BODY_BYTES is refused with 413: at once when its
   Content-Length says so, or as soon as the bytes received pass the cap (chunked
   uploads), so the service never holds more than the cap of one request in memory.
2. A request with a body to an API path (`/v1/...`) must carry a bearer token the
   service knows before a byte of that body is read: a missing or unknown token is
   401 at the headers, so an unauthenticated 100 MB upload costs one indexed lookup.

The pre-check does not replace the handler's own check (each handler authenticates
inside its transaction, so a revoked token is refused there at once). To keep the
per-request cost at one database round trip, a token that passed the pre-check is
remembered for PRECHECK_TTL_S; a revoked one can at most get one more bounded body
read in that time, never an answer.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central import tokens
from central.db import Database
from central.http_errors import error_response
from contract.wire import MAX_BODY_BYTES

PRECHECK_TTL_S = 30.0
PRECHECK_CACHE_SIZE = 4096
API_PREFIX = "/v1/"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class TokenPrecheck:
    """Is this bearer token known and not revoked? Positive answers are kept briefly."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.monotonic) -> None:
        self._db = db
        self._clock = clock
        self._known: OrderedDict[str, float] = OrderedDict()

    def _lookup(self, token: str) -> bool:
        with self._db.read() as conn:
            return tokens.authenticate(conn, token) is not None

    async def known(self, token: str) -> bool:
        digest = tokens.token_hash(token)
        now = self._clock()
        until = self._known.get(digest)
        if until is not None and until > now:
            return True
        if not await run_in_threadpool(self._lookup, token):
            self._known.pop(digest, None)
            return False
        self._known[digest] = now + PRECHECK_TTL_S
        self._known.move_to_end(digest)
        while len(self._known) > PRECHECK_CACHE_SIZE:
            self._known.popitem(last=False)
        return True


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _bearer(scope: Scope) -> str | None:
    value = _header(scope, b"authorization")
    if value is None:
        return None
    scheme, _, credentials = value.partition(" ")
    credentials = credentials.strip()
    return credentials if scheme.lower() == "bearer" and credentials else None


def _too_large(declared: int | None = None) -> str:
    size = f"{declared} bytes" if declared is not None else "more"
    return (
        f"request body of {size} exceeds the {MAX_BODY_BYTES}-byte limit: "
        "send less per request (fewer events per batch)"
    )


class RequestEdge:
    """The ASGI middleware: body cap for every request, token first for API bodies."""

    def __init__(self, app: ASGIApp, precheck: TokenPrecheck) -> None:
        self.app = app
        self.precheck = precheck

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length_text = _header(scope, b"content-length")
        chunked = _header(scope, b"transfer-encoding") is not None
        has_body = scope["method"] in BODY_METHODS or chunked or (length_text or "0") != "0"
        if not has_body:
            await self.app(scope, receive, send)
            return
        if length_text is not None:
            if not length_text.isdigit():
                await self._refuse(
                    scope, send, 400, "bad_request", "Content-Length is not a number"
                )
                return
            if int(length_text) > MAX_BODY_BYTES:
                await self._refuse(
                    scope, send, 413, "payload_too_large", _too_large(int(length_text))
                )
                return
        if scope["path"].startswith(API_PREFIX):
            token = _bearer(scope)
            if token is None:
                await self._refuse(
                    scope,
                    send,
                    401,
                    "missing_token",
                    "missing bearer token: send 'Authorization: Bearer <token>'",
                )
                return
            if not await self.precheck.known(token):
                await self._refuse(
                    scope,
                    send,
                    401,
                    "invalid_token",
                    "token is unknown or revoked: check the token file, or ask the operator "
                    "for a new one",
                )
                return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = bool(message.get("more_body", False))
            if len(body) > MAX_BODY_BYTES:
                await self._refuse(scope, send, 413, "payload_too_large", _too_large())
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(scope: Scope, send: Send, status: int, code: str, message: str) -> None:
        response = error_response(status, code, message)
        # The unread rest of the body makes the connection unusable: close it.
        response.headers["Connection"] = "close"

        async def nothing() -> Message:
            return {"type": "http.disconnect"}

        await response(scope, nothing, send)
