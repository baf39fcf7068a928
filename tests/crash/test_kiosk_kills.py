"""SIGKILL the kiosk at each step of a pickup and of a deposit, start it again, and check
that nothing was lost, nothing doubled and no door fired twice.

Each case: the real kiosk process (`kiosk_child.py`) kills itself at the named point
(deterministically: the point is a hook on the real cache/bank call), the harness plays
the person at the door (closes it, takes or leaves the parcel), starts the kiosk again,
lets the start-up recovery settle, then the person tries again as they would (the
customer scans the same QR, the courier scans the same label). The sync worker runs all
the time against the real central service. At the end of every case:

- the parcel is in the right state, in the cache and on the central service;
- its parcel event is on the central service exactly once, and no event id twice;
- every lock fired exactly as often as a door was meant to open (the simulator counts);
- every door-open intent has an outcome; no forced-open alarm for a commanded opening.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.crash.world import COURIER, PIN, CrashWorld, deposit, pending, pickup, wait_until
from tests.sync.synckit import local_events

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PICKUP_POINTS = ("before_unlock", "after_unlock", "after_outcome", "after_pickup_record",
                 "before_closed_event", "after_closed_event")
DEPOSIT_POINTS = ("before_unlock", "after_unlock", "after_outcome", "before_closed_event",
                  "after_closed_event", "after_deposit_record")
CLOSE_POINTS = frozenset({"before_closed_event", "after_closed_event",
                          "after_deposit_record"})
CASES = [("pickup", p) for p in PICKUP_POINTS] + [("deposit", p) for p in DEPOSIT_POINTS]


@pytest.fixture(scope="module")
def parcels(world: CrashWorld) -> list[Any]:
    return world.announce(len(CASES))


def _last_intent_door(world: CrashWorld) -> str:
    return str(world.query("SELECT compartment_id FROM audit WHERE kind = 'door_open' "
                           "ORDER BY id DESC LIMIT 1")[0][0])


@pytest.mark.parametrize(("flow", "point"), CASES, ids=[f"{f}-{p}" for f, p in CASES])
def test_kill_and_restart(world: CrashWorld, parcels: list[Any], flow: str, point: str
                          ) -> None:
    announced = parcels[CASES.index((flow, point))]
    pid, barcode, qr = announced.parcel.parcel_id, announced.parcel.barcode, \
        announced.qr_payload
    fired_before = world.fired()
    expected_fires = 1

    # -- the run that dies ------------------------------------------------------------
    kiosk = world.kiosk(crash_at=point)
    try:
        if flow == "pickup":
            # The parcel goes in first (a normal deposit), then the kill point is armed.
            assert kiosk.ask(f"courier {COURIER} {PIN}").startswith("menu")
            assert deposit(kiosk, world, barcode) is not None
            kiosk.ask("logout")
            expected_fires = 2
        else:
            assert kiosk.ask(f"courier {COURIER} {PIN}").startswith("menu")
        kiosk.ask("arm")
        kiosk.send(f"scan {qr}" if flow == "pickup" else f"deposit {barcode}")
        if point in CLOSE_POINTS:
            door = kiosk.expect("VIEW door_open " if flow == "pickup" else
                                "VIEW deposit_open ").split()[2]
            world.close_door(door, occupied=flow == "deposit")
        assert kiosk.wait_killed() == point
    except BaseException:
        kiosk.kill()
        raise
    door = _last_intent_door(world)
    left_open = world.is_open(door)
    assert left_open == (point not in CLOSE_POINTS and point != "before_unlock")

    # -- the restart: recovery settles what the dead run left -------------------------
    kiosk = world.kiosk()
    try:
        if left_open:
            # The door stands open: the recovery finishes what the flow does at this
            # point while it is still open (pickup recorded / compartment reserved)...
            if flow == "pickup":
                wait_until("the pickup recorded", lambda: world.parcel(pid)[0] == "picked_up")
            else:
                wait_until("the compartment reserved",
                           lambda: world.compartment_state(door) == "reserved")
            assert pending(kiosk) == [door]
            # ...and follows the door to its close.
            world.close_door(door, occupied=flow == "deposit")
        wait_until("the recovery to settle", lambda: pending(kiosk) == [])

        # -- the person tries again, as they would -------------------------------------
        if flow == "pickup":
            again = pickup(kiosk, world, qr)
        else:
            assert kiosk.ask(f"courier {COURIER} {PIN}").startswith("menu")
            again = deposit(kiosk, world, barcode)
            kiosk.ask("logout")
        # Only an opening that never happened is done again.
        assert (again is not None) == (point == "before_unlock"), again
        if again is not None:
            door = again
        kiosk.quit()
    except BaseException:
        kiosk.kill()
        raise
    world.pushed()

    # -- nothing lost, nothing doubled --------------------------------------------------
    fired_now = world.fired()
    fired = {lock: n - fired_before.get(lock, 0) for lock, n in fired_now.items()
             if n != fired_before.get(lock, 0)}
    assert fired == {world.lock(door): expected_fires}, fired
    want = ("picked_up", "stored")[flow == "deposit"]
    assert world.parcel(pid) == (want, door)
    assert world.compartment_state(door) == ("free" if flow == "pickup" else "occupied")
    assert world.intents_without_outcome() == []
    central = world.central
    assert central.parcel(pid).state.value == want
    assert central.parcel(pid).compartment_id == door
    events = central.events()
    counts = Counter(e.event_id for e in events)
    assert [eid for eid, n in counts.items() if n > 1] == []
    from sync.cache import Cache

    with Cache.open(world.cache_path, migrate=False) as cache:
        local = {e.event_id for e in local_events(cache)}
    assert local == set(counts)  # every local event reached the server, no other
    mine = Counter(e.type.value for e in events if e.parcel_id == pid)
    assert mine[f"parcel.{'picked_up' if flow == 'pickup' else 'deposited'}"] == 1
    assert mine["parcel.deposited"] == 1
    assert not [e for e in events if e.type.value == "compartment.forced_open"]
    # Every opening of this parcel's door that was seen open has its close on the server.
    opened = [i for i, outcome in world.intent_outcomes(pid) if outcome in ("opened",)]
    closed = {e.data.get("intent_id") for e in events if e.type.value == "compartment.closed"}
    assert opened and set(opened) <= closed, (opened, closed)
