"""Server-side limits on guessing: wrong operator passwords and wrong bearer tokens.

Failures are counted per client address and scope in the database (so every process
serving the API sees the same count and a restart resets nothing). MAX failures
within WINDOW block the address for BLOCK; while blocked, sign-in is refused without
checking the password and bearer tokens get 429 before they are looked up. A block
is an alarm on the console's alarms page until it runs out. A clock that jumps back
never reopens a window: a window that seems to start in the future is still current.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, update

from central.schema import throttles

log = logging.getLogger(__name__)

LOGIN = "login"
TOKEN = "token"


@dataclass(frozen=True)
class Limit:
    failures: int
    window: timedelta
    block: timedelta


LIMITS = {
    LOGIN: Limit(failures=10, window=timedelta(minutes=15), block=timedelta(minutes=15)),
    TOKEN: Limit(failures=20, window=timedelta(minutes=10), block=timedelta(minutes=10)),
}


def blocked(conn: Connection, scope: str, client: str, now: datetime) -> bool:
    row = conn.execute(
        select(throttles.c.blocked_until).where(
            throttles.c.scope == scope, throttles.c.client == client
        )
    ).first()
    return row is not None and row.blocked_until is not None and row.blocked_until > now


def fail(
    conn: Connection, scope: str, client: str, now: datetime, subject: str | None = None
) -> bool:
    """Count one failure; returns True when this one starts a block."""
    limit = LIMITS[scope]
    row = conn.execute(
        select(throttles)
        .where(throttles.c.scope == scope, throttles.c.client == client)
        .with_for_update()
    ).first()
    subject = (subject or "")[:200] or None
    if row is None:
        conn.execute(
            insert(throttles).values(
                scope=scope, client=client, failures=1, window_start=now, last_subject=subject
            )
        )
        return limit.failures <= 1
    if row.blocked_until is not None and row.blocked_until > now:
        conn.execute(
            update(throttles)
            .where(throttles.c.scope == scope, throttles.c.client == client)
            .values(failures=row.failures + 1, last_subject=subject)
        )
        return False
    fresh = now - row.window_start >= limit.window
    failures = 1 if fresh else row.failures + 1
    values: dict[str, object] = {"failures": failures, "last_subject": subject}
    if fresh:
        values["window_start"] = now
    starts = failures >= limit.failures
    if starts:
        # From the latest time this row has seen: a clock set back meanwhile must not
        # make the block end before it began.
        values.update(blocked_until=max(now, row.window_start) + limit.block, blocked_since=now)
        log.warning("%s failures from %s: blocked for %s", scope, client, limit.block)
    conn.execute(
        update(throttles)
        .where(throttles.c.scope == scope, throttles.c.client == client)
        .values(**values)
    )
    return starts


def clear(conn: Connection, scope: str, client: str, now: datetime) -> None:
    """A success forgets earlier failures, unless the address is blocked right now."""
    conn.execute(
        delete(throttles).where(
            throttles.c.scope == scope,
            throttles.c.client == client,
            throttles.c.blocked_until.is_(None) | (throttles.c.blocked_until <= now),
        )
    )


def active_blocks(conn: Connection, now: datetime) -> list[dict[str, object]]:
    rows = conn.execute(
        select(throttles)
        .where(throttles.c.blocked_until > now)
        .order_by(throttles.c.blocked_since.desc())
    )
    return [
        {
            "scope": r.scope,
            "client": r.client,
            "failures": r.failures,
            "since": r.blocked_since,
            "until": r.blocked_until,
            "subject": r.last_subject,
        }
        for r in rows
    ]


def block_end(conn: Connection, scope: str, client: str) -> datetime | None:
    return conn.execute(
        select(throttles.c.blocked_until).where(
            throttles.c.scope == scope, throttles.c.client == client
        )
    ).scalar()
