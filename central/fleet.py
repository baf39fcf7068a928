"""Heartbeats and the operator's fleet view.

A locker is `online` when its last heartbeat is younger than ONLINE_WINDOW. Alarms
are derived, not stored: no heartbeat lately, a board fault, compartments in `fault`,
and alarm events of the last ALARM_WINDOW that no later close/in-service event of the
same compartment cleared.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select, update

from central.schema import events, locker_status, lockers
from contract.wire import Alarm, EventType, Fleet, FleetEntry, Heartbeat

ONLINE_WINDOW = timedelta(minutes=3)
ALARM_WINDOW = timedelta(hours=24)

ALARM_EVENTS = {
    EventType.COMPARTMENT_FORCED_OPEN.value: "door opened without a command",
    EventType.COMPARTMENT_LEFT_OPEN.value: "door left open",
    EventType.COMPARTMENT_JAMMED.value: "lock jammed",
    EventType.CODE_LOCKOUT.value: "keypad locked out after repeated wrong codes",
    EventType.PARCEL_DEPOSIT_FAILED.value: "a deposit failed",
}
CLEARING_EVENTS = {
    EventType.COMPARTMENT_CLOSED.value,
    EventType.COMPARTMENT_IN_SERVICE.value,
}


def record_heartbeat(conn: Connection, locker_id: str, beat: Heartbeat, now: datetime) -> None:
    conn.execute(
        update(locker_status)
        .where(locker_status.c.locker_id == locker_id)
        .values(
            last_heartbeat_at=now,
            sent_at=beat.sent_at,
            software_version=beat.software_version,
            outbox_depth=beat.outbox_depth,
            last_event_seq=beat.last_event_seq,
            board_ok=beat.board_ok,
            compartments=[c.model_dump(mode="json") for c in beat.compartments],
        )
    )


def view(conn: Connection, now: datetime, locker_id: str | None = None) -> Fleet:
    """Every locker, or just `locker_id` (the console's locker page)."""
    locker_query = (
        select(lockers.c.locker_id, lockers.c.name, lockers.c.layout, locker_status)
        .join(locker_status, locker_status.c.locker_id == lockers.c.locker_id)
        .order_by(lockers.c.locker_id)
    )
    if locker_id is not None:
        locker_query = locker_query.where(lockers.c.locker_id == locker_id)
    rows = conn.execute(locker_query).all()
    alarm_query = (
        select(
            events.c.locker_id,
            events.c.type,
            events.c.compartment_id,
            events.c.occurred_at,
        )
        .where(
            events.c.received_at > now - ALARM_WINDOW,
            events.c.type.in_(list(ALARM_EVENTS) + list(CLEARING_EVENTS)),
        )
        .order_by(events.c.locker_id, events.c.change_seq)
    )
    if locker_id is not None:
        alarm_query = alarm_query.where(events.c.locker_id == locker_id)
    recent = conn.execute(alarm_query).all()
    open_alarms: dict[str, dict[tuple[str | None, str], Any]] = {}
    for ev in recent:
        per_locker = open_alarms.setdefault(ev.locker_id, {})
        if ev.type in CLEARING_EVENTS:
            for key in [k for k in per_locker if k[0] == ev.compartment_id]:
                del per_locker[key]
        else:
            per_locker[(ev.compartment_id, ev.type)] = ev
    return Fleet(lockers=[_entry(r, open_alarms.get(r.locker_id, {}), now) for r in rows])


def _entry(row: Any, event_alarms: dict[tuple[str | None, str], Any], now: datetime) -> FleetEntry:
    alarms: list[Alarm] = []
    online = row.last_heartbeat_at is not None and now - row.last_heartbeat_at < ONLINE_WINDOW
    if not online:
        alarms.append(
            Alarm(
                code="offline",
                message="no heartbeat in the last "
                f"{int(ONLINE_WINDOW.total_seconds() // 60)} minutes",
                since=row.last_heartbeat_at,
            )
        )
    if row.board_ok is False:
        alarms.append(Alarm(code="board_fault", message="the lock board does not answer"))
    for comp in row.compartments or []:
        if comp.get("state") == "fault":
            alarms.append(
                Alarm(
                    code="compartment_fault",
                    message="compartment reported in fault",
                    compartment_id=comp.get("compartment_id"),
                )
            )
    for (compartment_id, kind), ev in event_alarms.items():
        alarms.append(
            Alarm(
                code=kind.replace(".", "_"),
                message=ALARM_EVENTS[kind],
                compartment_id=compartment_id,
                since=ev.occurred_at,
            )
        )
    skew = None
    if row.sent_at is not None and row.last_heartbeat_at is not None:
        skew = round((row.sent_at - row.last_heartbeat_at).total_seconds(), 3)
    return FleetEntry(
        locker_id=row.locker_id,
        name=row.name,
        online=online,
        last_heartbeat_at=row.last_heartbeat_at,
        software_version=row.software_version,
        outbox_depth=row.outbox_depth,
        last_event_seq=row.last_event_seq,
        board_ok=row.board_ok,
        clock_skew_s=skew,
        layout=row.layout or {},
        alarms=alarms,
    )
