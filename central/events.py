"""Event ingestion (idempotent by event id) and the operator's event log.

Outcome of each event in a batch:
- `duplicates`: its id is already stored for this locker (or repeated in the batch).
- `rejected`: it cannot be valid as sent (bad shape, unknown type, a parcel event for a
  parcel this locker does not hold, an id already used by another locker). Rejected
  events are not stored; sending one again gives the same answer.
- `accepted`: stored; parcel events also move the parcel (physical truth wins).

Sequence numbers are recorded as sent. A seq lower than one seen before is accepted
(a kiosk whose disk was replaced restarts at 1) and logged, because refusing a real
pickup for bookkeeping reasons would lose physical truth.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, func, insert, select, update

from central import cursor, lockers, outbox, parcels
from central.errors import Invalid
from central.http_errors import describe_errors, excerpt
from central.rows import to_model
from central.schema import commands, events
from contract.wire import (
    MAX_EVENTS_PER_BATCH,
    Actor,
    CommandStatus,
    Event,
    EventLog,
    EventRecord,
    EventResult,
    EventType,
    ParcelState,
    RejectedEvent,
)

log = logging.getLogger(__name__)

CURSOR_KIND = "events"

PHYSICAL: dict[EventType, ParcelState] = {
    EventType.PARCEL_DEPOSITED: ParcelState.STORED,
    EventType.PARCEL_PICKED_UP: ParcelState.PICKED_UP,
    EventType.PARCEL_COLLECTED: ParcelState.COLLECTED,
}
COMMAND_RESULTS: dict[EventType, CommandStatus] = {
    EventType.COMMAND_COMPLETED: CommandStatus.COMPLETED,
    EventType.COMMAND_FAILED: CommandStatus.FAILED,
}


def _describe(exc: ValidationError) -> str:
    return describe_errors(exc.errors(), strip_first=False)


def parse_batch(payload: Any) -> list[Event | RejectedEvent]:
    """Split a raw request body into parsed events and per-event rejections.

    Only a body that is not `{"events": [...]}` with 1..500 items, or an item without a
    usable `event_id`, fails the whole request (422): everything else is judged per
    event, so one bad event never blocks the ones behind it.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        raise Invalid('body must be {"events": [Event, ...]}')
    items = payload["events"]
    if not 1 <= len(items) <= MAX_EVENTS_PER_BATCH:
        raise Invalid(f"send 1 to {MAX_EVENTS_PER_BATCH} events per batch, not {len(items)}")
    out: list[Event | RejectedEvent] = []
    for index, item in enumerate(items):
        raw_id = item.get("event_id") if isinstance(item, dict) else None
        if not isinstance(raw_id, str) or not raw_id:
            raise Invalid(f"events[{index}] has no event_id; every event needs a UUID event_id")
        if len(raw_id) > 64 or excerpt(raw_id, 64) != raw_id:
            # It is echoed back in the answer: it must be short, printable ASCII.
            raise Invalid(f"events[{index}].event_id is not a UUID; every event needs one")
        try:
            out.append(Event.model_validate(item))
        except ValidationError as exc:
            out.append(RejectedEvent(event_id=raw_id, code="invalid_event", message=_describe(exc)))
    return out


def ingest(
    conn: Connection,
    locker_id: str,
    batch: Sequence[Event | RejectedEvent],
    now: datetime,
) -> EventResult:
    """Store a batch for `locker_id` in the caller's transaction."""
    # Take the locker lock first so parcel states read below cannot change under us.
    # Two values per event: one for the event row, one for the parcel it may move.
    first_seq = lockers.next_seq(conn, locker_id, 2 * len(batch))
    seqs = iter(range(first_seq, first_seq + 2 * len(batch)))
    ids = [e.event_id for e in batch if isinstance(e, Event)]
    known = (
        {
            r.event_id: r.locker_id
            for r in conn.execute(
                select(events.c.event_id, events.c.locker_id).where(events.c.event_id.in_(ids))
            )
        }
        if ids
        else {}
    )
    parcel_rows = parcels.rows_by_id(
        conn, {e.parcel_id for e in batch if isinstance(e, Event) and e.parcel_id}
    )
    accepted: list[str] = []
    duplicates: list[str] = []
    rejected: list[RejectedEvent] = []
    max_seq_seen = _max_seq(conn, locker_id)
    rows: list[dict[str, Any]] = []
    regressions = 0
    for item in batch:
        if isinstance(item, RejectedEvent):
            rejected.append(item)
            continue
        ev = item
        owner = known.get(ev.event_id)
        if owner == locker_id:
            duplicates.append(ev.event_id)
            continue
        if owner is not None:
            rejected.append(
                RejectedEvent(
                    event_id=ev.event_id,
                    code="event_id_conflict",
                    message="this event id is already used by another locker; "
                    "generate a new UUID for each event",
                )
            )
            continue
        problem = _check(ev, locker_id, parcel_rows)
        if problem is not None:
            rejected.append(problem)
            continue
        if max_seq_seen is not None and ev.seq <= max_seq_seen:
            regressions += 1
        max_seq_seen = ev.seq if max_seq_seen is None else max(max_seq_seen, ev.seq)
        rows.append(_row(locker_id, ev, next(seqs), now))
        known[ev.event_id] = locker_id
        if ev.type in PHYSICAL and ev.parcel_id:
            parcels.apply_physical(
                conn,
                ev.parcel_id,
                PHYSICAL[ev.type],
                ev.compartment_id,
                ev.occurred_at,
                next(seqs),
                now,
            )
        elif ev.type in COMMAND_RESULTS:
            _close_command(conn, locker_id, ev, now)
        accepted.append(ev.event_id)
    if rows:
        conn.execute(insert(events), rows)  # one executemany for the batch
        outbox.events_stored(conn, locker_id, rows, now)
    if regressions:
        log.warning(
            "locker %s sent %d event(s) with a seq not above earlier ones: accepted; "
            "was its database reset?",
            locker_id,
            regressions,
        )
    if rejected:
        log.warning("locker %s: %d event(s) rejected", locker_id, len(rejected))
    return EventResult(accepted=accepted, duplicates=duplicates, rejected=rejected)


def _max_seq(conn: Connection, locker_id: str) -> int | None:
    return conn.execute(
        select(func.max(events.c.seq)).where(events.c.locker_id == locker_id)
    ).scalar()


def _check(ev: Event, locker_id: str, parcel_rows: dict[str, Any]) -> RejectedEvent | None:
    if ev.type not in PHYSICAL:
        return None
    if not ev.parcel_id:
        return RejectedEvent(
            event_id=ev.event_id, code="parcel_id_missing", message=f"{ev.type} needs a parcel_id"
        )
    row = parcel_rows.get(ev.parcel_id)
    if row is None or row.locker_id != locker_id:
        return RejectedEvent(
            event_id=ev.event_id,
            code="unknown_parcel",
            message=f"parcel {ev.parcel_id} is not announced for locker {locker_id}",
        )
    return None


def _row(locker_id: str, ev: Event, seq: int, now: datetime) -> dict[str, Any]:
    return {
        "event_id": ev.event_id,
        "locker_id": locker_id,
        "seq": ev.seq,
        "type": ev.type.value,
        "occurred_at": ev.occurred_at,
        "parcel_id": ev.parcel_id,
        "compartment_id": ev.compartment_id,
        "actor_kind": ev.actor.kind.value,
        "actor_id": ev.actor.id,
        "data": ev.data,
        "received_at": now,
        "change_seq": seq,
    }


def _close_command(conn: Connection, locker_id: str, ev: Event, now: datetime) -> None:
    command_id = ev.data.get("command_id")
    if not isinstance(command_id, str):
        log.warning("%s event %s carries no data.command_id", ev.type, ev.event_id)
        return
    conn.execute(
        update(commands)
        .where(commands.c.command_id == command_id, commands.c.locker_id == locker_id)
        .values(status=COMMAND_RESULTS[ev.type].value, result_at=now, result=ev.data)
    )


def page(
    conn: Connection,
    locker_id: str,
    after: str | None,
    limit: int,
    types: Sequence[str] = (),
) -> EventLog:
    """The operator's view: events of one locker in the order they were received."""
    query = select(events).where(events.c.locker_id == locker_id)
    if types:
        query = query.where(events.c.type.in_(list(types)))
    rows, next_cursor, has_more = cursor.page(conn, query, events.c.change_seq, CURSOR_KIND,
                                              locker_id, after, limit)
    return EventLog(events=[_record(r) for r in rows], next_cursor=next_cursor,
                    has_more=has_more)


def _record(row: Any) -> EventRecord:
    return to_model(EventRecord, row, actor=Actor(kind=row.actor_kind, id=row.actor_id),
                    data=row.data or {})
