"""Device and operator bearer tokens.

Tokens are 256-bit random strings; only their sha256 is stored. A slow KDF buys
nothing for secrets with that much entropy, and a fast hash keeps the per-request
lookup cheap.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Connection, insert, select, update

from central.errors import NotFound
from central.schema import lockers, tokens

TOKEN_PREFIX = "xpt_"


class TokenRevoked(ValueError):
    """A revoked token was offered for registration again."""


class TokenKind(StrEnum):
    DEVICE = "device"
    OPERATOR = "operator"


@dataclass(frozen=True)
class Principal:
    """Who a request is from."""

    kind: TokenKind
    locker_id: str | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def register(
    conn: Connection, token: str, kind: TokenKind, now: datetime, locker_id: str | None = None
) -> None:
    """Store the hash of `token`; registering a known active token again is a no-op.

    A revoked token stays revoked (TokenRevoked): a leaked token must not come back
    because an old token file was left in place.
    """
    digest = token_hash(token)
    if kind is TokenKind.DEVICE:
        exists = conn.execute(select(lockers.c.locker_id).where(lockers.c.locker_id == locker_id))
        if exists.first() is None:
            raise NotFound(f"locker {locker_id} does not exist", code="locker_not_found")
    row = conn.execute(
        select(tokens.c.kind, tokens.c.locker_id, tokens.c.revoked_at).where(
            tokens.c.token_hash == digest
        )
    ).first()
    if row is None:
        conn.execute(
            insert(tokens).values(
                token_hash=digest, kind=kind.value, locker_id=locker_id, created_at=now
            )
        )
    elif row.revoked_at is not None:
        raise TokenRevoked("this token was revoked; put a new one in place")
    elif (row.kind, row.locker_id) != (kind.value, locker_id):
        raise TokenRevoked("this token is already registered for another role or locker")


def issue(conn: Connection, kind: TokenKind, now: datetime, locker_id: str | None = None) -> str:
    token = new_token()
    register(conn, token, kind, now, locker_id)
    return token


def authenticate(conn: Connection, token: str) -> Principal | None:
    row = conn.execute(
        select(tokens.c.kind, tokens.c.locker_id).where(
            tokens.c.token_hash == token_hash(token), tokens.c.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        return None
    return Principal(kind=TokenKind(row.kind), locker_id=row.locker_id)


def revoke_device_tokens(conn: Connection, locker_id: str, now: datetime) -> int:
    result = conn.execute(
        update(tokens)
        .where(
            tokens.c.locker_id == locker_id,
            tokens.c.kind == TokenKind.DEVICE.value,
            tokens.c.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    return result.rowcount


def revoke(conn: Connection, token: str, now: datetime) -> bool:
    result = conn.execute(
        update(tokens)
        .where(tokens.c.token_hash == token_hash(token), tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount > 0


def was_issued(conn: Connection, token: str) -> bool:
    """Known to the service, revoked or not (a revoked token is not a guess)."""
    row = conn.execute(select(tokens.c.token_hash).where(tokens.c.token_hash == token_hash(token)))
    return row.first() is not None
