"""A door opens for what the kiosk itself knows is behind it: a pull cannot fill a door,
a rebuilt cache's claimed doors wait for a sensor or the technician, and a deposit never
goes to a door whose sensor reads full."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract import wire
from contract.codes import hash_code
from kiosk.flows.courier_view import CourierScreen
from kiosk.flows.occupancy import ClaimCheck
from kiosk.flows.ports import CompartmentState, ParcelState
from kiosk.flows.technician_view import TechnicianScreen
from sync.cache.sync_store import SyncStore
from tests.flows.conftest import TEST_KDF, World, courier_flow, screen, technician_flow
from tests.flows.test_remote import executor, results
from tests.flows.test_technician import PIN as TECH_PIN
from tests.flows.test_technician import RECORD

pytestmark = pytest.mark.integration

CODE = "48151623"
FAR = "2099-01-01T00:00:00Z"


def claim(world: World, pid: str, door: str, code: str | None = CODE) -> None:
    """The first pull of a rebuilt cache says `pid` is stored in `door`."""
    SyncStore(world.cache).apply_parcels(wire.ParcelPage.model_validate({
        "parcels": [{
            "parcel_id": pid, "order_ref": f"ORD-{pid}", "state": "stored", "size": "S",
            "compartment_id": door, "barcode": f"BC-{pid}", "pickup_deadline": FAR,
            "pickup_code_hash": hash_code(code, world.salt, TEST_KDF) if code else None,
            "version": 3}],
        "next_cursor": "c1", "has_more": True}))


# What a code that opens nothing shows (a known code that opens nothing reads like a
# wrong one: it tells nobody what is behind which door).
OPENS_NOTHING = ("unknown_code", "not_yet_arrived")


def pickup_with(world: World, code: str) -> str:
    flow = world.pickup()
    world.poll(flow)
    return screen(flow.submit_code(code))


@pytest.mark.parametrize("world", ["cu16"], indirect=True)
def test_a_deposit_never_opens_a_door_whose_sensor_reads_full(world: World) -> None:
    world.add_courier("C1", pin="4711")
    world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-1", size="S")
    world.bank.set_occupied("A01", True)  # the first S door by fill order: not empty
    flow = courier_flow(world)
    flow.login_pin("C1", "4711")
    world.poll(flow)
    flow.start_deposit()
    view = flow.scan_parcel("PKG-1")
    assert view.screen is CourierScreen.deposit_opening
    assert view.door is not None and view.door.label != "A01"
    assert "A01" not in world.bank.unlocks()
    (alarm,) = world.event_data("compartment.occupancy_mismatch")
    assert alarm == {"context": "deposit", "expected": "empty", "sensor": "occupied"}
    assert world.compartment_state("A01") is CompartmentState.FREE  # the parcels decide


@pytest.mark.parametrize("world", ["cu16"], indirect=True)
def test_claimed_doors_are_settled_by_their_sensors(world: World) -> None:
    claim(world, "REAL", "A02")
    claim(world, "LIE", "B02", code="11110000")
    world.bank.set_occupied("A02", True)
    assert pickup_with(world, CODE) in OPENS_NOTHING  # unverified: opens nothing
    assert world.bank.unlocks() == []
    check = ClaimCheck(world.store, world.clock.monotonic)
    check.on_door_states(world.bank.read_states())
    assert world.store.unverified_doors() == {}
    assert pickup_with(world, CODE) == "door_opening"
    assert world.bank.unlocks() == ["A02"]
    assert pickup_with(world, "11110000") in OPENS_NOTHING
    assert world.compartment_state("B02") is CompartmentState.FREE
    assert [d["parcel_id"] for d in world.event_data("parcel.pull_refused")] == ["LIE"]


def test_without_sensors_only_the_technician_opens_and_confirms(world: World) -> None:
    claim(world, "REAL", "B01")
    assert world.compartment_state("B01") is CompartmentState.OCCUPIED  # no deposit there
    assert pickup_with(world, CODE) in OPENS_NOTHING
    world.add_command("K1", "open_compartment", "B01")
    executor(world).step()
    assert results(world)[-1][0] == "command.failed" and world.bank.unlocks() == []
    tech = technician_flow(world, technicians=(("T1", RECORD),))
    view = tech.login("T1", TECH_PIN)
    (cell,) = [c for c in view.cells if c.door.label == "B01"]
    assert cell.unverified and view.screen is TechnicianScreen.map
    tech.open_one("B01")
    assert tech.confirm().screen in (TechnicianScreen.opening, TechnicianScreen.opened)
    assert world.bank.unlocks() == ["B01"]  # the technician may open it
    assert world.poll(tech).screen is TechnicianScreen.opened
    world.close("B01")
    view = tech.confirm_contents("B01")
    assert not [c for c in view.cells if c.unverified]
    assert pickup_with(world, CODE) == "door_opening"
    assert world.bank.unlocks() == ["B01", "B01"]


def test_an_export_destination_that_climbs_out_is_refused(world: World,
                                                          tmp_path: Path) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    tech = technician_flow(world, technicians=(("T1", RECORD),))
    tech.login("T1", TECH_PIN)
    view = tech.export(str(stick / ".." / ".."))
    assert view.screen is TechnicianScreen.export_failed
    assert view.export_error is not None and "'..'" in view.export_error
    assert not list(tmp_path.parent.glob("expresspoint-export-*"))
