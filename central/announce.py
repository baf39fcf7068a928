"""Announcing a parcel, for the API and the console alike: the code is made and hashed
outside the write transaction; the parcel, its sealed code and contact, its waiting
notices and its webhook event are written in one."""

from __future__ import annotations

from central import lockers, notifications, outbox, parcels
from central.context import ServiceContext
from central.errors import Invalid
from contract.wire import ParcelAnnounce, ParcelAnnounced


def announce(ctx: ServiceContext, spec: ParcelAnnounce) -> ParcelAnnounced:
    if (spec.recipient_email or spec.recipient_phone) and ctx.secret_box is None:
        raise Invalid(
            "this service cannot notify the customer: it was started without "
            "--secret-key-file; announce without recipient_email/recipient_phone",
            code="notifications_unavailable",
        )
    with ctx.db.read() as conn:
        keys = lockers.keys(conn, spec.locker_id)
    code, code_hash = parcels.new_code_and_hash(keys)
    now = ctx.clock()
    with ctx.db.write() as conn:
        done = parcels.announce(conn, spec, now, code=code, code_hash=code_hash)
        notifications.on_announce(
            conn,
            ctx.secret_box,
            done.parcel.parcel_id,
            spec.recipient_email,
            spec.recipient_phone,
            done.pickup_code,
            done.qr_payload,
            now,
        )
        outbox.parcel_changed(conn, [done.parcel.parcel_id], now)
    return done
