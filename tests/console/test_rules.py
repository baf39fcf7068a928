"""The rules under the console and the worker, on a real SQLite file with a clock the
test moves: guessing windows that a clock jump cannot reopen, the scheduler lease,
the fleet view reuse, the door overlay, the backoff and the sealed codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from central import notifications, throttle, webhooks, worker
from central.console.views import FleetCache, overlay_events
from central.db import Database
from central.secretbox import SealBroken, SecretBox

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    made = Database(str(tmp_path / "central.db"))
    made.create_schema()
    return made


def test_a_clock_jumping_back_does_not_reopen_the_guessing_window(db: Database) -> None:
    limit = throttle.LIMITS[throttle.TOKEN]
    with db.write() as conn:
        for i in range(limit.failures - 1):
            assert not throttle.fail(conn, throttle.TOKEN, "10.0.0.9", T0 + timedelta(seconds=i))
        # The clock is set back an hour: the window has not started "in the future".
        assert throttle.fail(conn, throttle.TOKEN, "10.0.0.9", T0 - timedelta(hours=1))
        assert throttle.blocked(conn, throttle.TOKEN, "10.0.0.9", T0)
        # A success does not lift a block; the block ends on its own.
        throttle.clear(conn, throttle.TOKEN, "10.0.0.9", T0)
        assert throttle.blocked(conn, throttle.TOKEN, "10.0.0.9", T0 + timedelta(minutes=1))
        assert not throttle.blocked(
            conn, throttle.TOKEN, "10.0.0.9", T0 + limit.block + timedelta(seconds=1)
        )
        # Another address has its own count.
        assert not throttle.blocked(conn, throttle.TOKEN, "10.0.0.10", T0)


def test_one_holder_of_the_scheduler_lease_at_a_time(db: Database) -> None:
    with db.write() as conn:
        assert worker.take_lease(conn, worker.SCHEDULER, "a", T0)
        assert not worker.take_lease(conn, worker.SCHEDULER, "b", T0 + timedelta(seconds=5))
        assert worker.take_lease(conn, worker.SCHEDULER, "a", T0 + timedelta(seconds=10))
        # a stops renewing (its process died): b takes over once the lease runs out
        later = T0 + timedelta(seconds=10) + worker.LEASE + timedelta(seconds=1)
        assert worker.take_lease(conn, worker.SCHEDULER, "b", later)
        assert not worker.take_lease(conn, worker.SCHEDULER, "a", later)


def test_the_fleet_view_is_reused_only_while_young(db: Database) -> None:
    now = [0.0]
    cache = FleetCache(max_age_s=5.0, clock=lambda: now[0])
    with db.read() as conn:
        first = cache.refresh(conn, T0)
        now[0] = 4.9
        assert cache.entries(conn, T0) is first
        now[0] = 5.1
        assert cache.entries(conn, T0) is not first


def test_door_events_after_the_heartbeat_move_the_map() -> None:
    beat = [
        {"compartment_id": "A01", "state": "free", "door": "closed", "occupied": False},
        {"compartment_id": "A02", "state": "occupied", "door": "closed", "occupied": True},
    ]
    later = [
        SimpleNamespace(type="compartment.opened", compartment_id="A01"),
        SimpleNamespace(type="parcel.picked_up", compartment_id="A02"),
        SimpleNamespace(type="compartment.opened", compartment_id="Z99"),
    ]
    moved = overlay_events(beat, later)
    assert [c["door"] for c in moved] == ["open", "closed"]
    assert moved[1]["state"] == "free" and beat[1]["state"] == "occupied"  # input untouched


def test_backoff_doubles_and_is_capped() -> None:
    assert [notifications.backoff(n, 30).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert notifications.backoff(40, 30).total_seconds() == notifications.BACKOFF_MAX_S
    assert webhooks.backoff(1, 10).total_seconds() == 10


def test_a_sealed_code_opens_only_for_its_parcel_and_key(tmp_path: Path) -> None:
    box = SecretBox.from_file(tmp_path / "k")
    assert (tmp_path / "k").stat().st_mode & 0o777 == 0o600
    sealed = box.seal("12345678", "parcel-1")
    assert "12345678" not in sealed
    assert box.open(sealed, "parcel-1") == "12345678"
    with pytest.raises(SealBroken):
        box.open(sealed, "parcel-2")
    with pytest.raises(SealBroken):
        SecretBox.from_file(tmp_path / "other").open(sealed, "parcel-1")
    assert SecretBox.from_file(tmp_path / "k").open(sealed, "parcel-1") == "12345678"
