"""Opaque pull cursors.

A cursor names the resource, the locker and the last change sequence the client has
applied, base64url-encoded so clients treat it as opaque. It is pure data (no server
state), so it stays valid across restarts and across replicas of the service.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Connection, Select

from central.errors import Invalid

_VERSION = "c1"


def encode(kind: str, locker_id: str, seq: int) -> str:
    raw = f"{_VERSION}|{kind}|{locker_id}|{seq}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode(cursor: str | None, kind: str, locker_id: str) -> int:
    """The change sequence in `cursor`; 0 for no cursor (from the start)."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, c_kind, c_locker, c_seq = raw.split("|")
        seq = int(c_seq)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise Invalid(
            "cursor was not issued by this service; resend without a cursor to start over",
            code="invalid_cursor",
        ) from exc
    # A forged cursor may hold any number; the database holds 64 bits.
    if version != _VERSION or c_kind != kind or c_locker != locker_id or not 0 <= seq < 2**63:
        raise Invalid(
            f"cursor belongs to another resource or locker (expected {kind} of {locker_id}); "
            "resend without a cursor to start over",
            code="invalid_cursor",
        )
    return seq


def page(conn: Connection, query: Select[Any], seq: Column[Any], kind: str, locker_id: str,
         after: str | None, limit: int) -> tuple[Sequence[Any], str, bool]:
    """One page of `query`'s rows changed after the cursor, in `seq` order: (rows, the
    cursor that follows them, whether more rows wait). Every pull and log page of the
    service is cut this way."""
    start = decode(after, kind, locker_id)
    rows = conn.execute(query.where(seq > start).order_by(seq).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    last = getattr(rows[-1], seq.name) if rows else start
    return rows, encode(kind, locker_id, last), more
