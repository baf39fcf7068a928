"""Faults around a door opening rather than inside it: a door forced while the kiosk was
down, the sync worker killed while the kiosk works, the disk filling up in the middle of
a pickup. (The sync worker killed between sending a batch and recording the ack is
tests/sync/test_kill_and_race.py::test_sync_killed_between_sending_a_batch_and_recording_the_ack.)"""

from __future__ import annotations

import os
import signal
from collections import Counter

import pytest

from sync.cache import Cache
from tests.crash.world import COURIER, PIN, CrashWorld, deposit, pending, pickup, wait_until
from tests.sync.synckit import local_events

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _converged(world: CrashWorld) -> Counter[str]:
    """Every local event on the central service exactly once; their types counted."""
    world.pushed()
    events = world.central.events()
    counts = Counter(e.event_id for e in events)
    assert [eid for eid, n in counts.items() if n > 1] == []
    with Cache.open(world.cache_path, migrate=False) as cache:
        assert {e.event_id for e in local_events(cache)} == set(counts)
    return Counter(e.type.value for e in events)


def _free_door(world: CrashWorld) -> str:
    rows = world.query("SELECT id FROM compartment WHERE state = 'free' ORDER BY id DESC")
    return str(rows[0][0])


def test_a_door_forced_while_the_kiosk_was_down_is_an_alarm_once(world: CrashWorld) -> None:
    world.kiosk().quit()  # the layout is in the cache
    door = _free_door(world)
    before = _converged(world)["compartment.forced_open"]
    fired = world.fired()
    world.open_by_hand(door)  # nobody at the kiosk commanded this
    for _ in range(2):  # a second start (e.g. a restart loop) does not repeat the alarm
        kiosk = world.kiosk()
        try:
            wait_until("the alarm", lambda: world.query(
                "SELECT count(*) FROM outbox WHERE type = 'compartment.forced_open' "
                "AND compartment_id = ?", door)[0][0] == 1)
            assert pending(kiosk) == []
            kiosk.quit()
        except BaseException:
            kiosk.kill()
            raise
    world.close_door(door, occupied=False)
    assert _converged(world)["compartment.forced_open"] == before + 1
    assert world.fired() == fired  # nothing fired by the recovery
    assert world.compartment_state(door) == "free"


def test_the_sync_worker_killed_while_the_kiosk_works_loses_and_doubles_nothing(
        world: CrashWorld) -> None:
    (parcel,) = world.announce(1)
    assert world.sync is not None
    os.kill(world.sync.pid, signal.SIGKILL)
    assert world.sync.wait(30) == -signal.SIGKILL
    kiosk = world.kiosk()
    try:
        assert kiosk.ask(f"courier {COURIER} {PIN}").startswith("menu")
        door = deposit(kiosk, world, parcel.parcel.barcode)
        kiosk.ask("logout")
        world.start_sync()  # the service manager restarts it while the kiosk runs
        wait_until("the deposit on the central service",
                   lambda: world.central.parcel(parcel.parcel.parcel_id).state.value == "stored")
        os.kill(world.sync.pid, signal.SIGKILL)  # and it dies again, mid-life
        world.sync.wait(30)
        assert pickup(kiosk, world, parcel.qr_payload) == door
        world.start_sync()
        kiosk.quit()
    except BaseException:
        kiosk.kill()
        raise
    _converged(world)
    assert world.central.parcel(parcel.parcel.parcel_id).state.value == "picked_up"


def _stored_parcel(world: CrashWorld) -> tuple[object, str, object]:
    (parcel,) = world.announce(1)
    kiosk = world.kiosk()
    try:
        assert kiosk.ask(f"courier {COURIER} {PIN}").startswith("menu")
        door = deposit(kiosk, world, parcel.parcel.barcode)
        assert door is not None
        kiosk.ask("logout")
    except BaseException:
        kiosk.kill()
        raise
    return parcel, door, kiosk


def test_a_full_disk_during_a_pickup_opens_no_door_it_cannot_record(world: CrashWorld) -> None:
    parcel, door, kiosk = _stored_parcel(world)
    try:
        fired = world.fired()
        intents = world.query("SELECT count(*) FROM audit WHERE kind = 'door_open'")
        kiosk.ask("fsize 1")  # from now on no file can grow: the disk is full
        with pytest.raises(AssertionError, match="disk I/O error|disk is full"):
            kiosk.ask(f"scan {parcel.qr_payload}")  # type: ignore[attr-defined]
        # The intent could not be written, so the unlock frame never left.
        assert world.fired() == fired
        assert world.query("SELECT count(*) FROM audit WHERE kind = 'door_open'") == intents
        assert kiosk.proc.poll() is None  # the kiosk is still there (no crash loop)
        kiosk.ask("fsize off")
        kiosk.quit()
    except BaseException:
        kiosk.kill()
        raise
    assert world.parcel(parcel.parcel.parcel_id) == ("stored", door)  # type: ignore[attr-defined]


def test_after_a_full_disk_the_customer_is_not_left_on_door_opening(
        world: CrashWorld) -> None:
    parcel, door, kiosk = _stored_parcel(world)
    try:
        kiosk.ask("fsize 1")
        with pytest.raises(AssertionError, match="disk I/O error|disk is full"):
            kiosk.ask(f"scan {parcel.qr_payload}")  # type: ignore[attr-defined]
        kiosk.ask("fsize off")
        screen = kiosk.ask("screen")
    finally:
        kiosk.kill()
    assert not screen.startswith("door_opening"), screen
