"""Courier visits: login, deposit with fallbacks, collection, occupancy check."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.flows.courier_view import CollectStatus, CourierScreen, DepositRefusal
from kiosk.flows.ports import CompartmentState, ParcelState
from sync import cache as c
from tests.flows.conftest import World, courier_flow

pytestmark = pytest.mark.integration

PIN = "4711"
BADGE = "XPC-BADGE-7f3a9c"


@pytest.fixture
def courier(world: World):
    world.add_courier("C1", pin=PIN, badge=BADGE)
    flow = courier_flow(world)
    assert flow.login_pin("C1", PIN).screen is CourierScreen.menu
    world.poll(flow)
    return flow


def deposit(world: World, flow, barcode: str):
    view = flow.scan_parcel(barcode)
    assert view.screen is CourierScreen.deposit_opening, view
    cid = view.door.label
    assert world.poll(flow).screen is CourierScreen.deposit_open
    world.close(cid)
    return cid, world.poll(flow)


# -- login ---------------------------------------------------------------------------

def test_badge_login_opens_the_menu_and_is_recorded(world: World) -> None:
    world.add_courier("C1", pin=PIN, badge=BADGE)
    flow = courier_flow(world)
    view = flow.login_badge(BADGE + "\n")
    assert (view.screen, view.courier_id, view.courier_name) == (
        CourierScreen.menu, "C1", "Courier C1")
    assert world.event_types() == ["courier.login"]
    assert len(world.audits("login")) == 1


def test_wrong_pins_count_down_then_lock_out_that_id(world: World) -> None:
    world.add_courier("C1", pin=PIN)
    world.add_courier("C2", pin="2222")
    flow = courier_flow(world, free_attempts=3, lockout_base_s=60)
    view = flow.login_pin("C1", "0000")
    assert (view.screen, view.attempts_left) == (CourierScreen.login_failed, 2)
    assert flow.login_pin("NOBODY", PIN).attempts_left == 2  # its own count
    assert flow.login_pin("C1", "9999").attempts_left == 1
    view = flow.login_pin("C1", "1234")
    assert (view.screen, view.lockout_remaining_s) == (CourierScreen.locked_out, 60)
    assert flow.login_pin("C1", PIN).screen is CourierScreen.locked_out  # even the right one
    assert world.event_types() == ["courier.login_failed"] * 4 + ["security.alarm"]
    assert world.event_data("security.alarm")[0]["subject"] == "courier_login"
    assert len(world.audits("login_failed")) == 4
    assert "0000" not in world.everything_written()
    # Another courier is not locked out by C1's lockout...
    other = courier_flow(world, free_attempts=3, lockout_base_s=60, limiter=flow._limiter)
    assert other.login_pin("C2", "2222").screen is CourierScreen.menu
    world.clock.advance(60)
    assert flow.tick().screen is CourierScreen.login
    assert flow.login_pin("C1", PIN).screen is CourierScreen.menu


def test_own_badge_between_guesses_buys_no_attempts_at_a_colleagues_pin(
        world: World) -> None:
    """Guessing C2's PIN, logging in with one's own badge after every few guesses."""
    world.add_courier("C1", pin=PIN, badge=BADGE)
    world.add_courier("C2", pin="2468")
    limiter = courier_flow(world, free_attempts=5)._limiter
    guesses = 0
    for n in range(40):
        flow = courier_flow(world, free_attempts=5, limiter=limiter)
        view = flow.login_pin("C2", f"{n:04d}")
        if view.screen is CourierScreen.locked_out:
            break
        guesses += 1
        mine = courier_flow(world, free_attempts=5, limiter=limiter)
        assert mine.login_badge(BADGE).screen is CourierScreen.menu
    assert guesses == 4  # the fifth wrong PIN for C2 locks C2 out, badge or no badge


@pytest.mark.parametrize("pin", ["1", "x", "123", "1234567890123", "12a4"])
def test_a_pin_outside_4_to_12_digits_never_logs_in(world: World, pin: str) -> None:
    """Even when the central service sent the hash of exactly that PIN."""
    world.add_courier("C7", pin=pin)
    flow = courier_flow(world)
    assert flow.login_pin("C7", pin).screen is CourierScreen.login_failed


def test_inactive_courier_and_unknown_badge_are_refused(world: World) -> None:
    world.add_courier("C9", pin=PIN, badge=BADGE, active=False)
    flow = courier_flow(world)
    assert flow.login_badge(BADGE).screen is CourierScreen.login_failed
    assert flow.login_badge("some other badge").screen is CourierScreen.login_failed
    assert world.event_data("courier.login_failed")[0]["why"] == "inactive"


def test_untouched_login_screen_returns_to_the_customer_screens(world: World) -> None:
    flow = courier_flow(world, login_timeout_s=30)
    world.clock.advance(20)
    assert flow.tick().timeout_remaining_s == 10
    assert flow.touch().timeout_remaining_s is None
    world.clock.advance(30)
    assert flow.tick().screen is CourierScreen.logged_out


def test_inactivity_ends_the_session_but_never_with_a_door_open(world: World, courier
                                                                ) -> None:
    world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-1")
    courier.start_deposit()
    courier.scan_parcel("PKG-1")
    world.poll(courier)
    view = world.run(courier, 300, step=30)
    assert view.screen is CourierScreen.deposit_open
    assert view.timeout_remaining_s is None
    world.close(view.door.label)
    world.poll(courier)
    assert world.run(courier, 110, step=11).timeout_remaining_s == 10
    assert world.run(courier, 10, step=5).screen is CourierScreen.logged_out


# -- deposit -------------------------------------------------------------------------

def test_deposit_opens_a_free_compartment_of_the_size_and_stores_on_close(
        world: World, courier) -> None:
    pid = world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-1", size="M")
    assert courier.start_deposit().screen is CourierScreen.deposit_scan
    cid, view = deposit(world, courier, "PKG-1")
    assert cid == "A02"  # the first M in fill order
    assert view.screen is CourierScreen.deposit_scan
    assert world.parcel_state(pid) is ParcelState.STORED
    assert world.compartment_state("A02") is CompartmentState.OCCUPIED
    assert [(t.parcel_id, t.barcode, t.door.label) for t in view.tally] == [
        (pid, "PKG-1", "A02")]
    assert view.last_deposit == view.tally[0]
    assert world.event_types()[-3:] == ["compartment.opened", "compartment.closed",
                                        "parcel.deposited"]
    assert world.events()[-1].actor_id == "C1"


def test_ordinary_parcels_leave_accessible_compartments_free(world: World, courier
                                                            ) -> None:
    world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-1")
    world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-2")
    courier.start_deposit()
    assert deposit(world, courier, "PKG-1")[0] == "A02"
    # A03 is the next M in fill order but within seated reach: B02 comes first.
    assert deposit(world, courier, "PKG-2")[0] == "B02"


def test_labels_that_cannot_be_deposited_are_refused_with_the_reason(
        world: World, courier) -> None:
    world.add_parcel(None, "A02", state=ParcelState.STORED, barcode="PKG-IN")
    world.add_parcel(None, None, state=ParcelState.CANCELLED, barcode="PKG-X")
    courier.start_deposit()
    view = courier.scan_parcel("NOT-ANNOUNCED")
    assert (view.screen, view.refusal) == (CourierScreen.deposit_refused,
                                           DepositRefusal.unknown_parcel)
    assert courier.scan_parcel("PKG-IN").refusal is DepositRefusal.already_stored
    view = courier.scan_parcel("PKG-X")
    assert (view.refusal, view.parcel_state) == (DepositRefusal.not_expected, "cancelled")
    assert world.bank.unlocks() == []


def test_a_full_size_offers_a_larger_one_as_a_choice(world: World, courier) -> None:
    for cid in ("A02", "A03", "B02", "B03", "C02", "C03"):
        world.set_compartment(cid, CompartmentState.OCCUPIED)
    pid = world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-1", size="M")
    world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-2", size="M")
    courier.start_deposit()
    view = courier.scan_parcel("PKG-1")
    assert (view.screen, view.parcel_size, view.compartment_size, view.door.label) == (
        CourierScreen.deposit_fallback, "M", "L", "A04")
    assert world.bank.unlocks() == []  # nothing opens before the courier says yes
    assert courier.back_to_menu().screen is CourierScreen.deposit_fallback
    view = courier.accept_larger()
    assert (view.screen, view.door.label) == (CourierScreen.deposit_opening, "A04")
    world.poll(courier)
    world.close("A04")
    assert world.poll(courier).screen is CourierScreen.deposit_scan
    assert world.cache.parcel(pid).compartment_id == "A04"
    # No: the parcel stays expected and the courier keeps it.
    assert courier.scan_parcel("PKG-2").screen is CourierScreen.deposit_fallback
    assert courier.cancel_deposit().screen is CourierScreen.deposit_scan
    assert world.event_data("parcel.deposit_failed")[-1]["reason"] == "cancelled by courier"
    assert world.bank.unlocks() == ["A04"]


def test_a_parcel_flagged_accessible_goes_behind_a_low_door(world: World, courier) -> None:
    pid = world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-A",
                           size="M", accessible=True)
    world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-B", size="M")
    courier.start_deposit()
    assert deposit(world, courier, "PKG-B")[0] == "A02"  # high door for the other
    assert deposit(world, courier, "PKG-A")[0] == "A03"  # row 3: within seated reach
    assert world.cache.parcel(pid).compartment_id == "A03"
    # With every low M taken, the flagged parcel still goes in (a high door).
    for cid in ("B03", "C03"):
        world.set_compartment(cid, CompartmentState.OCCUPIED)
    world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-C", size="M",
                     accessible=True)
    assert deposit(world, courier, "PKG-C")[0] == "B02"


def test_the_menu_says_what_waits(world: World, courier) -> None:
    world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-1", size="S")
    world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-2")
    world.add_parcel(None, "C04", state=ParcelState.EXPIRED)
    world.set_compartment("B01", CompartmentState.FAULT)
    view = courier.back_to_menu()
    assert view.screen is CourierScreen.menu
    assert (view.waiting.expected, view.waiting.to_collect) == (2, 1)
    assert view.waiting.free_by_size == (("S", 2), ("M", 6), ("L", 2))
    courier.start_deposit()
    deposit(world, courier, "PKG-1")
    waiting = courier.back_to_menu().waiting
    assert (waiting.expected, waiting.free_by_size[0]) == (1, ("S", 1))


def test_a_typed_label_gets_the_same_checks_as_a_scan(world: World, courier) -> None:
    world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-1")
    courier.start_deposit()
    view = courier.read_label("NOT-ANNOUNCED")
    assert view.refusal is DepositRefusal.unknown_parcel
    view = courier.read_label("  PKG-1 ")
    assert view.screen is CourierScreen.deposit_opening
    assert world.bank.unlocks() == [view.door.label]


def test_doesnt_fit_opens_a_larger_compartment_and_frees_the_first(world: World, courier
                                                                  ) -> None:
    pid = world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-1", size="S")
    courier.start_deposit()
    view = courier.scan_parcel("PKG-1")
    assert (view.door.label, view.compartment_size) == ("A01", "S")
    world.poll(courier)
    view = courier.doesnt_fit()
    assert (view.screen, view.door.label, view.compartment_size) == (
        CourierScreen.deposit_opening, "A02", "M")
    world.poll(courier)
    world.close("A01")
    world.close("A02")
    view = world.poll(courier)
    assert view.tally[-1].door.label == "A02"
    assert world.compartment_state("A01") is CompartmentState.FREE
    assert world.cache.parcel(pid).compartment_id == "A02"
    # The first door's close was still recorded.
    closed = [e.compartment_id for e in world.events() if e.type == "compartment.closed"]
    assert sorted(closed) == ["A01", "A02"]


def test_door_that_did_not_open_is_marked_fault_and_another_opens(world: World, courier
                                                                  ) -> None:
    world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-1")
    world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-2")
    courier.start_deposit()
    # The sensor never shows open: the flow gives up on its own.
    world.bank.jam("A02")
    courier.scan_parcel("PKG-1")
    view = world.run(courier, courier.settings.open_confirm_timeout_s)
    assert (view.screen, view.door.label) == (CourierScreen.deposit_opening, "B02")
    assert world.compartment_state("A02") is CompartmentState.FAULT
    world.poll(courier)
    world.close("B02")
    world.poll(courier)
    # The courier reports a door that the sensor believes open.
    view = courier.scan_parcel("PKG-2")
    world.poll(courier)
    view = courier.door_didnt_open()
    assert view.screen is CourierScreen.deposit_opening
    assert [f.label for f in view.faults] == ["A02", "C02"]
    assert world.compartment_state("C02") is CompartmentState.FAULT
    assert world.event_types().count("compartment.jammed") == 2


def test_no_free_compartment_is_refused_and_reported(world: World, courier) -> None:
    for cid in world.ids:
        if cid[1:] in ("04",):
            world.set_compartment(cid, CompartmentState.OUT_OF_SERVICE)
    pid = world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="BIG", size="L")
    courier.start_deposit()
    view = courier.scan_parcel("BIG")
    assert (view.screen, view.refusal) == (CourierScreen.no_compartment,
                                           DepositRefusal.no_compartment)
    assert world.event_data("parcel.deposit_failed")[0]["reason"] == "no free compartment"
    assert world.parcel_state(pid) is ParcelState.EXPECTED
    assert courier.cancel_deposit().screen is CourierScreen.deposit_scan


def test_unlock_not_sent_shows_out_of_service(world: World, courier) -> None:
    world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-1")
    world.bank.unplug()
    courier.start_deposit()
    assert courier.scan_parcel("PKG-1").screen is CourierScreen.out_of_service
    assert courier.set_board_available(True).screen is CourierScreen.menu


# -- collection ----------------------------------------------------------------------

def test_collection_opens_doors_one_after_another_with_confirmation(world: World, courier
                                                                    ) -> None:
    deadline = datetime(2026, 11, 20, tzinfo=UTC)
    p1 = world.add_parcel(None, "A02", state=ParcelState.EXPIRED, deadline=deadline)
    p2 = world.add_parcel(None, "A02", state=ParcelState.EXPIRED, deadline=deadline)
    p3 = world.add_parcel(None, "C04", state=ParcelState.CANCELLED)
    view = courier.start_collect()
    assert view.screen is CourierScreen.collect_list
    assert [(i.door.label, len(i.parcel_ids)) for i in view.collect] == [("A02", 2),
                                                                           ("C04", 1)]
    view = courier.collect_begin()
    assert (view.screen, view.door.label) == (CourierScreen.collect_opening, "A02")
    assert world.poll(courier).screen is CourierScreen.collect_open
    courier.confirm_removed()
    world.close("A02")
    view = world.poll(courier)
    assert (view.screen, view.door.label) == (CourierScreen.collect_opening, "C04")
    world.poll(courier)
    world.close("C04")  # closed before confirming
    view = world.poll(courier)
    assert (view.screen, view.door.label) == (CourierScreen.collect_confirm, "C04")
    view = courier.confirm_removed()
    assert (view.screen, view.collected_count) == (CourierScreen.collect_done, 2)
    assert {world.parcel_state(p) for p in (p1, p2, p3)} == {ParcelState.COLLECTED}
    assert world.compartment_state("A02") is CompartmentState.FREE
    assert world.event_types().count("parcel.collected") == 3


def test_collection_skips_and_jammed_doors_are_reported_per_item(world: World, courier
                                                                 ) -> None:
    p1 = world.add_parcel(None, "A01", state=ParcelState.EXPIRED)
    world.add_parcel(None, "B01", state=ParcelState.CANCELLED)
    world.add_parcel(None, "C01", state=ParcelState.EXPIRED)
    world.bank.jam("B01")
    courier.start_collect()
    courier.collect_begin()
    world.poll(courier)
    view = courier.not_removed()
    assert view.door.label == "B01"
    view = world.run(courier, courier.settings.open_confirm_timeout_s)
    assert view.door.label == "C01"
    world.poll(courier)
    courier.confirm_removed()
    world.close("C01")
    view = world.poll(courier)
    assert view.screen is CourierScreen.collect_done
    assert [i.status for i in view.collect] == [
        CollectStatus.skipped, CollectStatus.door_failed, CollectStatus.collected]
    assert world.parcel_state(p1) is ParcelState.EXPIRED
    assert world.compartment_state("B01") is CompartmentState.FAULT


def test_nothing_to_collect(world: World, courier) -> None:
    view = courier.start_collect()
    assert (view.screen, view.collect) == (CourierScreen.collect_done, ())


def test_a_label_on_the_collection_list_opens_that_door_alone(world: World, courier
                                                             ) -> None:
    world.add_parcel(None, "A01", state=ParcelState.EXPIRED, barcode="OLD-1")
    p2 = world.add_parcel(None, "C04", state=ParcelState.CANCELLED, barcode="OLD-2")
    world.add_parcel(None, "B02", state=ParcelState.STORED, barcode="KEEP")
    courier.start_collect()
    view = courier.read_label("KEEP")  # stored for a customer: not to collect
    assert (view.screen, view.label_refused) == (CourierScreen.collect_list, "KEEP")
    assert world.bank.unlocks() == []
    view = courier.read_label("OLD-2")
    assert (view.screen, view.door.label, view.label_refused) == (
        CourierScreen.collect_opening, "C04", None)
    world.poll(courier)
    courier.confirm_removed()
    world.close("C04")
    view = world.poll(courier)
    assert view.screen is CourierScreen.collect_list
    assert [i.status for i in view.collect] == [CollectStatus.pending,
                                                CollectStatus.collected]
    assert world.parcel_state(p2) is ParcelState.COLLECTED
    assert world.bank.unlocks() == ["C04"]


# -- occupancy -----------------------------------------------------------------------

@pytest.mark.parametrize("world", ["cu16"], indirect=True)
def test_occupancy_sensors_that_disagree_with_the_cache_are_flagged(world: World, courier
                                                                    ) -> None:
    world.add_parcel(None, "A02", state=ParcelState.STORED)
    world.bank.set_occupied("B03", True)  # something left behind in a free compartment
    world.poll(courier)
    view = courier.check_compartments()
    assert view.screen is CourierScreen.check_result and view.occupancy_supported
    assert sorted((m.door.label, m.expected_occupied, m.reads_occupied)
                  for m in view.mismatches) == [("A02", True, False), ("B03", False, True)]
    assert len(world.audits("alarm")) == 2


@pytest.mark.parametrize("world", ["cu16"], indirect=True)
def test_a_deposit_that_reads_empty_afterwards_is_flagged(world: World, courier) -> None:
    world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-1")
    world.poll(courier)
    courier.start_deposit()
    cid, view = deposit(world, courier, "PKG-1")
    assert [m.door.label for m in view.mismatches] == [cid]


def test_before_the_first_sync_couriers_cannot_log_in(world: World) -> None:
    world.add_courier("C1", pin=PIN)
    with world.cache.write() as s:
        s.get(c.models.SyncState, 1).code_salt = None
    flow = courier_flow(world)
    assert flow.login_pin("C1", PIN).screen is CourierScreen.not_ready
    assert world.event_types() == []
    world.clock.advance(flow.settings.login_timeout_s + 1)  # no dead end: it times out
    assert flow.tick().screen is CourierScreen.logged_out


def test_board_lost_mid_deposit_leaves_the_parcel_expected(world: World, courier) -> None:
    pid = world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-1")
    courier.start_deposit()
    courier.scan_parcel("PKG-1")
    world.bank.power(False)
    view = courier.set_board_available(False)
    assert view.screen is CourierScreen.out_of_service
    courier.tick()
    world.bank.power(True)
    assert courier.set_board_available(True).screen is CourierScreen.menu
    world.poll(courier)
    assert world.parcel_state(pid) is ParcelState.EXPECTED


def test_a_parcel_cancelled_while_loading_keeps_its_compartment_out_of_use(
        world: World, courier) -> None:
    pid = world.add_parcel(None, None, state=ParcelState.EXPECTED, barcode="PKG-1")
    courier.start_deposit()
    view = courier.scan_parcel("PKG-1")
    world.poll(courier)
    with world.cache.write() as s:
        s.get(c.Parcel, pid).state = c.ParcelState.CANCELLED
    world.close(view.door.label)
    view = world.poll(courier)
    assert (view.screen, view.refusal) == (CourierScreen.deposit_refused,
                                           DepositRefusal.not_expected)
    assert world.compartment_state("A02") is CompartmentState.OUT_OF_SERVICE
    assert view.tally == ()
