"""Customer pickup, state by state, on a clock moved by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from contract.codes import hash_code, qr_payload
from kiosk.flows.pickup import MalformedReason, PickupFlow, PickupScreen, PickupSettings
from kiosk.flows.ports import CompartmentState, ParcelState
from locker_driver import OpenConfirmer
from sync import cache as c
from tests.flows.conftest import LOCKER_ID, TEST_KDF, World

pytestmark = pytest.mark.integration

CODE = "12345678"


def type_code(flow, code: str):
    flow.start_code_entry()
    for digit in code:
        flow.press_digit(digit)
    return flow.submit_code()


def test_typed_code_opens_the_door_and_closing_thanks_the_customer(world: World) -> None:
    pid = world.add_parcel(CODE, "B02")
    flow = world.pickup()
    assert flow.view().screen is PickupScreen.idle
    assert flow.start_code_entry().screen is PickupScreen.code_entry
    for digit in CODE[:3]:
        flow.press_digit(digit)
    assert flow.backspace().entry == CODE[:2]
    for digit in CODE[2:]:
        flow.press_digit(digit)
    assert flow.press_digit("9").entry == CODE  # no ninth digit
    assert flow.clear_entry().entry == ""
    for digit in CODE:
        flow.press_digit(digit)

    view = flow.submit_code()
    assert view.screen is PickupScreen.door_opening
    assert view.door is not None and view.door.label == "B02"
    assert (view.door.column, view.door.row) == (1, 1)
    assert (view.door_number, view.door_count) == (1, 1)
    assert view.locker_map.columns == 3 and view.locker_map.rows == 4
    assert view.entry == ""  # the code is gone from the view once submitted

    view = world.poll(flow)
    assert view.screen is PickupScreen.door_open
    assert world.parcel_state(pid) is ParcelState.PICKED_UP
    world.close("B02")
    view = world.poll(flow)
    assert view.screen is PickupScreen.done
    assert world.event_types() == ["compartment.opened", "parcel.picked_up",
                                   "compartment.closed"]
    # The intent was in the cache before the unlock frame left.
    assert world.intents_at_unlock == [1]
    assert [str(a.kind) for a in world.audits()][1:] == [
        "door_open", "door_outcome", "pickup"]


def test_scanned_qr_payload_opens_the_door(world: World) -> None:
    world.add_parcel(CODE, "A01")
    flow = world.pickup()
    assert flow.submit_scan(qr_payload(LOCKER_ID, CODE)).screen is PickupScreen.door_opening
    assert world.bank.unlocks() == ["A01"]
    assert world.poll(flow).screen is PickupScreen.door_open


def test_several_parcels_open_one_after_another(world: World) -> None:
    first, second = world.add_parcel(CODE, "C04"), world.add_parcel(CODE, "A02")
    flow = world.pickup()
    view = flow.submit_scan(CODE)
    assert [d.label for d in view.doors] == ["A02", "C04"]
    assert (view.door.label, view.door_number, view.door_count) == ("A02", 1, 2)
    world.poll(flow)
    assert world.bank.unlocks() == ["A02"]  # one door at a time
    world.close("A02")
    view = world.poll(flow)
    assert (view.screen, view.door.label, view.door_number) == (
        PickupScreen.door_opening, "C04", 2)
    assert world.poll(flow).screen is PickupScreen.door_open
    world.close("C04")
    assert world.poll(flow).screen is PickupScreen.done
    assert {world.parcel_state(first), world.parcel_state(second)} == {ParcelState.PICKED_UP}


def test_unknown_code_is_denied_audited_and_never_stored_in_plain(world: World) -> None:
    world.add_parcel(CODE, "A01")
    flow = world.pickup(support_contact="+1 555 0100")
    view = type_code(flow, "87654321")
    assert view.screen is PickupScreen.unknown_code
    assert view.support_contact == "+1 555 0100"
    assert world.bank.unlocks() == []
    assert world.event_types() == ["code.denied"]
    assert len(world.audits("code_denied")) == 1
    code_hash = hash_code("87654321", world.salt, TEST_KDF)
    everything = world.everything_written() + repr(view)
    assert "87654321" not in everything and code_hash not in everything


@pytest.mark.parametrize(("text", "reason"), [
    ("123", MalformedReason.wrong_length),
    ("12ab5678", MalformedReason.not_digits),
    ("   ", MalformedReason.empty),
    ("XP1:only-two", MalformedReason.foreign_qr),
])
def test_malformed_codes_say_why_and_do_not_count_as_attempts(
        world: World, text: str, reason: MalformedReason) -> None:
    flow = world.pickup(free_attempts=1)
    view = flow.submit_scan(text)
    assert (view.screen, view.malformed_reason) == (PickupScreen.malformed_code, reason)
    assert world.event_types() == []
    assert flow.submit_scan(text).screen is PickupScreen.malformed_code  # not locked out


@pytest.mark.parametrize("state", [
    ParcelState.EXPIRED, ParcelState.COLLECTED, ParcelState.PICKED_UP, ParcelState.CANCELLED,
    ParcelState.EXPECTED,
])
def test_a_known_code_that_opens_nothing_is_a_wrong_code_in_every_way(
        world: World, state: ParcelState) -> None:
    """An attacker alternating guesses with their own old code must meet the lockout,
    and a hit on a code that opens nothing (yet) must look like a miss."""
    world.add_parcel(CODE, "A01" if state is not ParcelState.EXPECTED else None,
                     state=state, deadline=datetime(2026, 11, 20, 18, 0, tzinfo=UTC))
    flow = world.pickup(free_attempts=3, lockout_base_s=30)
    known = flow.submit_scan(CODE)
    wrong = flow.submit_scan("11111111")
    # The same screen, with the same parameters; only the count of tries goes down.
    assert (known.attempts_left, wrong.attempts_left) == (2, 1)
    assert replace(known, attempts_left=None) == replace(wrong, attempts_left=None)
    assert known.screen is PickupScreen.unknown_code
    data = world.event_data("code.denied")
    assert [{k: v for k, v in d.items() if k != "denied"} for d in data] == [
        {"source": "scan", "locker_named": None}] * 2
    assert [d["denied"] for d in data] == [1, 2]
    # The known code counts towards the lockout and never clears it.
    assert flow.submit_scan(CODE).screen is PickupScreen.locked_out
    assert world.bank.unlocks() == []
    assert world.event_types() == ["code.denied"] * 3 + ["code.lockout"]


def test_own_old_code_between_guesses_meets_the_lockout(world: World) -> None:
    world.add_parcel("55556666", "A01", state=ParcelState.PICKED_UP)
    flow = world.pickup(free_attempts=5, lockout_base_s=30)
    screens = []
    for guess in range(10):
        screens.append(flow.submit_scan(f"{guess:08d}").screen)
        screens.append(flow.submit_scan("55556666").screen)
    assert PickupScreen.locked_out in screens[:5]


def test_qr_of_another_locker_names_where_the_parcel_waits(world: World) -> None:
    world.other_lockers["L-STATION"] = "Central Station"
    flow = world.pickup()
    view = flow.submit_scan(qr_payload("L-STATION", CODE))
    assert view.screen is PickupScreen.wrong_locker
    assert (view.other_locker_id, view.other_locker_name) == ("L-STATION", "Central Station")
    view = flow.submit_scan(qr_payload("L-UNKNOWN", CODE))
    assert (view.other_locker_id, view.other_locker_name) == ("L-UNKNOWN", None)


def test_qr_naming_another_locker_is_not_checked_here_even_with_a_code_of_this_one(
        world: World) -> None:
    world.add_parcel(CODE, "A03")
    hashed: list[str] = []
    flow = PickupFlow(world.store, world.bank, world.clock, OpenConfirmer,
                      PickupSettings(free_attempts=2),
                      hasher=lambda code, salt: hashed.append(code) or "0" * 64)
    view = flow.submit_scan(qr_payload("L-OLD", CODE))
    assert (view.screen, view.other_locker_id) == (PickupScreen.wrong_locker, "L-OLD")
    assert hashed == [] and world.bank.unlocks() == []
    assert world.event_data("code.denied")[0]["locker_named"] == "L-OLD"
    # It counts like a wrong code: a stream of made-up QR codes meets the lockout.
    assert flow.submit_scan(qr_payload("L-OLD", CODE)).screen is PickupScreen.locked_out


def test_wrong_codes_lock_the_kiosk_out_for_growing_times(world: World) -> None:
    world.add_parcel(CODE, "A01")
    flow = world.pickup(free_attempts=3, lockout_base_s=30, lockout_factor=2)
    for _ in range(2):
        assert flow.submit_scan("11111111").screen is PickupScreen.unknown_code
    view = flow.submit_scan("11111111")
    assert (view.screen, view.lockout_remaining_s) == (PickupScreen.locked_out, 30)
    assert world.event_types().count("code.lockout") == 1
    # Even the right code waits, and the keypad is not offered.
    assert flow.submit_scan(CODE).screen is PickupScreen.locked_out
    assert flow.start_code_entry().screen is PickupScreen.locked_out
    world.clock.advance(12)
    assert flow.tick().lockout_remaining_s == 18
    world.clock.advance(8)  # the screen goes back to idle after the error timeout...
    assert flow.tick().screen is PickupScreen.idle
    view = flow.start_code_entry()  # ...and the next customer sees the wait
    assert (view.screen, view.lockout_remaining_s) == (PickupScreen.locked_out, 10)
    world.clock.advance(10)
    assert flow.tick().screen is PickupScreen.idle
    # After a lockout fewer tries are allowed, and the next lockout is longer.
    flow.submit_scan("22222222")
    view = flow.submit_scan("22222222")
    assert (view.screen, view.lockout_remaining_s) == (PickupScreen.locked_out, 60)
    assert world.event_types().count("code.denied") == 5
    assert world.event_types().count("code.lockout") == 2
    world.clock.advance(60)
    flow.tick()
    assert flow.submit_scan(CODE).screen is PickupScreen.door_opening


def test_door_that_does_not_open_offers_one_retry_then_marks_the_compartment(
        world: World) -> None:
    pid = world.add_parcel(CODE, "B03")
    world.bank.jam("B03")
    flow = world.pickup(open_confirm_timeout_s=3, support_contact="+1 555 0100")
    flow.submit_scan(CODE)
    view = world.run(flow, 3)
    assert (view.screen, view.retry_available) == (PickupScreen.door_failed, True)
    assert view.door.label == "B03"
    view = flow.retry_door()
    assert view.screen is PickupScreen.door_opening
    view = world.run(flow, 3)
    assert (view.screen, view.retry_available) == (PickupScreen.door_failed, False)
    assert view.support_contact == "+1 555 0100"
    assert flow.retry_door().screen is PickupScreen.door_failed
    assert world.bank.unlocks() == ["B03", "B03"]  # the customer's retry, nothing more
    assert world.compartment_state("B03") is CompartmentState.FAULT
    # Central hears of each jam; the compartment leaves service once.
    assert world.event_types().count("compartment.jammed") == 2
    assert world.parcel_state(pid) is ParcelState.STORED  # nobody took it
    assert world.run(flow, 20, step=5).screen is PickupScreen.idle


def test_retry_that_works_carries_on_normally(world: World) -> None:
    pid = world.add_parcel(CODE, "B03")
    world.bank.jam("B03")
    flow = world.pickup(open_confirm_timeout_s=2)
    flow.submit_scan(CODE)
    assert world.run(flow, 2).screen is PickupScreen.door_failed
    world.bank.jam("B03", False)
    flow.retry_door()
    assert world.poll(flow).screen is PickupScreen.door_open
    assert world.parcel_state(pid) is ParcelState.PICKED_UP
    assert world.compartment_state("B03") is not CompartmentState.FAULT


def test_failed_door_lets_the_customer_go_on_with_the_next_parcel(world: World) -> None:
    world.add_parcel(CODE, "A01")
    second = world.add_parcel(CODE, "A02")
    world.bank.jam("A01")
    flow = world.pickup(open_confirm_timeout_s=1, door_retry_limit=0)
    flow.submit_scan(CODE)
    view = world.run(flow, 1)
    assert (view.screen, view.retry_available, view.door_count) == (
        PickupScreen.door_failed, False, 2)
    view = flow.next_door()
    assert (view.door.label, view.door_number) == ("A02", 2)
    world.poll(flow)
    assert world.parcel_state(second) is ParcelState.PICKED_UP


def test_unknown_unlock_outcome_is_confirmed_by_the_door_never_resent(world: World) -> None:
    world.add_parcel(CODE, "A02")
    world.bank.lose_next_reply()
    flow = world.pickup()
    flow.submit_scan(CODE)
    assert world.poll(flow).screen is PickupScreen.door_open
    assert world.bank.unlocks() == ["A02"]


def test_unknown_unlock_outcome_with_a_shut_door_fails_without_resending(
        world: World) -> None:
    world.add_parcel(CODE, "A02")
    world.bank.lose_next_reply()
    world.bank.jam("A02")
    flow = world.pickup(open_confirm_timeout_s=4)
    flow.submit_scan(CODE)
    assert world.run(flow, 4).screen is PickupScreen.door_failed
    assert world.bank.unlocks() == ["A02"]


def test_door_already_open_counts_as_open(world: World) -> None:
    pid = world.add_parcel(CODE, "A02")
    world.open_by_hand("A02")
    flow = world.pickup()
    world.poll(flow)
    flow.submit_scan(CODE)
    assert world.poll(flow).screen is PickupScreen.door_open
    assert world.parcel_state(pid) is ParcelState.PICKED_UP


def test_unlock_not_sent_shows_out_of_service_until_the_board_answers(world: World) -> None:
    pid = world.add_parcel(CODE, "A02")
    world.bank.unplug()
    flow = world.pickup()
    view = flow.submit_scan(CODE)
    assert view.screen is PickupScreen.out_of_service
    assert world.parcel_state(pid) is ParcelState.STORED
    assert flow.submit_scan(CODE).screen is PickupScreen.out_of_service
    assert flow.set_board_available(True).screen is PickupScreen.idle
    assert flow.set_board_available(False).screen is PickupScreen.out_of_service


def test_door_left_open_reminds_then_raises_the_alarm(world: World) -> None:
    world.add_parcel(CODE, "C01")
    flow = world.pickup(left_open_reminder_s=30, left_open_alarm_s=90, error_timeout_s=20)
    flow.submit_scan(CODE)
    world.poll(flow)
    assert world.run(flow, 29.5, step=2.95).screen is PickupScreen.door_open
    view = world.run(flow, 0.5)
    assert (view.screen, view.left_open_alarm) == (PickupScreen.door_left_open, False)
    assert flow.cancel().screen is PickupScreen.door_left_open  # the door is still open
    view = world.run(flow, 60, step=5)
    assert (view.screen, view.left_open_alarm) == (PickupScreen.door_left_open, True)
    assert world.event_types().count("compartment.left_open") == 1
    assert flow.busy_with_door
    assert world.run(flow, 20, step=5).screen is PickupScreen.idle
    assert world.event_types().count("compartment.left_open") == 1
    assert flow.busy_with_door  # back to idle, but the door still stands open
    world.close("C01")
    world.poll(flow)
    assert not flow.busy_with_door


def test_closing_after_the_reminder_finishes_normally(world: World) -> None:
    world.add_parcel(CODE, "C01")
    flow = world.pickup(left_open_reminder_s=30)
    flow.submit_scan(CODE)
    assert world.poll(flow).screen is PickupScreen.door_open
    assert world.run(flow, 31, step=3.1).screen is PickupScreen.door_left_open
    world.close("C01")
    assert world.poll(flow).screen is PickupScreen.done
    assert "compartment.left_open" not in world.event_types()


def test_reopen_is_offered_for_a_while_after_closing(world: World) -> None:
    world.add_parcel(CODE, "A04")
    flow = world.pickup(reopen_window_s=15, done_timeout_s=15, reopen_limit=1)
    flow.submit_scan(CODE)
    world.poll(flow)
    world.close("A04")
    view = world.poll(flow)
    assert (view.screen, view.reopen_remaining_s) == (PickupScreen.done, 15)
    world.clock.advance(5)
    assert flow.tick().reopen_remaining_s == 10
    assert flow.reopen().screen is PickupScreen.door_opening
    assert world.poll(flow).screen is PickupScreen.door_open
    world.close("A04")
    view = world.poll(flow)
    assert view.screen is PickupScreen.done
    assert view.reopen_remaining_s is None  # reopen limit reached
    assert flow.reopen().screen is PickupScreen.done
    assert world.bank.unlocks() == ["A04", "A04"]
    assert world.event_types().count("parcel.picked_up") == 1
    assert world.open_reasons() == ["pickup", "pickup_reopen"]


def test_reopen_window_ends(world: World) -> None:
    world.add_parcel(CODE, "A04")
    flow = world.pickup(reopen_window_s=5, done_timeout_s=15)
    flow.submit_scan(CODE)
    world.poll(flow)
    world.close("A04")
    world.poll(flow)
    view = world.run(flow, 5, step=1)
    assert (view.screen, view.reopen_remaining_s) == (PickupScreen.done, None)
    assert flow.reopen().screen is PickupScreen.done
    assert world.run(flow, 10, step=5).screen is PickupScreen.idle


def test_keypad_times_out_to_idle_with_a_countdown_and_forgets_the_digits(
        world: World) -> None:
    flow = world.pickup(code_entry_timeout_s=30)
    flow.start_code_entry()
    flow.press_digit("4")
    world.clock.advance(19)
    assert flow.tick().timeout_remaining_s is None
    world.clock.advance(1)
    view = flow.tick()
    assert (view.screen, view.timeout_remaining_s, view.entry) == (
        PickupScreen.code_entry, 10, "4")
    flow.press_digit("2")  # a touch restarts the countdown
    assert flow.view().timeout_remaining_s is None
    world.clock.advance(30)
    view = flow.tick()
    assert (view.screen, view.entry) == (PickupScreen.idle, "")
    assert flow.start_code_entry().entry == ""


@pytest.mark.parametrize("error", ["unknown", "malformed"])
def test_error_screens_time_out_to_idle(world: World, error: str) -> None:
    flow = world.pickup(error_timeout_s=20)
    view = flow.submit_scan("99999999" if error == "unknown" else "1")
    assert view.screen.is_error
    world.clock.advance(19.5)
    assert flow.tick().timeout_remaining_s == 1
    world.clock.advance(0.5)
    assert flow.tick().screen is PickupScreen.idle


def test_cancel_returns_to_idle_from_code_entry_and_errors(world: World) -> None:
    flow = world.pickup()
    flow.start_code_entry()
    flow.press_digit("1")
    assert flow.cancel().screen is PickupScreen.idle
    flow.submit_scan("1")
    assert flow.cancel().screen is PickupScreen.idle


def test_a_door_in_use_ignores_new_codes(world: World) -> None:
    world.add_parcel(CODE, "A01")
    other = world.add_parcel("55555555", "A02")
    flow = world.pickup()
    flow.submit_scan(CODE)
    world.poll(flow)
    assert flow.submit_scan("55555555").screen is PickupScreen.door_open
    assert world.parcel_state(other) is ParcelState.STORED


def test_offline_flag_reaches_the_view(world: World) -> None:
    flow = world.pickup()
    assert flow.set_offline(True).offline
    assert not flow.set_offline(False).offline


def test_poll_interval_is_faster_while_a_door_is_in_use(world: World) -> None:
    world.add_parcel(CODE, "A01")
    flow = world.pickup(poll_interval_s=0.2, idle_poll_interval_s=1.0)
    assert flow.poll_interval_s() == 1.0
    flow.submit_scan(CODE)
    assert flow.poll_interval_s() == 0.2
    assert world.bank.is_open("A01")


def test_before_the_first_sync_codes_cannot_be_checked(world: World) -> None:
    with world.cache.write() as s:
        s.get(c.models.SyncState, 1).code_salt = None
    flow = world.pickup()
    assert flow.submit_scan(CODE).screen is PickupScreen.out_of_service
    assert world.event_types() == []  # not a wrong code


def test_the_same_qr_read_again_after_closing_keeps_the_thank_you(world: World) -> None:
    world.add_parcel(CODE, "A02")
    other = world.add_parcel("55555555", "B02")
    flow = world.pickup()
    payload = qr_payload(LOCKER_ID, CODE)
    flow.submit_scan(payload)
    world.poll(flow)
    world.close("A02")
    assert world.poll(flow).screen is PickupScreen.done
    view = flow.submit_scan(payload)  # the phone is still in front of the camera
    assert (view.screen, view.reopen_remaining_s) == (PickupScreen.done, 15)
    assert flow.submit_scan("garbage").screen is PickupScreen.done
    # The next customer is served at once.
    assert flow.submit_scan("55555555").screen is PickupScreen.door_opening
    world.poll(flow)
    assert world.parcel_state(other) is ParcelState.PICKED_UP


def test_a_pickup_the_cache_refuses_still_serves_the_customer(world: World) -> None:
    pid = world.add_parcel(CODE, "A02")
    flow = world.pickup()
    flow.submit_scan(CODE)
    with world.cache.write() as s:  # taken back meanwhile, as far as the cache knows
        s.get(c.Parcel, pid).state = c.ParcelState.COLLECTED
    assert world.poll(flow).screen is PickupScreen.door_open
    assert any("pickup not recorded" in a.detail for a in world.audits("alarm"))
    world.close("A02")
    assert world.poll(flow).screen is PickupScreen.done


# -- fairness and problems at the door -------------------------------------------------

def test_a_wrong_typed_code_says_what_is_left_and_try_again_keeps_the_digits(
        world: World) -> None:
    world.add_parcel(CODE, "A01")
    flow = world.pickup(free_attempts=3, lockout_base_s=30)
    view = type_code(flow, "12345679")  # one digit wrong
    assert (view.screen, view.attempts_left, view.retry_entry) == (
        PickupScreen.unknown_code, 2, True)
    view = flow.retry_entry()
    assert (view.screen, view.entry) == (PickupScreen.code_entry, "12345679")
    flow.backspace()
    flow.press_digit("8")
    assert flow.submit_code().screen is PickupScreen.door_opening


def test_typed_digits_are_forgotten_when_the_error_times_out_or_a_scan_comes(
        world: World) -> None:
    flow = world.pickup(free_attempts=5)
    type_code(flow, "11112222")
    world.clock.advance(flow.settings.error_timeout_s)
    assert flow.tick().screen is PickupScreen.idle
    assert flow.retry_entry().screen is PickupScreen.idle  # nothing to bring back
    type_code(flow, "11112222")
    view = flow.submit_scan("33334444")  # the next code from the camera
    assert (view.screen, view.retry_entry, view.attempts_left) == (
        PickupScreen.unknown_code, False, 2)
    assert flow.retry_entry().screen is PickupScreen.unknown_code
    assert "11112222" not in world.everything_written()


def test_the_last_wrong_code_before_a_pause_says_so_and_the_pause_counts_down(
        world: World) -> None:
    flow = world.pickup(free_attempts=2, lockout_base_s=30)
    assert type_code(flow, "11111111").attempts_left == 1
    view = flow.retry_entry()
    view = flow.submit_code()
    assert (view.screen, view.lockout_remaining_s) == (PickupScreen.locked_out, 30)
    assert flow.retry_entry().screen is PickupScreen.locked_out
    world.clock.advance(10)
    assert flow.tick().lockout_remaining_s == 20


@pytest.mark.parametrize(("problem", "event"), [
    ("door_didnt_open", "compartment.reported_not_open"),
    ("parcel_missing", "parcel.reported_missing"),
    ("parcel_damaged", "parcel.reported_damaged"),
])
def test_a_problem_reported_at_the_door_is_one_event_and_says_what_next(
        world: World, problem: str, event: str) -> None:
    pid = world.add_parcel(CODE, "B02")
    flow = world.pickup()
    type_code(flow, CODE)
    assert world.poll(flow).screen is PickupScreen.door_open
    view = flow.report_problem(problem)
    assert (view.screen, str(view.problem)) == (PickupScreen.problem_reported, problem)
    assert len(view.problem_reference) == 6
    assert flow.report_problem(problem).screen is PickupScreen.problem_reported  # once
    assert world.event_types().count(event) == 1
    (sent,) = [e for e in world.events() if e.type == event]
    assert (sent.compartment_id, sent.parcel_id) == ("B02", pid)
    data = world.event_data(event)[0]
    assert data["reference"] == view.problem_reference and data["parcels"] == [pid]
    # The door still has to close; the screen stays until it has, then times out home.
    assert flow.cancel().screen is PickupScreen.problem_reported
    world.run(flow, 120, step=30)
    world.close("B02")
    assert world.poll(flow).screen is PickupScreen.problem_reported
    assert "compartment.closed" in world.event_types()
    world.clock.advance(flow.settings.error_timeout_s)
    assert flow.tick().screen is PickupScreen.idle
