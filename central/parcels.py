"""Parcels: announce, pull by cursor, operator state changes, the deadline sweep.

Deadline sweep: a `stored` parcel whose `pickup_deadline` has passed becomes `expired`.
It runs for one locker right before that locker's parcels are read (so a pull never
returns a parcel that should already be expired), and for every locker on a timer in
the server (`--sweep-interval`), so the operator views and the fleet are current even
for a locker that is offline. `expected` parcels are not expired: a parcel never
deposited is the operator's to cancel.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from central import cursor, lockers, outbox
from central.errors import Conflict, Invalid, NotFound
from central.rows import to_model
from central.schema import parcels
from contract.codes import hash_code, new_code, qr_payload
from contract.wire import (
    Parcel,
    ParcelAnnounce,
    ParcelAnnounced,
    ParcelPage,
    ParcelRecord,
    ParcelState,
)

log = logging.getLogger(__name__)

CURSOR_KIND = "parcels"
ACTIVE_STATES = (ParcelState.EXPECTED.value, ParcelState.STORED.value, ParcelState.EXPIRED.value)
# Operator transitions: target state -> states it may come from.
OPERATOR_TRANSITIONS: dict[ParcelState, tuple[ParcelState, ...]] = {
    ParcelState.CANCELLED: (ParcelState.EXPECTED, ParcelState.STORED, ParcelState.EXPIRED),
    ParcelState.EXPIRED: (ParcelState.STORED,),
}


def _to_wire(row: Any) -> Parcel:
    return to_model(Parcel, row, accessible=bool(row.accessible))


def _to_record(row: Any) -> ParcelRecord:
    return to_model(ParcelRecord, row, accessible=bool(row.accessible))


def new_code_and_hash(keys: lockers.LockerKeys, code: str | None = None) -> tuple[str, str]:
    """A fresh pickup code and its hash for this locker.

    Kept out of the write transaction: scrypt takes tens of milliseconds and SQLite
    holds its write lock for the whole transaction.
    """
    code = code or new_code()
    return code, hash_code(code, keys.salt, keys.params)


def announce(
    conn: Connection, spec: ParcelAnnounce, now: datetime, *, code: str, code_hash: str
) -> ParcelAnnounced:
    """Create an `expected` parcel; the plain code leaves here once and is never stored."""
    deadline = spec.pickup_deadline or now + timedelta(days=spec.pickup_days)
    if deadline <= now:
        raise Invalid("pickup_deadline must be in the future", code="deadline_in_past")
    seq = lockers.next_seq(conn, spec.locker_id)  # also serialises announces per locker
    clash = conn.execute(
        select(parcels.c.parcel_id, parcels.c.order_ref).where(
            parcels.c.locker_id == spec.locker_id,
            (parcels.c.order_ref == spec.order_ref)
            | ((parcels.c.barcode == spec.barcode) & parcels.c.state.in_(ACTIVE_STATES)),
        )
    ).first()
    if clash is not None:
        what = "order_ref" if clash.order_ref == spec.order_ref else "barcode"
        raise Conflict(
            f"locker {spec.locker_id} already has parcel {clash.parcel_id} with this {what}",
            code=f"duplicate_{what}",
        )
    parcel_id = spec.parcel_id or uuid.uuid4().hex
    if conn.execute(select(parcels.c.parcel_id).where(parcels.c.parcel_id == parcel_id)).first():
        raise Conflict(f"parcel {parcel_id} already exists", code="parcel_exists")
    conn.execute(
        insert(parcels).values(
            parcel_id=parcel_id,
            locker_id=spec.locker_id,
            order_ref=spec.order_ref,
            state=ParcelState.EXPECTED.value,
            size=spec.size.value,
            compartment_id=None,
            barcode=spec.barcode,
            pickup_code_hash=code_hash,
            pickup_deadline=deadline,
            recipient_hint=spec.recipient_hint,
            accessible=spec.accessible,
            version=1,
            change_seq=seq,
            physical_at=None,
            created_at=now,
            updated_at=now,
        )
    )
    log.info("parcel %s announced for locker %s", parcel_id, spec.locker_id)
    return ParcelAnnounced(
        locker_id=spec.locker_id,
        parcel=_to_wire(_get_row(conn, parcel_id)),
        pickup_code=code,
        qr_payload=qr_payload(spec.locker_id, code),
    )


def _get_row(conn: Connection, parcel_id: str) -> Any:
    row = conn.execute(select(parcels).where(parcels.c.parcel_id == parcel_id)).first()
    if row is None:
        raise NotFound(f"parcel {parcel_id} does not exist", code="parcel_not_found")
    return row


def get(conn: Connection, parcel_id: str) -> ParcelRecord:
    return _to_record(_get_row(conn, parcel_id))


def page(conn: Connection, locker_id: str, after: str | None, limit: int) -> ParcelPage:
    """Parcels of `locker_id` changed after the cursor, in change order."""
    rows, next_cursor, has_more = cursor.page(
        conn, select(parcels).where(parcels.c.locker_id == locker_id), parcels.c.change_seq,
        CURSOR_KIND, locker_id, after, limit)
    return ParcelPage(parcels=[_to_wire(r) for r in rows], next_cursor=next_cursor,
                      has_more=has_more)


def set_state(conn: Connection, parcel_id: str, target: ParcelState, now: datetime) -> ParcelRecord:
    """An operator decision (cancel, expire) on a parcel."""
    locker_id = _get_row(conn, parcel_id).locker_id
    seq = lockers.next_seq(conn, locker_id)  # lock first, then read the state we check
    row = _get_row(conn, parcel_id)
    allowed = OPERATOR_TRANSITIONS[target]
    if ParcelState(row.state) not in allowed:
        raise Conflict(
            f"parcel {parcel_id} is {row.state}; it can become {target} only from "
            + ", ".join(allowed),
            code="invalid_transition",
        )
    conn.execute(
        update(parcels)
        .where(parcels.c.parcel_id == parcel_id)
        .values(state=target.value, version=parcels.c.version + 1, change_seq=seq, updated_at=now)
    )
    outbox.parcel_changed(conn, [parcel_id], now)
    log.info("parcel %s set to %s by the operator", parcel_id, target)
    return get(conn, parcel_id)


def apply_physical(
    conn: Connection,
    parcel_id: str,
    target: ParcelState,
    compartment_id: str | None,
    occurred_at: datetime,
    seq: int,
    now: datetime,
) -> None:
    """Apply what the locker physically saw, whatever the central state says.

    Physical truth wins: a pickup reported after the parcel was cancelled or expired
    centrally is applied all the same. Events are applied in the order they arrive,
    which is the locker's seq order (its outbox sends oldest first); the kiosk clock
    (`occurred_at`) is recorded but not used for ordering, because a kiosk that boots
    with a stale clock would otherwise have its newer events ignored.
    """
    values: dict[str, Any] = {"state": target.value, "physical_at": occurred_at}
    if compartment_id is not None:
        values["compartment_id"] = compartment_id
    conn.execute(
        update(parcels)
        .where(parcels.c.parcel_id == parcel_id)
        .values(**values, version=parcels.c.version + 1, change_seq=seq, updated_at=now)
    )
    outbox.parcel_changed(conn, [parcel_id], now)


def rows_by_id(conn: Connection, parcel_ids: set[str]) -> dict[str, Any]:
    if not parcel_ids:
        return {}
    rows = conn.execute(select(parcels).where(parcels.c.parcel_id.in_(parcel_ids)))
    return {r.parcel_id: r for r in rows}


def sweep_expired(conn: Connection, locker_id: str, now: datetime) -> int:
    """Expire this locker's stored parcels past their deadline; returns how many."""
    due = conn.execute(
        select(parcels.c.parcel_id).where(
            parcels.c.locker_id == locker_id,
            parcels.c.state == ParcelState.STORED.value,
            parcels.c.pickup_deadline < now,
        )
    ).all()
    if not due:
        return 0
    first = lockers.next_seq(conn, locker_id, len(due))
    for offset, (parcel_id,) in enumerate(due):
        conn.execute(
            update(parcels)
            # re-checked under the locker lock: a pickup may have landed meanwhile
            .where(
                parcels.c.parcel_id == parcel_id,
                parcels.c.state == ParcelState.STORED.value,
            )
            .values(
                state=ParcelState.EXPIRED.value,
                version=parcels.c.version + 1,
                change_seq=first + offset,
                updated_at=now,
            )
        )
    outbox.parcel_changed(conn, [pid for (pid,) in due], now)
    log.info("%d parcel(s) of locker %s passed their deadline and expired", len(due), locker_id)
    return len(due)


def last_change(conn: Connection, locker_id: str) -> int:
    """The change sequence of the locker's latest parcel change (0 for none)."""
    found = conn.execute(
        select(func.max(parcels.c.change_seq)).where(parcels.c.locker_id == locker_id)
    ).scalar()
    return int(found or 0)


def has_due(conn: Connection, locker_id: str, now: datetime) -> bool:
    """Cheap read-only check so pulls take a write lock only when something expires."""
    found = conn.execute(
        select(parcels.c.parcel_id)
        .where(
            parcels.c.locker_id == locker_id,
            parcels.c.state == ParcelState.STORED.value,
            parcels.c.pickup_deadline < now,
        )
        .limit(1)
    )
    return found.first() is not None


def extend_deadline(
    conn: Connection, parcel_id: str, deadline: datetime, now: datetime
) -> ParcelRecord:
    """A later pickup deadline for a parcel that can still be picked up (the locker
    pulls the new version; a parcel already expired stays expired)."""
    locker_id = _get_row(conn, parcel_id).locker_id
    seq = lockers.next_seq(conn, locker_id)
    row = _get_row(conn, parcel_id)
    if row.state not in (ParcelState.EXPECTED.value, ParcelState.STORED.value):
        raise Conflict(
            f"parcel {parcel_id} is {row.state}; only an expected or stored parcel gets a "
            "new deadline",
            code="invalid_transition",
        )
    if deadline <= max(now, row.pickup_deadline):
        raise Invalid(
            "the new deadline must be later than the current one and than now",
            code="deadline_in_past",
        )
    conn.execute(
        update(parcels)
        .where(parcels.c.parcel_id == parcel_id)
        .values(
            pickup_deadline=deadline, version=parcels.c.version + 1, change_seq=seq, updated_at=now
        )
    )
    outbox.parcel_changed(conn, [parcel_id], now)
    log.info("parcel %s: deadline moved to %s", parcel_id, deadline.isoformat())
    return get(conn, parcel_id)
