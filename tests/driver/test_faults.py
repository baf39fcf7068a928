"""Every fault knob of the simulated board, injected on the wire (`locksim://`), and
what the bank must make of it: UNKNOWN rather than a guess, an unlock never re-sent,
and a bus that recovers by itself."""

from __future__ import annotations

import threading
import time

import pytest

from locker_driver import DoorState, FrameDirection, PortUnavailable, Timeouts, UnlockResult
from locker_driver.bus import Priority
from locker_driver.protocols import PROTOCOLS
from locker_driver.sim import FaultKind

from .conftest import BankFactory

pytestmark = pytest.mark.unit



def first_two(sim) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    a, b = sorted(sim.boards)[:2]
    return a, b


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_no_reply_makes_that_board_unknown_once(make_bank: BankFactory, protocol: str) -> None:
    sim, bank = make_bank(protocol, 2)
    a, b = first_two(sim)
    sim.faults.inject(FaultKind.NO_REPLY, board=a)
    readings = bank.read_states()
    assert {readings[f"B{a}-L01"].door, readings[f"B{a}-L01"].occupied} == {DoorState.UNKNOWN, None}
    assert readings[f"B{b}-L01"].door is DoorState.CLOSED
    assert bank.read_states()[f"B{a}-L01"].door is DoorState.CLOSED  # recovered
    assert bank.stats()[a].timeouts == 1


def test_lost_unlock_reply_is_outcome_unknown_and_never_resent(make_bank: BankFactory) -> None:
    sim, bank = make_bank("8a", 1)
    sim.faults.inject(FaultKind.NO_REPLY)
    report = bank.unlock_report("B1-L04")
    assert report.result is UnlockResult.OUTCOME_UNKNOWN
    assert "no reply" in str(report.error)
    assert sim.unlock_frames == [(1, 4)]  # exactly one frame went out...
    assert bank.read_states(["B1-L04"])["B1-L04"].door is DoorState.OPEN  # ...and it fired


def test_board_without_power_neither_fires_nor_answers(make_bank: BankFactory) -> None:
    sim, bank = make_bank("8a", 2)
    sim.power(2, False)
    assert bank.unlock("B2-L01") is UnlockResult.OUTCOME_UNKNOWN
    assert sim.fired_count(2, 1) == 0
    readings = bank.read_states()
    assert readings["B2-L01"].door is DoorState.UNKNOWN
    assert readings["B1-L01"].door is DoorState.CLOSED
    sim.power(2, True)
    assert bank.read_states()["B2-L01"].door is DoorState.CLOSED
    assert sim.unlock_frames == []  # the frame reached a dead board: nothing fired


def test_cu16_unlock_without_acknowledgement_is_still_sent(make_bank: BankFactory) -> None:
    # The CU16 spec gives no reply to 0x31; some firmware sends one. Silence is fine.
    sim, bank = make_bank("cu16", 1)
    sim.faults.inject(FaultKind.NO_REPLY)
    assert bank.unlock("B0-L09") is UnlockResult.SENT
    assert bank.stats()[0].timeouts == 0
    assert bank.read_states(["B0-L09"])["B0-L09"].door is DoorState.OPEN


def test_cu48_unlock_is_never_answered(make_bank: BankFactory) -> None:
    sim, bank = make_bank("cu48", 1)
    report = bank.unlock_report("B0-L48")
    assert (report.result, report.door) == (UnlockResult.SENT, None)
    assert bank.read_states(["B0-L48"])["B0-L48"].door is DoorState.OPEN


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_late_reply_is_never_taken_as_the_next_answer(
    make_bank: BankFactory, protocol: str
) -> None:
    sim, bank = make_bank(protocol, 1, late_reply_s=0.04)
    board = next(iter(sim.boards))
    cid = f"B{board}-L02"
    sim.faults.inject(FaultKind.LATE_REPLY)
    first = bank.read_states([cid])[cid].door  # the late reply says "closed"
    assert first in (DoorState.UNKNOWN, DoorState.CLOSED)
    sim.force_open(board, 2)
    # Whatever became of the late "closed" frame, the next answer is the fresh one.
    for _ in range(3):
        assert bank.read_states([cid])[cid].door is DoorState.OPEN


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_split_reply_is_reassembled(make_bank: BankFactory, protocol: str) -> None:
    sim, bank = make_bank(protocol, 1)
    board = next(iter(sim.boards))
    sim.force_open(board, 3)
    sim.faults.inject(FaultKind.SPLIT_REPLY, count=5)
    for _ in range(5):
        readings = bank.read_states()
        assert readings[f"B{board}-L03"].door is DoorState.OPEN
        assert readings[f"B{board}-L01"].door is DoorState.CLOSED
    assert bank.stats()[board].errors == 0


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_corrupt_checksum_is_retried_once_then_unknown(
    make_bank: BankFactory, protocol: str
) -> None:
    sim, bank = make_bank(protocol, 1)
    board = next(iter(sim.boards))
    cid = f"B{board}-L01"
    sim.faults.inject(FaultKind.CORRUPT_CHECKSUM)
    assert bank.read_states([cid])[cid].door is DoorState.CLOSED  # the retry got through
    sim.faults.inject(FaultKind.CORRUPT_CHECKSUM, count=2)
    assert bank.read_states([cid])[cid].door is DoorState.UNKNOWN
    stats = bank.stats()[board]
    assert stats.frame_errors == 3
    assert "check the baud rate" in (stats.last_error or "")
    assert bank.read_states([cid])[cid].door is DoorState.CLOSED


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_reply_from_the_wrong_address_is_not_used(make_bank: BankFactory, protocol: str) -> None:
    sim, bank = make_bank(protocol, 1)
    board = next(iter(sim.boards))
    cid = f"B{board}-L01"
    sim.faults.inject(FaultKind.WRONG_ADDRESS)
    assert bank.read_states([cid])[cid].door is DoorState.UNKNOWN
    stats = bank.stats()[board]
    assert stats.wrong_address == 1
    assert "share a DIP-switch address" in (stats.last_error or "")
    assert any("not for this request" in r.note for r in bank.frame_log())


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_local_echo_is_skipped(make_bank: BankFactory, protocol: str) -> None:
    sim, bank = make_bank(protocol, 1)
    board = next(iter(sim.boards))
    sim.force_open(board, 2)
    sim.faults.set_rate(FaultKind.ECHO, 1.0)
    readings = bank.read_states()
    assert readings[f"B{board}-L02"].door is DoorState.OPEN
    assert readings[f"B{board}-L01"].door is DoorState.CLOSED
    assert [r.note for r in bank.frame_log()].count("echo") == 1
    # 8A answers an unlock with the very bytes of the request: once the adapter is
    # known to echo, the first copy is the echo and the second the board's answer.
    assert bank.unlock(f"B{board}-L05") is UnlockResult.SENT
    assert sim.fired_count(board, 5) == 1
    assert bank.read_states()[f"B{board}-L05"].door is DoorState.OPEN
    assert all(s.errors == 0 for s in bank.stats().values())


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_garbage_before_the_reply_is_skipped(make_bank: BankFactory, protocol: str) -> None:
    sim, bank = make_bank(protocol, 1)
    board = next(iter(sim.boards))
    sim.force_open(board, 4)
    sim.faults.inject(FaultKind.GARBAGE, count=10)
    for _ in range(10):
        door = bank.read_states()[f"B{board}-L04"].door
        # Noise that happens to look like a frame start can cost a read (UNKNOWN), but
        # never produces a wrong state.
        assert door in (DoorState.OPEN, DoorState.UNKNOWN)
    assert bank.read_states()[f"B{board}-L04"].door is DoorState.OPEN


def test_usb_unplug_gives_typed_errors_then_reconnects(make_bank: BankFactory) -> None:
    sim, bank = make_bank("cu16", 1)
    assert bank.read_states()["B0-L01"].door is DoorState.CLOSED
    sim.unplug()
    assert bank.read_states()["B0-L01"].door is DoorState.UNKNOWN
    report = bank.unlock_report("B0-L01")
    assert report.result is UnlockResult.NOT_SENT
    assert isinstance(report.error, PortUnavailable)
    assert not bank.port_status().connected
    sim.replug()
    assert bank.read_states()["B0-L01"].door is DoorState.CLOSED
    status = bank.port_status()
    assert status.connected and status.reconnects == 1
    assert sim.fired_count(0, 1) == 0


def test_reconnect_waits_between_attempts(make_bank: BankFactory) -> None:
    from locker_driver import ReconnectPolicy

    sim, bank = make_bank(
        "cu16", 1, config={"reconnect": ReconnectPolicy(interval_s=3600, attempts=5)}
    )
    sim.unplug()
    bank.read_states()  # loses the port
    bank.read_states()  # first reopen attempt fails: the next one is an hour away
    sim.replug()
    report = bank.unlock_report("B0-L01")
    assert report.result is UnlockResult.NOT_SENT
    assert "next reconnect attempt in" in str(report.error)


def test_unlocks_jump_ahead_of_queued_polls(make_bank: BankFactory) -> None:
    sim, bank = make_bank("cu16", 4, config={"poll_mode": "per_board"})
    started, gate = threading.Event(), threading.Event()
    bus = bank._bus

    def hold_the_bus(link: object) -> bool:
        started.set()
        return gate.wait()

    def queued(n: int) -> None:
        deadline = time.monotonic() + 60
        while bus._queue.qsize() < n:
            assert time.monotonic() < deadline, f"{n} jobs never queued"
            time.sleep(0.001)

    blocker = bus.submit(Priority.STATUS, hold_the_bus)
    try:
        assert started.wait(60)
        reader = threading.Thread(target=bank.read_states)
        reader.start()
        queued(4)  # the four polls wait behind the job holding the bus
        unlocker = threading.Thread(target=bank.unlock, args=("B3-L01",))
        unlocker.start()
        queued(5)
    finally:
        gate.set()
    reader.join(60)
    unlocker.join(60)
    assert blocker.result() is True
    sent = [r.hex for r in bank.frame_log() if r.direction is FrameDirection.TX]
    assert sent[0] == "02 30 31 03 66"  # the unlock of board 3 lock 1 went first
    assert sorted(sent[1:]) == sorted(["02 00 30 03 35", "02 10 30 03 45", "02 20 30 03 55",
                                       "02 30 30 03 65"])


def test_8a_reply_length_is_learned_so_slow_bursts_still_frame(make_bank: BankFactory) -> None:
    # 8A query-all replies have no length field. Once a board's reply length is known,
    # a reply split by a pause far longer than the quiet gap is still one frame.
    timeouts = Timeouts(reply_s=0.3, quiet_gap_s=0.004, inter_transaction_s=0.0,
                        late_reply_guard_s=0.02)
    sim, bank = make_bank("8a", 1, split_gap_s=0.05, config={"timeouts": timeouts})
    sim.force_open(1, 9)
    assert bank.read_states()["B1-L09"].door is DoorState.OPEN  # learns 7 bytes
    sim.faults.inject(FaultKind.SPLIT_REPLY, count=3)
    for _ in range(3):
        assert bank.read_states()["B1-L09"].door is DoorState.OPEN
    assert bank.stats()[1].errors == 0


def test_port_lost_during_the_write_is_outcome_unknown(make_bank: BankFactory) -> None:
    # Once the write has started nobody knows whether bytes left: the honest answer is
    # OUTCOME_UNKNOWN (confirm by reading), and the driver does not try again itself.
    sim, bank = make_bank("cu16", 1)
    sim.unplug_during_next_write()
    report = bank.unlock_report("B0-L02")
    assert report.result is UnlockResult.OUTCOME_UNKNOWN
    assert isinstance(report.error, PortUnavailable)
    assert "reconnects by itself" in str(report.error)
    sim.replug()
    assert bank.read_states(["B0-L02"])["B0-L02"].door is DoorState.CLOSED
    assert sim.unlock_frames == []


@pytest.mark.parametrize("protocol", ["cu16", "cu48"])
def test_truncated_reply_is_unknown_with_a_reason(make_bank: BankFactory, protocol: str) -> None:
    sim, bank = make_bank(protocol, 1, config={"status_retries": 0})
    board = next(iter(sim.boards))
    cid = f"B{board}-L01"
    sim.faults.inject(FaultKind.TRUNCATED_REPLY)
    assert bank.read_states([cid])[cid].door is DoorState.UNKNOWN
    stats = bank.stats()[board]
    assert stats.frame_errors == 1
    assert "incomplete reply" in (stats.last_error or "")
    assert bank.read_states([cid])[cid].door is DoorState.CLOSED
