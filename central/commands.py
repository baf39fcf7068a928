"""Remote commands: queued by the operator, delivered in heartbeat replies.

A command is delivered in every heartbeat reply until the locker reports its result
(`command.completed` / `command.failed` with `data.command_id`) or it expires. The
kiosk executes each command id at most once, so redelivery after a lost reply is safe
and nothing depends on the reply reaching the kiosk the first time.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from central import lockers
from central.errors import Invalid, NotFound
from central.rows import to_model
from central.schema import commands
from contract.wire import (
    Command,
    CommandList,
    CommandRecord,
    CommandRequest,
    CommandStatus,
    CommandType,
)

log = logging.getLogger(__name__)

OPEN_STATUSES = (CommandStatus.PENDING.value, CommandStatus.DELIVERED.value)


def queue(conn: Connection, locker_id: str, spec: CommandRequest, now: datetime) -> CommandRecord:
    if not lockers.exists(conn, locker_id):
        raise NotFound(f"locker {locker_id} does not exist", code="locker_not_found")
    needs_compartment = spec.type is not CommandType.RESYNC
    if needs_compartment and not spec.compartment_id:
        raise Invalid(f"{spec.type} needs a compartment_id", code="compartment_required")
    if not needs_compartment and spec.compartment_id:
        raise Invalid("resync applies to the whole locker: leave compartment_id out")
    command_id = str(uuid.uuid4())
    conn.execute(
        insert(commands).values(
            command_id=command_id,
            locker_id=locker_id,
            type=spec.type.value,
            compartment_id=spec.compartment_id,
            reason=spec.reason,
            status=CommandStatus.PENDING.value,
            created_at=now,
            expires_at=now + timedelta(seconds=spec.ttl_s),
        )
    )
    log.info("command %s (%s) queued for locker %s", command_id, spec.type, locker_id)
    return _record(conn.execute(select(commands).where(commands.c.command_id == command_id)).one())


def for_delivery(conn: Connection, locker_id: str, now: datetime) -> list[Command]:
    """Open commands for a heartbeat reply; marks them delivered, expires stale ones."""
    rows = conn.execute(
        select(commands)
        .where(commands.c.locker_id == locker_id, commands.c.status.in_(OPEN_STATUSES))
        .order_by(commands.c.created_at)
    ).all()
    live = [r for r in rows if r.expires_at > now]
    stale = [r.command_id for r in rows if r.expires_at <= now]
    if stale:
        conn.execute(
            update(commands)
            .where(commands.c.command_id.in_(stale))
            .values(status=CommandStatus.EXPIRED.value)
        )
    fresh = [r.command_id for r in live if r.status == CommandStatus.PENDING.value]
    if fresh:
        conn.execute(
            update(commands)
            .where(commands.c.command_id.in_(fresh))
            .values(status=CommandStatus.DELIVERED.value, delivered_at=now)
        )
    return [to_model(Command, r) for r in live]


def listing(conn: Connection, locker_id: str, limit: int = 100) -> CommandList:
    rows = conn.execute(
        select(commands)
        .where(commands.c.locker_id == locker_id)
        .order_by(commands.c.created_at.desc())
        .limit(limit)
    )
    return CommandList(commands=[_record(r) for r in rows])


def _record(row: Any) -> CommandRecord:
    return to_model(CommandRecord, row)
