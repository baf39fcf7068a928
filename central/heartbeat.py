"""The heartbeat: one statement for an idle locker.

The reply tells the locker the current cursors of its parcels and couriers, so a
locker whose cursors already match pulls nothing: an idle locker makes one request per
cycle instead of three. Because a change takes the next value of the locker's change
counter and becomes visible only after every smaller value is committed (schema.py),
"the largest change_seq of this locker's parcels" read here is a cursor that no pull
from an older cursor can overtake: whatever the locker has not seen yet makes the two
differ, now or at the next heartbeat.

The idle path is a single UPDATE of the locker's status row, guarded by the device
token (the token check folded into the work) and RETURNING both cursors, whether a
stored parcel passed its deadline and whether commands are open. Only when one of
those asks for more does the handler do more: a failed guard falls back to the full
token check for the right 401/403, a due deadline runs the sweep in its own durable
transaction (an expiry must not be lost to a crash: the locker may already have pulled
it), and open commands are read and marked delivered.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Update, and_, exists, func, literal, select, update

from central import commands, cursor, fleet, parcels
from central.auth import require_device
from central.context import ServiceContext
from central.couriers import CURSOR_KIND as COURIER_CURSOR
from central.errors import NotFound
from central.parcels import CURSOR_KIND as PARCEL_CURSOR
from central.schema import commands as command_table
from central.schema import courier_lockers, locker_status, tokens
from central.schema import parcels as parcel_table
from central.tokens import TokenKind, token_hash
from contract.wire import Command, Heartbeat, HeartbeatReply, ParcelState


def _status_update(locker_id: str, token: str, beat: Heartbeat, now: datetime) -> Update:
    lid = locker_status.c.locker_id
    token_ok = exists().where(
        tokens.c.token_hash == token_hash(token),
        tokens.c.kind == TokenKind.DEVICE.value,
        tokens.c.locker_id == locker_id,
        tokens.c.revoked_at.is_(None),
    )
    parcel_seq = (
        select(func.coalesce(func.max(parcel_table.c.change_seq), 0))
        .where(parcel_table.c.locker_id == locker_id)
        .scalar_subquery()
    )
    courier_seq = (
        select(func.coalesce(func.max(courier_lockers.c.change_seq), 0))
        .where(courier_lockers.c.locker_id == locker_id)
        .scalar_subquery()
    )
    due = exists().where(
        parcel_table.c.locker_id == locker_id,
        parcel_table.c.state == ParcelState.STORED.value,
        parcel_table.c.pickup_deadline < now,
    )
    open_commands = exists().where(
        command_table.c.locker_id == locker_id,
        command_table.c.status.in_(commands.OPEN_STATUSES),
    )
    return (
        update(locker_status)
        .where(and_(lid == locker_id, token_ok))
        .values(**fleet.status_values(beat, now))
        .returning(
            parcel_seq.label("parcel_seq"),
            courier_seq.label("courier_seq"),
            # 1 or NULL: the same plain value on SQLite and PostgreSQL
            select(literal(1)).where(due).scalar_subquery().label("due"),
            select(literal(1)).where(open_commands).scalar_subquery().label("open"),
        )
    )


def handle(ctx: ServiceContext, locker_id: str, token: str, beat: Heartbeat) -> HeartbeatReply:
    now = ctx.clock()
    pending: list[Command] = []
    # not durable: a heartbeat lost to a power cut is replaced 10 s later, and the
    # command deliveries it records are repeated until the kiosk reports a result
    with ctx.db.write(durable=False) as conn:
        row = conn.execute(_status_update(locker_id, token, beat, now)).first()
        if row is None:
            require_device(conn, token, locker_id)  # raises the precise 401/403
            raise NotFound(f"locker {locker_id} does not exist", code="locker_not_found")
        parcel_seq = int(row.parcel_seq)
        if row.open:
            pending = commands.for_delivery(conn, locker_id, now)
    if row.due:
        with ctx.db.write() as conn:
            parcels.sweep_expired(conn, locker_id, now)
            parcel_seq = parcels.last_change(conn, locker_id)
    return HeartbeatReply(
        server_time=now,
        commands=pending,
        parcels_cursor=cursor.encode(PARCEL_CURSOR, locker_id, parcel_seq),
        couriers_cursor=cursor.encode(COURIER_CURSOR, locker_id, int(row.courier_seq)),
    )
