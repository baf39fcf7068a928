"""Every error leaves as `{"error": {"code", "message"}}`, FastAPI's own ones included."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from central.errors import ApiError
from contract.wire import ErrorBody, ErrorDetail

log = logging.getLogger(__name__)

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    503: "service_unavailable",
}

ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorBody, "description": code.replace("_", " ")}
    for status, code in STATUS_CODES.items()
    if status in (401, 403, 404, 409, 422)
}


def error_response(status: int, code: str, message: str) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message=message))
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def excerpt(value: object, limit: int = 40) -> str:
    """A short, escaped excerpt of caller-sent text, safe in a message and a log line.

    Keys of a caller's JSON object end up in error locations; they may be long or hold
    characters no encoder accepts (a NUL, an unpaired surrogate)."""
    text = str(value)
    text = text if len(text) <= limit else text[: limit - 3] + "..."
    return text.encode("unicode_escape").decode("ascii")


def describe_errors(errors: Sequence[Any], *, strip_first: bool = True) -> str:
    """One line for the first few validation errors: `where: what` each."""
    parts = []
    for err in list(errors)[:5]:
        loc = [excerpt(p) for p in err.get("loc", ())]
        if strip_first and loc and loc[0] in ("body", "query", "path"):
            loc = loc[1:]
        parts.append(f"{'.'.join(loc) or 'body'}: {excerpt(err.get('msg', 'invalid'), 200)}")
    more = len(errors) - 5
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def describe_validation(exc: RequestValidationError) -> str:
    return describe_errors(exc.errors())


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(422, "validation_error", describe_validation(exc))


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = STATUS_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return error_response(exc.status_code, code, message)


async def _integrity_error(request: Request, exc: Exception) -> JSONResponse:
    # Two requests raced to create the same row (a unique key); the loser may retry.
    log.warning("conflicting concurrent write on %s %s", request.method, request.url.path)
    return error_response(409, "conflict", "a concurrent request changed the same data; retry")


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.error("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    response = error_response(
        503, "database_unavailable", "the service cannot reach its database; retry later"
    )
    response.headers["Retry-After"] = "5"
    return response


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "internal error; the service log has details")


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected)
