"""A whole visit cycle against the real central service over HTTP.

The central service announces 20 parcels; a courier deposits them all (some sizes run
out and fall back to larger compartments); the sync worker reports them; customers
pick up 10 with their QR codes; the other 10 expire centrally and the courier collects
them. The central service ends with exactly the right states and each event once.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kiosk.flows.cache_store import CacheStore
from kiosk.flows.clock import ManualClock
from kiosk.flows.courier import CourierFlow, CourierScreen
from kiosk.flows.pickup import PickupFlow, PickupScreen
from locker_driver import OpenConfirmer
from sync.cache import Cache, CompartmentSpec
from tests.central_service import CentralService
from tests.flows.simlocker import SimLocker
from tests.sync.synckit import Kiosk, assert_converged

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SIZES = ("S", "S", "M", "M", "M", "L", "L", "XL")  # rows 1-8 of columns A, B, C
PIN = "2468"


def stream_alarms(central: CentralService) -> list[str]:
    from central.anomalies import SUBJECT_ALARMS

    stream = {"pickup_without_opening", "opening_without_command_or_code", "denied_codes"}
    stream |= {code for code, _message in SUBJECT_ALARMS.values()}
    entry = next(e for e in central.operator.fleet().lockers if e.locker_id == central.locker_id)
    return [a.code for a in entry.alarms if a.code in stream]


def test_twenty_parcels_deposited_half_picked_up_half_collected(tmp_path: Path) -> None:
    central = CentralService(tmp_path / "central").start()
    cache = Cache.open(tmp_path / "kiosk.db")
    specs = [CompartmentSpec(f"{col}{row:02d}", 1, c * len(SIZES) + row, size, c, row)
             for c, col in enumerate("ABC") for row, size in enumerate(SIZES, start=1)]
    cache.replace_layout(specs)
    kiosk = Kiosk(tmp_path / "kiosk.db", cache, central.base_url, central.locker_id,
                  central.device_token)
    bank = SimLocker([s.id for s in specs], tmp_path / "ttyLOCK0")
    clock = ManualClock()
    store = CacheStore(cache)
    try:
        central.put_courier("C1", pin=PIN)
        announced = [central.announce(size=("S", "M", "L")[n % 3]) for n in range(20)]
        assert kiosk.sync().ok

        # -- the courier loads all twenty ------------------------------------------------
        courier = CourierFlow(store, bank, clock, OpenConfirmer)
        assert courier.login_pin("C1", PIN).screen is CourierScreen.menu
        courier.start_deposit()
        used: dict[str, str] = {}
        for parcel in announced:
            view = courier.scan_parcel(parcel.parcel.barcode)
            if view.screen is CourierScreen.deposit_fallback:  # its size is full: say yes
                view = courier.accept_larger()
            assert view.screen is CourierScreen.deposit_opening, view.refusal
            courier.on_door_states(bank.read_states())
            used[parcel.parcel.parcel_id] = view.compartment_size or ""
            bank.close(view.door.label)
            assert courier.on_door_states(bank.read_states()).screen is \
                CourierScreen.deposit_scan
        assert len(courier.view().tally) == 20
        # Seven S parcels, six S compartments: one went to a larger one.
        assert Counter(used.values()) == {"S": 6, "M": 8, "L": 6}
        courier.logout()
        assert kiosk.sync().ok
        assert {p.state.value for p in central.parcels().values()} == {"stored"}

        # -- ten customers pick up -----------------------------------------------------
        pickup = PickupFlow(store, bank, clock, OpenConfirmer)
        for parcel in announced[:10]:
            view = pickup.submit_scan(parcel.qr_payload)
            assert view.screen is PickupScreen.door_opening, view.screen
            assert pickup.on_door_states(bank.read_states()).screen is PickupScreen.door_open
            bank.close(view.door.label)
            assert pickup.on_door_states(bank.read_states()).screen is PickupScreen.done
        assert kiosk.sync().ok

        # -- the rest expire and are collected -------------------------------------------
        for parcel in announced[10:]:
            central.expire(parcel.parcel.parcel_id)
        assert kiosk.sync().ok
        courier = CourierFlow(store, bank, clock, OpenConfirmer)
        courier.login_pin("C1", PIN)
        view = courier.start_collect()
        assert len(view.collect) == 10
        view = courier.collect_begin()
        for _ in range(10):
            assert view.screen is CourierScreen.collect_opening, view.screen
            view = courier.on_door_states(bank.read_states())
            assert view.screen is CourierScreen.collect_open, view.screen
            courier.confirm_removed()
            bank.close(view.door.label)
            view = courier.on_door_states(bank.read_states())  # the next door opens
        assert view.screen is CourierScreen.collect_done
        assert courier.view().collected_count == 10
        courier.logout()
        assert kiosk.sync().ok

        # -- what the central service knows --------------------------------------------
        states = {pid: p.state.value for pid, p in central.parcels().items()}
        assert sorted(states.values()) == ["collected"] * 10 + ["picked_up"] * 10
        assert {states[p.parcel.parcel_id] for p in announced[:10]} == {"picked_up"}
        events = Counter(e.type.value for e in central.events())
        assert (events["parcel.deposited"], events["parcel.picked_up"],
                events["parcel.collected"]) == (20, 10, 10)
        assert events["courier.login"] == 2
        assert events["compartment.opened"] == 40
        assert_converged(cache, central)
        # An honest stream raises none of the event-stream anomalies of the fleet view.
        assert stream_alarms(central) == []
    finally:
        bank.shutdown()
        kiosk.close()
        central.close()


def test_remote_commands_from_the_operator_run_once_and_are_reported(tmp_path: Path) -> None:
    from kiosk.flows.remote import RemoteExecutor, RemoteSettings

    central = CentralService(tmp_path / "central").start()
    cache = Cache.open(tmp_path / "kiosk.db")
    specs = [CompartmentSpec(f"A{row:02d}", 1, row, "M", 0, row) for row in range(1, 5)]
    cache.replace_layout(specs)
    kiosk = Kiosk(tmp_path / "kiosk.db", cache, central.base_url, central.locker_id,
                  central.device_token)
    bank = SimLocker([s.id for s in specs], tmp_path / "ttyLOCK0")
    try:
        opened = central.queue_command("open_compartment", "A02", reason="case 1234")
        too_many = central.queue_command("open_compartment", "A03", reason="case 1235")
        oos = central.queue_command("set_out_of_service", "A04", reason="broken hinge")
        assert kiosk.sync().ok  # the heartbeat brings the commands
        executor = RemoteExecutor(CacheStore(cache), bank, ManualClock(), OpenConfirmer,
                                  RemoteSettings(max_opens_per_hour=1))
        for _ in range(6):
            executor.step()
        assert bank.unlocks() == ["A02"]
        assert kiosk.sync().ok
        by_id = {c.command_id: c for c in central.commands()}
        assert by_id[opened.command_id].status.value == "completed"
        assert by_id[too_many.command_id].status.value == "failed"
        assert by_id[oos.command_id].status.value == "completed"
        events = Counter(e.type.value for e in central.events())
        assert (events["command.completed"], events["command.failed"]) == (2, 1)
        assert events["compartment.out_of_service"] == 1
        # Heard again on the next heartbeat, nothing runs twice.
        assert kiosk.sync().ok
        for _ in range(3):
            executor.step()
        assert bank.unlocks() == ["A02"]
        assert stream_alarms(central) == []
    finally:
        bank.shutdown()
        kiosk.close()
        central.close()
