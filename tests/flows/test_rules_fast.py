"""Flow rules on in-memory ports: the same promises the real-cache tests check, in
milliseconds, so a rule change is checked before the slower integration tests run.

The confirmer and the clock are the real ones (pure logic); only the cache and the
board are in memory (tests/flows/fakes.py).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract.codes import KdfParams, hash_code, hash_secret, new_salt
from kiosk.flows.clock import ManualClock
from kiosk.flows.courier import CourierFlow, CourierSettings
from kiosk.flows.courier_view import CourierScreen
from kiosk.flows.pickup import PickupFlow, PickupScreen, PickupSettings
from kiosk.flows.ports import (
    Actor,
    ActorKind,
    Bank,
    CompartmentState,
    Courier,
    DoorState,
    EventType,
    OpeningOutcome,
    OpeningSettlement,
    ParcelState,
    Store,
)
from kiosk.flows.recovery import StartupRecovery
from kiosk.flows.technician import TechnicianFlow
from kiosk.flows.technician_view import TechnicianSettings
from kiosk.flows.views import FlowKind
from locker_driver import CompartmentReading, OpenConfirmer
from tests.flows.fakes import MemoryBank, MemoryStore

pytestmark = pytest.mark.unit

KDF = KdfParams(n=16)  # the rules, not the hashing, are under test here
CODE = "12345678"
DOORS = ("A01", "A02", "A03", "B01")


class Locker:
    def __init__(self) -> None:
        self.clock = ManualClock()
        self.salt = new_salt()
        self.store = MemoryStore()
        self.store.set_profile("L-1", self.salt, KDF)
        for i, cid in enumerate(DOORS):
            self.store.add_compartment(cid, column=i // 3, row=i % 3)
        self.bank = MemoryBank(DOORS)

    def code_hash(self, code: str) -> str:
        return hash_code(code, self.salt, KDF)

    def pickup(self, **kw: object) -> PickupFlow:
        return PickupFlow(self.store, self.bank, self.clock, OpenConfirmer,
                          PickupSettings(**kw))  # type: ignore[arg-type]

    def courier(self) -> CourierFlow:
        return CourierFlow(self.store, self.bank, self.clock, OpenConfirmer,
                           CourierSettings())

    def poll(self, flow: PickupFlow | CourierFlow) -> object:
        return flow.on_door_states(self.bank.read_states())


@pytest.fixture
def locker() -> Locker:
    return Locker()


def test_the_fakes_have_every_method_of_the_ports() -> None:
    """A port that grows a method grows it here too, or this fails first."""
    for port, fake in ((Store, MemoryStore), (Bank, MemoryBank)):
        missing = sorted(n for n in dir(port) if not n.startswith("_") and
                         not hasattr(fake, n))
        assert not missing, f"{fake.__name__} lacks {missing} of {port.__name__}"


def test_a_code_opens_its_door_with_the_intent_written_first(locker: Locker) -> None:
    locker.store.add_parcel("P1", "A02", code_hash=locker.code_hash(CODE))
    written_at_unlock: list[list[str]] = []
    unlock = locker.bank.unlock
    locker.bank.unlock = lambda cid: (  # type: ignore[method-assign]
        written_at_unlock.append(locker.store.event_types()), unlock(cid))[1]
    flow = locker.pickup()
    assert flow.submit_scan(CODE).screen is PickupScreen.door_opening
    assert written_at_unlock == [["compartment.opened"]]
    assert locker.poll(flow).screen is PickupScreen.door_open  # type: ignore[attr-defined]
    assert locker.store.parcel("P1").state is ParcelState.PICKED_UP  # type: ignore[union-attr]
    locker.bank.close("A02")
    assert locker.poll(flow).screen is PickupScreen.done  # type: ignore[attr-defined]
    assert locker.store.event_types() == ["compartment.opened", "parcel.picked_up",
                                          "compartment.closed"]
    assert locker.store.opening(1).outcome is OpeningOutcome.OPENED


def test_a_door_that_never_opens_is_jammed_and_nothing_is_picked_up(locker: Locker) -> None:
    locker.store.add_parcel("P1", "A02", code_hash=locker.code_hash(CODE))
    locker.bank.jammed.add("A02")
    flow = locker.pickup(open_confirm_timeout_s=2.0)
    flow.submit_scan(CODE)
    for _ in range(12):
        locker.clock.advance(0.25)
        locker.poll(flow)
        flow.tick()
    assert flow.view().screen is PickupScreen.door_failed
    assert "compartment.jammed" in locker.store.event_types()
    assert locker.store.parcel("P1").state is ParcelState.STORED  # type: ignore[union-attr]


def test_an_unreachable_board_sends_nothing_and_records_not_sent(locker: Locker) -> None:
    locker.store.add_parcel("P1", "A02", code_hash=locker.code_hash(CODE))
    locker.bank.unreachable = True
    flow = locker.pickup()
    flow.submit_scan(CODE)
    assert locker.bank.unlocks == []
    assert locker.store.opening(1).outcome is OpeningOutcome.NOT_SENT
    assert locker.store.parcel("P1").state is ParcelState.STORED  # type: ignore[union-attr]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="0123456789", min_size=8, max_size=8), min_size=1,
                max_size=12))
def test_no_sequence_of_wrong_codes_opens_a_door(wrong: list[str]) -> None:
    locker = Locker()
    locker.store.add_parcel("P1", "A02", code_hash=locker.code_hash(CODE))
    flow = locker.pickup(free_attempts=3)
    for code in (c for c in wrong if c != CODE):
        view = flow.submit_scan(code)
        assert view.screen in (PickupScreen.unknown_code, PickupScreen.locked_out)
        locker.clock.advance(1.0)
        flow.tick()
    assert locker.bank.unlocks == []
    assert set(locker.store.event_types()) <= {"code.denied", "code.lockout"}
    assert locker.store.parcel("P1").state is ParcelState.STORED  # type: ignore[union-attr]


def test_a_courier_flow_decides_what_a_scan_means(locker: Locker) -> None:
    badge = "BADGE:C-7"
    locker.store.add_courier(Courier("C-7", "Dana", None,
                                     hash_secret(badge, locker.salt, KDF), True))
    locker.store.add_parcel("P9", None, state=ParcelState.EXPECTED, barcode="XP-9")
    flow = locker.courier()
    assert flow.kind is FlowKind.courier and flow.view().flow is FlowKind.courier
    assert flow.submit_scan(badge).screen is CourierScreen.menu  # a badge, at login
    view = flow.submit_scan("XP-9")  # a parcel label, from the menu
    assert view.screen is CourierScreen.deposit_opening and view.parcel_id == "P9"
    assert flow.submit_scan(badge).screen is CourierScreen.deposit_opening  # ignored now
    locker.poll(flow)
    locker.bank.close(view.door.label if view.door else "")
    locker.poll(flow)
    assert locker.store.parcel("P9").state is ParcelState.STORED  # type: ignore[union-attr]
    assert flow.logout().ended


def test_a_technician_flow_ignores_scans(locker: Locker) -> None:
    flow = TechnicianFlow(locker.store, locker.bank, None, locker.clock,  # type: ignore[arg-type]
                          OpenConfirmer, TechnicianSettings())
    before = flow.view()
    assert flow.submit_scan("BADGE:T-1") == before and locker.bank.unlocks == []
    assert before.flow is FlowKind.technician and not before.ended


def _reading(door: DoorState) -> CompartmentReading:
    return CompartmentReading(door, None)


def test_recovery_settles_an_opening_seen_open_as_a_pickup(locker: Locker) -> None:
    locker.store.add_parcel("P1", "A02", code_hash="x")
    intent = locker.store.record_open_intent(
        "A02", actor=_customer(), reason="pickup", parcel_ids=("P1",))
    recovery = StartupRecovery(locker.store, locker.clock)
    assert [u.intent_id for u in recovery.load()] == [intent]
    recovery.on_door_states({"A02": _reading(DoorState.OPEN)})
    assert locker.store.parcel("P1").state is ParcelState.PICKED_UP  # type: ignore[union-attr]
    recovery.on_door_states({"A02": _reading(DoorState.CLOSED)})
    assert locker.store.settlement(intent) is OpeningSettlement.PICKED_UP
    assert StartupRecovery(locker.store, locker.clock).load() == []  # settled once


def test_recovery_assumes_nothing_for_a_door_found_closed(locker: Locker) -> None:
    locker.store.add_parcel("P1", "A02", code_hash="x")
    intent = locker.store.record_open_intent(
        "A02", actor=_customer(), reason="pickup", parcel_ids=("P1",))
    recovery = StartupRecovery(locker.store, locker.clock)
    recovery.load()
    recovery.on_door_states({"A02": _reading(DoorState.UNKNOWN)})  # decides nothing
    assert locker.store.settlement(intent) is None
    recovery.on_door_states({"A02": _reading(DoorState.CLOSED)})
    assert locker.store.opening(intent).outcome is OpeningOutcome.UNCONFIRMED
    assert locker.store.settlement(intent) is OpeningSettlement.UNCONFIRMED
    assert locker.store.parcel("P1").state is ParcelState.STORED  # type: ignore[union-attr]


def test_recovery_raises_a_forced_opening_once(locker: Locker) -> None:
    for _ in range(3):  # three restarts in a row, the door open all along
        recovery = StartupRecovery(locker.store, locker.clock)
        recovery.load()
        recovery.on_door_states({"A03": _reading(DoorState.OPEN)})
    assert locker.store.event_types() == [EventType.COMPARTMENT_FORCED_OPEN.value]


def test_a_deposit_cut_short_keeps_the_compartment_out_of_the_free_pool(locker: Locker
                                                                       ) -> None:
    locker.store.add_parcel("P2", None, state=ParcelState.EXPECTED)
    intent = locker.store.record_open_intent(
        "A01", actor=_courier(), reason="deposit", parcel_ids=("P2",))
    locker.store.record_open_outcome(intent, OpeningOutcome.OPENED)
    recovery = StartupRecovery(locker.store, locker.clock)
    recovery.load()
    recovery.on_door_states({"A01": _reading(DoorState.OPEN)})
    assert [c.state for c in locker.store.compartments() if c.compartment_id == "A01"] == [
        CompartmentState.RESERVED]
    recovery.on_door_states({"A01": _reading(DoorState.CLOSED)})
    assert locker.store.parcel("P2").state is ParcelState.STORED  # type: ignore[union-attr]
    assert locker.store.settlement(intent) is OpeningSettlement.DEPOSITED


def _customer() -> Actor:
    return Actor(ActorKind.CUSTOMER)


def _courier() -> Actor:
    return Actor(ActorKind.COURIER, "C-7")
