"""Customer notifications: the code and QR when the parcel is stored, a reminder
before the deadline, the notice when it expired.

The plain pickup code exists on the central side only while the parcel is announced
(the database keeps its scrypt hash). So at announce, if the order gives an e-mail
address or a phone number, the code and QR payload are sealed with the server key
(central/secretbox.py) next to the contact, and a `stored` notice per channel waits
(`waiting`). When the locker reports the deposit, the notice becomes `due` and the
worker sends it; the reminder and a resend open the same sealed code. As soon as the
parcel leaves `expected`/`stored` the sealed code is erased, and unsent notices that
would carry it are dropped.

Sending is at least once: a notice is claimed by moving its `next_at` a LEASE ahead
(and, on PostgreSQL, with FOR UPDATE SKIP LOCKED so concurrent workers take different
rows), sent outside any transaction, then marked sent or given a later `next_at`
with exponential backoff. A worker that dies mid-send leaves the notice to be claimed
again when the lease runs out. Log lines name the notice and the parcel, never the
text, which holds the code.
"""

from __future__ import annotations

import io
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, and_, exists, insert, select, update

from central.delivery import DeliveryFailed, Mail, Senders
from central.schema import lockers, notifications, parcel_contacts, parcels
from central.secretbox import SealBroken, SecretBox

log = logging.getLogger(__name__)

REMINDER_BEFORE = timedelta(hours=24)
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 10
BACKOFF_FIRST_S = 30.0
BACKOFF_MAX_S = 3600.0


class Kind(StrEnum):
    STORED = "stored"
    REMINDER = "reminder"
    EXPIRED = "expired"


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class Status(StrEnum):
    WAITING = "waiting"  # for the parcel to be stored
    DUE = "due"
    SENT = "sent"
    FAILED = "failed"  # gave up (attempts, or refused for good)
    DROPPED = "dropped"  # no longer wanted (picked up, cancelled) or the code is gone


class NoSecretKey(ValueError):
    """A contact was given but the service has no key to seal the code with."""


def backoff(attempts: int, first_s: float = BACKOFF_FIRST_S) -> timedelta:
    return timedelta(seconds=min(first_s * 2 ** max(0, attempts - 1), BACKOFF_MAX_S))


def _channels(email: str | None, phone: str | None) -> list[Channel]:
    return [c for c, v in ((Channel.EMAIL, email), (Channel.SMS, phone)) if v]


def _queue(
    conn: Connection,
    parcel_id: str,
    kind: Kind,
    channels: list[Channel],
    status: Status,
    now: datetime,
) -> None:
    for channel in channels:
        conn.execute(
            insert(notifications).values(
                notification_id=str(uuid.uuid4()),
                parcel_id=parcel_id,
                kind=kind.value,
                channel=channel.value,
                status=status.value,
                attempts=0,
                next_at=now if status is Status.DUE else None,
                created_at=now,
            )
        )


def on_announce(
    conn: Connection,
    box: SecretBox | None,
    parcel_id: str,
    email: str | None,
    phone: str | None,
    code: str,
    qr_payload: str,
    now: datetime,
) -> None:
    if not (email or phone):
        return
    if box is None:
        raise NoSecretKey(
            "this service has no secret key to keep the code for the customer's notification: "
            "start it with --secret-key-file"
        )
    sealed = box.seal(json.dumps({"code": code, "qr": qr_payload}), parcel_id)
    conn.execute(
        insert(parcel_contacts).values(
            parcel_id=parcel_id, email=email, phone=phone, sealed_code=sealed
        )
    )
    _queue(conn, parcel_id, Kind.STORED, _channels(email, phone), Status.WAITING, now)


def _contact(conn: Connection, parcel_id: str) -> Any:
    return conn.execute(
        select(parcel_contacts).where(parcel_contacts.c.parcel_id == parcel_id)
    ).first()


def _drop(conn: Connection, parcel_id: str, kinds: tuple[Kind, ...]) -> None:
    conn.execute(
        update(notifications)
        .where(
            notifications.c.parcel_id == parcel_id,
            notifications.c.kind.in_([k.value for k in kinds]),
            notifications.c.status.in_([Status.WAITING.value, Status.DUE.value]),
        )
        .values(status=Status.DROPPED.value, next_at=None)
    )


def on_parcel_state(conn: Connection, parcel_id: str, state: str, now: datetime) -> None:
    """Follow a parcel's new state (called in the transaction that changed it)."""
    contact = _contact(conn, parcel_id)
    if contact is None:
        return
    if state == "stored":
        conn.execute(
            update(notifications)
            .where(
                notifications.c.parcel_id == parcel_id,
                notifications.c.kind == Kind.STORED.value,
                notifications.c.status == Status.WAITING.value,
            )
            .values(status=Status.DUE.value, next_at=now)
        )
        return
    if state == "expected":
        return
    # picked up, collected, cancelled or expired: the code has done its job
    _drop(conn, parcel_id, (Kind.STORED, Kind.REMINDER))
    conn.execute(
        update(parcel_contacts)
        .where(parcel_contacts.c.parcel_id == parcel_id, parcel_contacts.c.erased_at.is_(None))
        .values(sealed_code=None, erased_at=now)
    )
    if state == "expired":
        _queue(
            conn, parcel_id, Kind.EXPIRED, _channels(contact.email, contact.phone), Status.DUE, now
        )


def on_deadline_moved(conn: Connection, parcel_id: str, now: datetime) -> None:
    """Unsent reminders were for the old deadline; a new one is queued in time."""
    _drop(conn, parcel_id, (Kind.REMINDER,))


def resend(conn: Connection, parcel_id: str, now: datetime) -> list[str]:
    """Queue the stored notice again; returns the channels (none if impossible)."""
    contact = _contact(conn, parcel_id)
    state = conn.execute(select(parcels.c.state).where(parcels.c.parcel_id == parcel_id)).scalar()
    if contact is None or contact.sealed_code is None or state != "stored":
        return []
    channels = _channels(contact.email, contact.phone)
    _queue(conn, parcel_id, Kind.STORED, channels, Status.DUE, now)
    return [c.value for c in channels]


def queue_reminders(conn: Connection, now: datetime) -> int:
    """A reminder per channel for stored parcels whose deadline is near, once per
    deadline (a reminder created after the deadline last moved counts)."""
    already = exists().where(
        notifications.c.parcel_id == parcels.c.parcel_id,
        notifications.c.kind == Kind.REMINDER.value,
        notifications.c.created_at >= parcels.c.updated_at,
        notifications.c.status != Status.DROPPED.value,
    )
    rows = conn.execute(
        select(parcels.c.parcel_id, parcel_contacts.c.email, parcel_contacts.c.phone)
        .join(parcel_contacts, parcel_contacts.c.parcel_id == parcels.c.parcel_id)
        .where(
            parcels.c.state == "stored",
            parcels.c.pickup_deadline > now,
            parcels.c.pickup_deadline <= now + REMINDER_BEFORE,
            parcel_contacts.c.sealed_code.is_not(None),
            ~already,
        )
        .limit(500)
    ).all()
    for row in rows:
        _queue(conn, row.parcel_id, Kind.REMINDER, _channels(row.email, row.phone), Status.DUE, now)
    return len(rows)


def for_parcel(conn: Connection, parcel_id: str) -> list[Any]:
    return list(
        conn.execute(
            select(notifications)
            .where(notifications.c.parcel_id == parcel_id)
            .order_by(notifications.c.created_at.desc())
        )
    )


def claim(conn: Connection, now: datetime, limit: int, skip_locked: bool) -> list[str]:
    """Take up to `limit` due notices for this worker (see the module docstring)."""
    query = (
        select(notifications.c.notification_id)
        .where(notifications.c.status == Status.DUE.value, notifications.c.next_at <= now)
        .order_by(notifications.c.next_at)
        .limit(limit)
    )
    if skip_locked:
        query = query.with_for_update(skip_locked=True)
    ids = [r[0] for r in conn.execute(query)]
    if ids:
        conn.execute(
            update(notifications)
            .where(notifications.c.notification_id.in_(ids))
            .values(attempts=notifications.c.attempts + 1, next_at=now + LEASE)
        )
    return ids


@dataclass(frozen=True)
class Outgoing:
    notification_id: str
    parcel_id: str
    channel: Channel
    to: str
    subject: str
    text: str
    qr_payload: str | None
    attempts: int


def compose(conn: Connection, notification_id: str, box: SecretBox | None) -> Outgoing | None:
    """The message of a claimed notice, or None if it can no longer be sent (its code
    is erased or does not open): then it is dropped."""
    row = conn.execute(
        select(
            notifications,
            parcels.c.order_ref,
            parcels.c.pickup_deadline,
            parcels.c.compartment_id,
            lockers.c.name.label("locker_name"),
            lockers.c.address,
            parcel_contacts.c.email,
            parcel_contacts.c.phone,
            parcel_contacts.c.sealed_code,
        )
        .join(parcels, parcels.c.parcel_id == notifications.c.parcel_id)
        .join(lockers, lockers.c.locker_id == parcels.c.locker_id)
        .join(parcel_contacts, parcel_contacts.c.parcel_id == notifications.c.parcel_id)
        .where(notifications.c.notification_id == notification_id)
    ).first()
    if row is None:
        return None
    kind = Kind(row.kind)
    code = qr = None
    if kind is not Kind.EXPIRED:
        if row.sealed_code is None or box is None:
            return None
        try:
            opened = json.loads(box.open(row.sealed_code, row.parcel_id))
        except (SealBroken, ValueError):
            log.error(
                "notice %s: the sealed code of parcel %s does not open with this key",
                notification_id,
                row.parcel_id,
            )
            return None
        code, qr = opened["code"], opened["qr"]
    deadline = row.pickup_deadline.strftime("%Y-%m-%d %H:%M UTC")
    where = f"{row.locker_name}, {row.address}".strip(", ")
    if kind is Kind.STORED:
        subject = f"Your parcel {row.order_ref} is ready for pickup"
        text = (
            f"Your parcel {row.order_ref} is waiting for you at {where}.\n\n"
            f"Pickup code: {code}\nPick it up by {deadline}: type the code on the "
            "locker's screen or show the attached QR code to its camera.\n"
        )
    elif kind is Kind.REMINDER:
        subject = f"Reminder: parcel {row.order_ref} waits until {deadline}"
        text = (
            f"Your parcel {row.order_ref} is still waiting at {where}.\n\n"
            f"Pickup code: {code}\nIt goes back to the sender after {deadline}.\n"
        )
    else:
        subject = f"Parcel {row.order_ref} was not picked up"
        text = (
            f"Your parcel {row.order_ref} was not picked up by {deadline} at {where} "
            "and goes back to the sender. Its pickup code no longer works.\n"
        )
    channel = Channel(row.channel)
    to = row.email if channel is Channel.EMAIL else row.phone
    if channel is Channel.SMS:
        text = f"ExpressPoint: {subject}. " + (
            f"Code {code}, at {where}, until {deadline}." if code else "The code no longer works."
        )
    return Outgoing(notification_id, row.parcel_id, channel, to, subject, text, qr, row.attempts)


def qr_png(payload: str) -> bytes:
    import qrcode

    out = io.BytesIO()
    qrcode.make(payload).save(out, format="PNG")
    return out.getvalue()


def send(message: Outgoing, senders: Senders | None) -> None:
    if message.channel is Channel.EMAIL:
        if senders is None or senders.mailer is None:
            raise DeliveryFailed("no SMTP server configured (--smtp)")
        png = qr_png(message.qr_payload) if message.qr_payload else None
        senders.mailer.send(Mail(message.to, message.subject, message.text, png))
    else:
        if senders is None or senders.sms is None:
            raise DeliveryFailed("no SMS gateway configured (--sms-gateway)")
        senders.sms.send(message.to, message.text)


def finish(
    conn: Connection,
    message_id: str,
    attempts: int,
    error: DeliveryFailed | None,
    now: datetime,
    first_s: float = BACKOFF_FIRST_S,
) -> None:
    if error is None:
        values: dict[str, Any] = {
            "status": Status.SENT.value,
            "sent_at": now,
            "next_at": None,
            "last_error": None,
        }
    elif not error.retry or attempts >= MAX_ATTEMPTS:
        values = {"status": Status.FAILED.value, "next_at": None, "last_error": str(error)}
    else:
        values = {"next_at": now + backoff(attempts, first_s), "last_error": str(error)}
    conn.execute(
        update(notifications)
        .where(
            and_(
                notifications.c.notification_id == message_id,
                notifications.c.status == Status.DUE.value,
            )
        )
        .values(**values)
    )


def drop(conn: Connection, notification_id: str) -> None:
    conn.execute(
        update(notifications)
        .where(notifications.c.notification_id == notification_id)
        .values(status=Status.DROPPED.value, next_at=None)
    )


def pending_count(conn: Connection) -> int:
    from sqlalchemy import func

    return int(
        conn.execute(
            select(func.count())
            .select_from(notifications)
            .where(notifications.c.status == Status.DUE.value)
        ).scalar()
        or 0
    )
