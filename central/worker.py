"""The service's own work, done in the background of every serving process.

Two kinds of work, made safe for any number of processes in different ways:

- **Periodic passes** (the deadline sweep of stored parcels, closing expected parcels
  that were never deposited by their deadline, queueing reminders) are done by the
  process holding the `scheduler` lease (central_lease): a conditional UPDATE takes
  it when it is free or run out, and its holder renews it each pass. Exactly one
  process of the deployment does them at a time, on SQLite and PostgreSQL alike.
- **Queued work** (customer notices, webhook deliveries) is claimed row by row by any
  process: on PostgreSQL with FOR UPDATE SKIP LOCKED, on SQLite under its single
  writer lock (BEGIN IMMEDIATE), and in both by moving the row's `next_at` a lease
  ahead, so a claimed row is not claimed twice while it is being sent.

Nothing here sleeps on a request thread: it is one daemon thread per process.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import datetime, timedelta

import requests
from sqlalchemy import Connection, insert, select, update

from central import lockers, notifications, outbox, webhooks
from central.context import ServiceContext
from central.delivery import DeliveryFailed
from central.schema import leases
from central.schema import parcels as parcel_table

log = logging.getLogger(__name__)

SCHEDULER = "scheduler"
LEASE = timedelta(seconds=30)
BATCH = 20


def holder_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def take_lease(conn: Connection, name: str, holder: str, now: datetime) -> bool:
    """Hold `name` for LEASE: True if this holder has it now."""
    done = conn.execute(
        update(leases)
        .where(leases.c.name == name, (leases.c.until < now) | (leases.c.holder == holder))
        .values(holder=holder, until=now + LEASE)
    )
    if done.rowcount:
        return True
    exists = conn.execute(select(leases.c.name).where(leases.c.name == name)).first()
    if exists is None:
        conn.execute(insert(leases).values(name=name, holder=holder, until=now + LEASE))
        return True
    return False


def close_undelivered(conn: Connection, now: datetime) -> int:
    """Expected parcels past their deadline were never deposited: nothing is in a
    compartment for a courier to collect, so they are cancelled (new version; the
    locker forgets them on its next pull)."""
    due = conn.execute(
        select(parcel_table.c.parcel_id, parcel_table.c.locker_id)
        .where(parcel_table.c.state == "expected", parcel_table.c.pickup_deadline < now)
        .limit(500)
    ).all()
    closed = 0
    for parcel_id, locker_id in due:
        seq = lockers.next_seq(conn, locker_id)
        done = conn.execute(
            update(parcel_table)
            .where(parcel_table.c.parcel_id == parcel_id, parcel_table.c.state == "expected")
            .values(
                state="cancelled",
                version=parcel_table.c.version + 1,
                change_seq=seq,
                updated_at=now,
            )
        )
        if done.rowcount:
            closed += 1
            outbox.parcel_changed(conn, [parcel_id], now)
    if closed:
        log.info("%d expected parcel(s) passed their deadline undelivered: cancelled", closed)
    return closed


def periodic(ctx: ServiceContext, holder: str) -> bool:
    """The lease holder's pass; False if another process holds the lease."""
    now = ctx.clock()
    with ctx.db.write() as conn:
        if not take_lease(conn, SCHEDULER, holder, now):
            return False
    from central.app import sweep_all

    sweep_all(ctx)
    with ctx.db.write() as conn:
        close_undelivered(conn, now)
    with ctx.db.write() as conn:
        notifications.queue_reminders(conn, now)
    return True


def send_notifications(ctx: ServiceContext) -> int:
    now = ctx.clock()
    skip_locked = not ctx.db.is_sqlite
    with ctx.db.write() as conn:
        ids = notifications.claim(conn, now, BATCH, skip_locked)
    sent = 0
    for notification_id in ids:
        with ctx.db.read() as conn:
            message = notifications.compose(conn, notification_id, ctx.secret_box)
        if message is None:
            with ctx.db.write() as conn:
                notifications.drop(conn, notification_id)
            continue
        error: DeliveryFailed | None = None
        try:
            notifications.send(message, ctx.senders)
            sent += 1
            log.info(
                "notice %s (%s) for parcel %s sent",
                notification_id,
                message.channel,
                message.parcel_id,
            )
        except DeliveryFailed as exc:
            error = exc
            log.warning(
                "notice %s (%s) for parcel %s not sent (attempt %d): %s",
                notification_id,
                message.channel,
                message.parcel_id,
                message.attempts,
                exc,
            )
        with ctx.db.write() as conn:
            notifications.finish(
                conn, notification_id, message.attempts, error, ctx.clock(), ctx.retry_first_s
            )
    return sent


def send_webhooks(ctx: ServiceContext, session: requests.Session) -> int:
    now = ctx.clock()
    with ctx.db.write() as conn:
        ids = webhooks.claim(conn, now, BATCH, not ctx.db.is_sqlite)
    sent = 0
    for delivery_id in ids:
        with ctx.db.read() as conn:
            row = webhooks.load(conn, delivery_id)
        if row is None:
            continue
        status, error = webhooks.post(row, session, ctx.clock())
        sent += error is None
        with ctx.db.write() as conn:
            webhooks.finish(conn, row, status, error, ctx.clock(), ctx.retry_first_s)
    return sent


class Worker:
    """The background thread of one serving process."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.holder = holder_id()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="central-worker", daemon=True)
        self._last_periodic: datetime | None = None
        self.alive_at: datetime | None = None
        self.started_at: datetime = ctx.clock()

    def start(self) -> Worker:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=15)

    def step(self, session: requests.Session) -> None:
        now = self.ctx.clock()
        every = timedelta(seconds=max(self.ctx.sweep_interval_s, 1.0))
        if self.ctx.sweep_interval_s > 0 and (
            self._last_periodic is None
            or now - self._last_periodic >= every
            or now < self._last_periodic  # the clock went back: do not wait for it
        ):
            self._last_periodic = now
            periodic(self.ctx, self.holder)
        send_notifications(self.ctx)
        send_webhooks(self.ctx, session)
        self.alive_at = self.ctx.clock()

    def _run(self) -> None:
        with requests.Session() as session:
            while not self._stop.wait(self.ctx.worker_interval_s):
                try:
                    self.step(session)
                except Exception:  # noqa: BLE001 - the worker must outlive one bad pass
                    log.exception(
                        "background pass failed; retrying in %.0f s", self.ctx.worker_interval_s
                    )
