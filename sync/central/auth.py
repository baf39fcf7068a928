"""Bearer-token checks as FastAPI dependencies.

Device tokens belong to one locker: a call for another locker is 403. Operator tokens
may read any locker and call the operator endpoints; they cannot push events or
heartbeats (those are the locker's own testimony).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sync.central import tokens
from sync.central.context import ServiceContext, get_context
from sync.central.errors import Forbidden, Unauthorized
from sync.central.tokens import Principal, TokenKind

bearer = HTTPBearer(
    auto_error=False,
    description="Device token (one locker) or operator token, as `Authorization: Bearer ...`",
)

Ctx = Annotated[ServiceContext, Depends(get_context)]
LockerId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


def principal(
    ctx: Ctx, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal:
    if creds is None or not creds.credentials:
        raise Unauthorized(
            "missing bearer token: send 'Authorization: Bearer <token>'", code="missing_token"
        )
    with ctx.db.read() as conn:
        found = tokens.authenticate(conn, creds.credentials)
    if found is None:
        raise Unauthorized(
            "token is unknown or revoked: check the token file, or ask the operator for a new one",
            code="invalid_token",
        )
    return found


Caller = Annotated[Principal, Depends(principal)]


def operator(caller: Caller) -> Principal:
    if caller.kind is not TokenKind.OPERATOR:
        raise Forbidden("this endpoint needs the operator token", code="operator_only")
    return caller


def locker_device(locker_id: LockerId, caller: Caller) -> str:
    """The locker's own device token, nothing else."""
    if caller.kind is not TokenKind.DEVICE:
        raise Forbidden(
            "only the locker's device token may report for it", code="device_token_required"
        )
    if caller.locker_id != locker_id:
        raise Forbidden(
            f"this device token belongs to another locker, not {locker_id}",
            code="wrong_locker",
        )
    return locker_id


def locker_reader(locker_id: LockerId, caller: Caller) -> str:
    """The locker's device token or the operator token."""
    if caller.kind is TokenKind.DEVICE and caller.locker_id != locker_id:
        raise Forbidden(
            f"this device token belongs to another locker, not {locker_id}",
            code="wrong_locker",
        )
    return locker_id


Operator = Annotated[Principal, Depends(operator)]
DeviceLocker = Annotated[str, Depends(locker_device)]
ReadableLocker = Annotated[str, Depends(locker_reader)]
