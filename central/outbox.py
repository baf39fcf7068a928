"""What follows a change, in the transaction of the change: the customer's notices
(central/notifications.py) and the integrators' webhook events (central/webhooks.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from central import notifications, webhooks
from central.schema import parcels

PARCEL_CHANGED = "parcel.state_changed"
ALARM_RAISED = "alarm.raised"
ALARM_ACKNOWLEDGED = "alarm.acknowledged"


def parcel_changed(conn: Connection, parcel_ids: Iterable[str], now: datetime) -> None:
    ids = list(parcel_ids)
    if not ids:
        return
    rows = conn.execute(select(parcels).where(parcels.c.parcel_id.in_(ids))).all()
    for row in rows:
        notifications.on_parcel_state(conn, row.parcel_id, row.state, now)
        webhooks.record(
            conn,
            PARCEL_CHANGED,
            {
                "parcel_id": row.parcel_id,
                "locker_id": row.locker_id,
                "order_ref": row.order_ref,
                "state": row.state,
                "version": row.version,
                "compartment_id": row.compartment_id,
                "pickup_deadline": row.pickup_deadline.isoformat().replace("+00:00", "Z"),
            },
            now,
        )


def events_stored(
    conn: Connection, locker_id: str, rows: list[dict[str, Any]], now: datetime
) -> None:
    from central.fleet import ALARM_EVENTS

    for row in rows:
        if row["type"] in ALARM_EVENTS:
            webhooks.record(
                conn,
                ALARM_RAISED,
                {
                    "locker_id": locker_id,
                    "code": row["type"].replace(".", "_"),
                    "message": ALARM_EVENTS[row["type"]],
                    "compartment_id": row["compartment_id"],
                    "since": row["occurred_at"].isoformat().replace("+00:00", "Z"),
                    "source_event_id": row["event_id"],
                },
                now,
            )
