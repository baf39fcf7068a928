"""Bearer-token checks.

Device tokens belong to one locker: a call for another locker is 403. Operator tokens
may read any locker and call the operator endpoints; they cannot push events or
heartbeats (those are the locker's own testimony).

The token is taken from the header by an async dependency (no I/O), and checked
inside the handler's own transaction: one database round trip and no extra thread
hop per request, which is most of the per-request cost at fleet scale.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection

from central import tokens
from central.context import ServiceContext, get_context
from central.errors import Forbidden, Unauthorized
from central.tokens import Principal, TokenKind

bearer = HTTPBearer(
    auto_error=False,
    description="Device token (one locker) or operator token, as `Authorization: Bearer ...`",
)

Ctx = Annotated[ServiceContext, Depends(get_context)]
LockerId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


async def bearer_token(
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    if creds is None or not creds.credentials:
        raise Unauthorized(
            "missing bearer token: send 'Authorization: Bearer <token>'", code="missing_token"
        )
    return creds.credentials


Token = Annotated[str, Depends(bearer_token)]


def authenticate(conn: Connection, token: str) -> Principal:
    found = tokens.authenticate(conn, token)
    if found is None:
        raise Unauthorized(
            "token is unknown or revoked: check the token file, or ask the operator for a new one",
            code="invalid_token",
        )
    return found


def require_operator(conn: Connection, token: str) -> Principal:
    caller = authenticate(conn, token)
    if caller.kind is not TokenKind.OPERATOR:
        raise Forbidden("this endpoint needs the operator token", code="operator_only")
    return caller


def require_device(conn: Connection, token: str, locker_id: str) -> Principal:
    """The locker's own device token, nothing else."""
    caller = authenticate(conn, token)
    if caller.kind is not TokenKind.DEVICE:
        raise Forbidden(
            "only the locker's device token may report for it", code="device_token_required"
        )
    _same_locker(caller, locker_id)
    return caller


def require_reader(conn: Connection, token: str, locker_id: str) -> Principal:
    """The locker's device token or the operator token."""
    caller = authenticate(conn, token)
    if caller.kind is TokenKind.DEVICE:
        _same_locker(caller, locker_id)
    return caller


def _same_locker(caller: Principal, locker_id: str) -> None:
    if caller.locker_id != locker_id:
        raise Forbidden(
            f"this device token belongs to another locker, not {locker_id}", code="wrong_locker"
        )
