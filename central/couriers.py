"""Couriers and their locker assignments.

A courier may serve several lockers. PIN and badge are hashed with each locker's own
salt and KDF, so the hashes live on the (courier, locker) assignment row; the plain
PIN is needed whenever the courier joins a locker it was not on before. Removing a
courier from a locker keeps the row with `assigned = false`, so that locker pulls the
courier as inactive instead of never hearing about it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from central import cursor, lockers
from central.errors import Invalid, NotFound
from central.rows import to_model
from central.schema import courier_lockers, couriers
from contract.codes import hash_secret
from contract.wire import Courier, CourierPage, CourierRecord, CourierUpsert

log = logging.getLogger(__name__)

CURSOR_KIND = "couriers"


def hashes_for(
    keys: lockers.LockerKeys, pin: str | None, badge: str | None
) -> tuple[str | None, str | None]:
    """PIN and badge hashes for one locker (slow: keep outside write transactions)."""
    pin_hash = hash_secret(pin, keys.salt, keys.params) if pin else None
    badge_hash = hash_secret(badge, keys.salt, keys.params) if badge else None
    return pin_hash, badge_hash


def upsert(
    conn: Connection,
    courier_id: str,
    spec: CourierUpsert,
    now: datetime,
    hashes: dict[str, tuple[str | None, str | None]],
) -> CourierRecord:
    """Create or replace a courier; `hashes` maps locker id -> (pin_hash, badge_hash)
    for the lockers whose hashes change (all of spec.locker_ids when a PIN is given)."""
    current = conn.execute(select(couriers).where(couriers.c.courier_id == courier_id)).first()
    if current is None:
        conn.execute(
            insert(couriers).values(
                courier_id=courier_id,
                name=spec.name,
                active=spec.active,
                version=1,
                created_at=now,
                updated_at=now,
            )
        )
    else:
        conn.execute(
            update(couriers)
            .where(couriers.c.courier_id == courier_id)
            .values(
                name=spec.name,
                active=spec.active,
                version=couriers.c.version + 1,
                updated_at=now,
            )
        )
    existing = {
        r.locker_id: r
        for r in conn.execute(
            select(courier_lockers).where(courier_lockers.c.courier_id == courier_id)
        )
    }
    wanted = set(spec.locker_ids)
    for locker_id in sorted(wanted | set(existing)):
        if locker_id in wanted and not lockers.exists(conn, locker_id):
            raise NotFound(f"locker {locker_id} does not exist", code="locker_not_found")
        row = existing.get(locker_id)
        if locker_id in wanted and locker_id not in hashes and (row is None or not row.assigned):
            raise Invalid(
                f"courier {courier_id} is new on locker {locker_id}: give the PIN (and badge) "
                "so they can be hashed with that locker's salt",
                code="pin_required",
            )
        seq = lockers.next_seq(conn, locker_id)
        values: dict[str, Any] = {"assigned": locker_id in wanted, "change_seq": seq}
        if locker_id in wanted and locker_id in hashes:
            values["pin_hash"], values["badge_hash"] = hashes[locker_id]
        if row is None:
            conn.execute(
                insert(courier_lockers).values(courier_id=courier_id, locker_id=locker_id, **values)
            )
        else:
            conn.execute(
                update(courier_lockers)
                .where(
                    courier_lockers.c.courier_id == courier_id,
                    courier_lockers.c.locker_id == locker_id,
                )
                .values(**values)
            )
    log.info("courier %s saved (lockers: %s)", courier_id, ", ".join(sorted(wanted)) or "none")
    return get(conn, courier_id)


def get(conn: Connection, courier_id: str) -> CourierRecord:
    row = conn.execute(select(couriers).where(couriers.c.courier_id == courier_id)).first()
    if row is None:
        raise NotFound(f"courier {courier_id} does not exist", code="courier_not_found")
    assigned = conn.execute(
        select(courier_lockers.c.locker_id)
        .where(courier_lockers.c.courier_id == courier_id, courier_lockers.c.assigned.is_(True))
        .order_by(courier_lockers.c.locker_id)
    )
    return to_model(CourierRecord, row, locker_ids=[r[0] for r in assigned])


def page(conn: Connection, locker_id: str, after: str | None, limit: int) -> CourierPage:
    rows, next_cursor, has_more = cursor.page(
        conn,
        select(
            couriers.c.courier_id,
            couriers.c.name,
            couriers.c.active,
            couriers.c.version,
            courier_lockers.c.pin_hash,
            courier_lockers.c.badge_hash,
            courier_lockers.c.assigned,
            courier_lockers.c.change_seq,
        )
        .join(couriers, couriers.c.courier_id == courier_lockers.c.courier_id)
        .where(courier_lockers.c.locker_id == locker_id),
        courier_lockers.c.change_seq, CURSOR_KIND, locker_id, after, limit)
    return CourierPage(
        couriers=[to_model(Courier, r, active=bool(r.active and r.assigned)) for r in rows],
        next_cursor=next_cursor,
        has_more=has_more,
    )
