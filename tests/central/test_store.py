"""The storage layer in-process with an injected clock: deadline sweep, command expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from central import commands, lockers, parcels
from central.app import sweep_all
from central.context import ServiceContext
from central.db import Database
from contract.wire import (
    CodeKdf,
    CommandRequest,
    CommandStatus,
    CommandType,
    LockerCreate,
    ParcelAnnounce,
    ParcelState,
)

pytestmark = pytest.mark.unit

T0 = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path):
    database = Database(str(tmp_path / "central.db"))
    database.create_schema()
    with database.write() as conn:
        lockers.create(
            conn, LockerCreate(locker_id="L1", name="One", code_kdf=CodeKdf(n=16, r=1)), T0
        )
    yield database
    database.dispose()


def _announce(db: Database, ref: str, days: int) -> str:
    with db.read() as conn:
        keys = lockers.keys(conn, "L1")
    code, code_hash = parcels.new_code_and_hash(keys)
    spec = ParcelAnnounce(locker_id="L1", order_ref=ref, size="S", barcode=ref, pickup_days=days)
    with db.write() as conn:
        return parcels.announce(conn, spec, T0, code=code, code_hash=code_hash).parcel.parcel_id


def test_sweep_expires_only_stored_parcels_past_deadline(db: Database) -> None:
    due = _announce(db, "due", 1)
    later = _announce(db, "later", 3)
    not_in = _announce(db, "expected", 1)
    with db.write() as conn:
        for pid in (due, later):
            seq = lockers.next_seq(conn, "L1")
            parcels.apply_physical(conn, pid, ParcelState.STORED, "A01", T0, seq, T0)
    ctx = ServiceContext(db=db, clock=lambda: T0 + timedelta(days=2))
    assert sweep_all(ctx) == 1
    assert sweep_all(ctx) == 0  # idempotent
    with db.read() as conn:
        states = {pid: parcels.get(conn, pid).state for pid in (due, later, not_in)}
        page = parcels.page(conn, "L1", None, 100)
    assert states == {due: "expired", later: "stored", not_in: "expected"}
    assert page.parcels[-1].parcel_id == due  # re-stamped: the locker pulls the change


def test_expired_commands_are_no_longer_delivered(db: Database) -> None:
    with db.write() as conn:
        cmd = commands.queue(
            conn, "L1", CommandRequest(type=CommandType.RESYNC, reason="r", ttl_s=60), T0
        )
    with db.write() as conn:
        assert [c.command_id for c in commands.for_delivery(conn, "L1", T0)] == [cmd.command_id]
    with db.write() as conn:
        assert commands.for_delivery(conn, "L1", T0 + timedelta(seconds=61)) == []
    with db.read() as conn:
        assert commands.listing(conn, "L1").commands[0].status is CommandStatus.EXPIRED


def test_change_sequence_is_per_locker_and_monotonic(db: Database) -> None:
    with db.write() as conn:
        lockers.create(
            conn, LockerCreate(locker_id="L2", name="Two", code_kdf=CodeKdf(n=16, r=1)), T0
        )
        a = lockers.next_seq(conn, "L1", 3)
        b = lockers.next_seq(conn, "L1")
        c = lockers.next_seq(conn, "L2")
    assert (a, b, c) == (1, 4, 1)


def test_sqlite_pragmas_on_every_connection_and_durability_per_transaction(db: Database) -> None:
    with db.write() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    with db.write(durable=False) as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    with db.write() as conn:  # the same pooled connection is durable again
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
