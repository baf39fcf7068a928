"""Heartbeats and the operator's fleet view.

A locker is `online` when its last heartbeat is younger than ONLINE_WINDOW. Alarms
are derived, not stored: no heartbeat lately, a board fault, compartments in `fault`,
alarm events of the last ALARM_WINDOW that no later close/in-service event of the
same compartment cleared, and what `central.anomalies` finds in the event stream of
that window (history that does not add up, guessing at the keypad).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select, update

from central import anomalies
from central.schema import commands, courier_lockers, events, locker_status, lockers, parcels
from contract.wire import Alarm, CommandType, EventType, Fleet, FleetEntry, Heartbeat

COMMAND_TTL_MAX = timedelta(days=7)

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


def status_values(beat: Heartbeat, now: datetime) -> dict[str, Any]:
    """The locker_status columns one heartbeat sets."""
    return {
        "last_heartbeat_at": now,
        "sent_at": beat.sent_at,
        "software_version": beat.software_version,
        "outbox_depth": beat.outbox_depth,
        "last_event_seq": beat.last_event_seq,
        "board_ok": beat.board_ok,
        "compartments": [c.model_dump(mode="json") for c in beat.compartments],
    }


def record_heartbeat(conn: Connection, locker_id: str, beat: Heartbeat, now: datetime) -> None:
    conn.execute(
        update(locker_status)
        .where(locker_status.c.locker_id == locker_id)
        .values(**status_values(beat, now))
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
    found = _anomalies(conn, now, locker_id)
    return Fleet(
        lockers=[
            _entry(r, open_alarms.get(r.locker_id, {}), now, found.get(r.locker_id, []))
            for r in rows
        ]
    )


def _anomalies(
    conn: Connection, now: datetime, locker_id: str | None = None
) -> dict[str, list[Alarm]]:
    window_start = now - ALARM_WINDOW
    query = (
        select(
            events.c.locker_id,
            events.c.type,
            events.c.compartment_id,
            events.c.parcel_id,
            events.c.actor_kind,
            events.c.actor_id,
            events.c.data,
            events.c.occurred_at,
            events.c.received_at,
        )
        .where(
            events.c.received_at > window_start - anomalies.LOOKBACK,
            events.c.type.in_(anomalies.TYPES),
        )
        .order_by(events.c.locker_id, events.c.change_seq)
    )
    if locker_id is not None:
        query = query.where(events.c.locker_id == locker_id)
    rows = conn.execute(query).all()
    if not rows:
        return {}
    by_locker: dict[str, list[Any]] = {}
    for row in rows:
        by_locker.setdefault(row.locker_id, []).append(row)
    referenced = {p for row in rows for p in anomalies.parcels_of(row)}
    stored_in = _parcel_compartments(conn, referenced)
    open_commands: dict[str, dict[str, str | None]] = {}
    for cmd in conn.execute(
        select(commands.c.command_id, commands.c.locker_id, commands.c.compartment_id).where(
            commands.c.type == CommandType.OPEN_COMPARTMENT.value,
            commands.c.created_at > window_start - anomalies.LOOKBACK - COMMAND_TTL_MAX,
            commands.c.locker_id.in_(list(by_locker)),
        )
    ):
        open_commands.setdefault(cmd.locker_id, {})[cmd.command_id] = cmd.compartment_id
    assigned: dict[str, set[str]] = {}
    for link in conn.execute(
        select(courier_lockers.c.courier_id, courier_lockers.c.locker_id).where(
            courier_lockers.c.assigned.is_(True),
            courier_lockers.c.locker_id.in_(list(by_locker)),
        )
    ):
        assigned.setdefault(link.locker_id, set()).add(link.courier_id)
    found: dict[str, list[Alarm]] = {}
    for locker_id, stream in by_locker.items():
        facts = anomalies.LockerFacts(
            parcel_compartments=stored_in.get(locker_id, {}),
            open_commands=open_commands.get(locker_id, {}),
            couriers=frozenset(assigned.get(locker_id, set())),
        )
        alarms = anomalies.find(stream, facts, report_after=window_start)
        if alarms:
            found[locker_id] = alarms
    return found


def _parcel_compartments(
    conn: Connection, parcel_ids: Iterable[str]
) -> dict[str, dict[str, str | None]]:
    """locker id -> parcel id -> compartment, for the parcels the events name."""
    out: dict[str, dict[str, str | None]] = {}
    ids: Sequence[str] = sorted(parcel_ids)
    for start in range(0, len(ids), 500):
        for row in conn.execute(
            select(parcels.c.parcel_id, parcels.c.locker_id, parcels.c.compartment_id).where(
                parcels.c.parcel_id.in_(ids[start : start + 500])
            )
        ):
            out.setdefault(row.locker_id, {})[row.parcel_id] = row.compartment_id
    return out


def _entry(
    row: Any,
    event_alarms: dict[tuple[str | None, str], Any],
    now: datetime,
    stream_alarms: Sequence[Alarm] = (),
) -> FleetEntry:
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
    alarms.extend(stream_alarms)
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
