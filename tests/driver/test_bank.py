"""The bank over the real pyserial path (`locksim://`) against the simulated boards:
unlock, door states, polarity, occupancy, confirmation, scan, stats, frame log."""

from __future__ import annotations

import pytest

from locker_driver import (
    BankConfig,
    DoorState,
    FrameDirection,
    LockAddress,
    LockerBank,
    OpenConfirmer,
    OpenOutcome,
    Polarity,
    PortBusy,
    PortUnavailable,
    UnknownCompartment,
    UnlockResult,
)
from locker_driver.sim import SimulatedBank

from .conftest import FAST, BankFactory, config_for

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("protocol", "boards"), [("cu16", 10), ("8a", 3), ("cu48", 2)])
def test_unlock_opens_the_right_door_only(
    make_bank: BankFactory, protocol: str, boards: int
) -> None:
    sim, bank = make_bank(protocol, boards)
    last = max(sim.boards)
    target = f"B{last}-L03"
    before = bank.read_states()
    assert set(before) == set(bank.compartments)
    assert all(r.door is DoorState.CLOSED for r in before.values())

    assert bank.unlock(target) is UnlockResult.SENT
    after = bank.read_states()
    assert after[target].door is DoorState.OPEN
    assert [cid for cid, r in after.items() if r.door is DoorState.OPEN] == [target]
    assert sim.fired_count(last, 3) == 1

    sim.close_door(last, 3)
    assert bank.read_states([target])[target].door is DoorState.CLOSED


def test_occupancy_comes_from_cu16_infrared_bits(make_bank: BankFactory) -> None:
    sim, bank = make_bank("cu16", 2)
    sim.set_occupied(1, 16)
    readings = bank.read_states()
    assert readings["B1-L16"].occupied is True
    assert readings["B1-L15"].occupied is False


def test_boards_without_infrared_report_no_occupancy(make_bank: BankFactory) -> None:
    _, bank = make_bank("cu48", 1)
    assert {r.occupied for r in bank.read_states().values()} == {None}


@pytest.mark.parametrize("protocol", ["cu16", "8a", "cu48"])
def test_inverted_polarity_is_applied(protocol: str) -> None:
    with SimulatedBank(protocol, 1, polarity=Polarity.CLOSED_WHEN_CLEAR) as sim:
        first = next(iter(sim.boards))
        sim.force_open(first, 2)
        with LockerBank.open(config_for(sim)) as bank:
            readings = bank.read_states()
            assert readings[f"B{first}-L02"].door is DoorState.OPEN
            assert readings[f"B{first}-L01"].door is DoorState.CLOSED
        # The same wire bits read with the wrong polarity invert every door: the
        # setting matters, which is why it is per bank.
        wrong = config_for(sim, polarity=Polarity.CLOSED_WHEN_SET)
        with LockerBank.open(wrong) as bank:
            assert bank.read_states()[f"B{first}-L02"].door is DoorState.CLOSED


def test_confirm_open_and_jam(make_bank: BankFactory) -> None:
    sim, bank = make_bank("cu16", 1)
    sim.jam(0, 5)
    for cid, expected in (("B0-L04", OpenOutcome.OPENED), ("B0-L05", OpenOutcome.JAMMED)):
        before = bank.read_states([cid])[cid].door
        confirmer = OpenConfirmer(before, started_at=0.0, timeout_s=3.0)
        assert bank.unlock(cid) is UnlockResult.SENT
        outcome = None
        for tick in range(1, 5):  # the kiosk's timer, here a counter
            outcome = confirmer.update(bank.read_states([cid])[cid].door, float(tick))
            if outcome:
                break
        assert outcome is expected
    assert sim.fired_count(0, 5) == 1  # the jammed lock did fire, once


def test_already_open_door(make_bank: BankFactory) -> None:
    sim, bank = make_bank("8a", 1)
    sim.force_open(1, 7)
    before = bank.read_states(["B1-L07"])["B1-L07"].door
    assert OpenConfirmer(before, 0.0, 5).update(before, 0.1) is OpenOutcome.ALREADY_OPEN


def test_stuck_sensor_is_reported_as_read(make_bank: BankFactory) -> None:
    sim, bank = make_bank("cu16", 1)
    sim.stick_sensor(0, 1, "open")
    sim.stick_sensor(0, 2, "closed")
    sim.force_open(0, 2)
    readings = bank.read_states()
    assert readings["B0-L01"].door is DoorState.OPEN
    assert readings["B0-L02"].door is DoorState.CLOSED


def test_unknown_compartment(make_bank: BankFactory) -> None:
    _, bank = make_bank("cu16", 1)
    with pytest.raises(UnknownCompartment, match="'Z99' is not in the lock-bank configuration"):
        bank.unlock("Z99")
    with pytest.raises(KeyError):
        bank.read_states(["Z99"])


def test_8a_lock_beyond_the_reported_bits_is_unknown() -> None:
    with SimulatedBank("8a", 1, locks_per_board=8) as sim:
        config = BankConfig(
            port_url=sim.url,
            protocol="8a",
            compartments={"A": LockAddress(1, 8), "B": LockAddress(1, 40)},
            timeouts=FAST,
        )
        with LockerBank.open(config) as bank:
            readings = bank.read_states()
    assert readings["A"].door is DoorState.CLOSED
    assert readings["B"].door is DoorState.UNKNOWN  # the board sent 24 bits, not 40


def test_scan_finds_the_boards_with_latency(make_bank: BankFactory) -> None:
    sim, bank = make_bank("cu16", 3)
    sim.power(1, False)
    infos = bank.scan(timeout_s=0.02)
    assert [(i.board, i.answered) for i in infos] == [(0, True), (1, False), (2, True)]
    assert infos[0].latency_s is not None and infos[0].locks == 16


def test_stats_and_frame_log(make_bank: BankFactory) -> None:
    sim, bank = make_bank("cu16", 2, config={"poll_mode": "per_board"})
    sim.power(1, False)
    bank.read_states()
    stats = bank.stats()
    assert stats[0].replies == 1 and stats[0].errors == 0 and stats[0].last_latency_s is not None
    assert stats[1].timeouts == 1 and stats[1].consecutive_failures == 1
    assert "check the board's power" in (stats[1].last_error or "")
    log = bank.frame_log()
    assert (log[0].direction, log[0].hex, log[0].board) == (FrameDirection.TX, "02 00 30 03 35", 0)
    assert log[1].direction is FrameDirection.RX and log[1].hex.startswith("02 00 35")
    assert log[2].hex == "02 10 30 03 45"


def test_frame_log_keeps_the_last_n(make_bank: BankFactory) -> None:
    _, bank = make_bank("cu16", 1, config={"frame_log_size": 5})
    for _ in range(10):
        bank.read_states()
    assert len(bank.frame_log()) == 5


def test_port_is_exclusive(make_bank: BankFactory) -> None:
    sim, _ = make_bank("cu16", 1)
    with pytest.raises(PortBusy, match="in use by another program"):
        LockerBank.open(config_for(sim))


def test_missing_port_is_unavailable() -> None:
    config = BankConfig(
        port_url="/dev/serial/by-id/usb-nothing-here", protocol="cu16",
        compartments={"A": LockAddress(0, 1)},
    )
    with pytest.raises(PortUnavailable, match="check the USB cable"):
        LockerBank.open(config)


def test_start_without_port_reports_unknown_and_not_sent() -> None:
    with SimulatedBank("cu16", 1) as sim:
        sim.unplug()
        bank = LockerBank.open(config_for(sim), require_port=False)
        try:
            assert bank.read_states()["B0-L01"].door is DoorState.UNKNOWN
            report = bank.unlock_report("B0-L01")
            assert report.result is UnlockResult.NOT_SENT
            assert isinstance(report.error, PortUnavailable)
            sim.replug()
            assert bank.read_states()["B0-L01"].door is DoorState.CLOSED
        finally:
            bank.close()
        assert sim.fired_count(0, 1) == 0


def test_line_settings_are_only_touched_when_configured(make_bank: BankFactory) -> None:
    # locksim rejects RTS like a pty does: an unconfigured bank never touches it...
    _, bank = make_bank("cu16", 1)
    assert bank.read_states()["B0-L01"].door is DoorState.CLOSED
    # ...and a configured one fails with a message that says what to remove.
    with SimulatedBank("cu16", 1) as sim, pytest.raises(PortUnavailable, match="remove rts"):
        LockerBank.open(config_for(sim, rts=True))


def test_closed_bank_refuses_work(make_bank: BankFactory) -> None:
    from locker_driver import BankClosed

    _, bank = make_bank("cu16", 1)
    bank.close()
    with pytest.raises(BankClosed):
        bank.unlock("B0-L01")


@pytest.mark.parametrize("protocol", ["cu16", "cu48"])
def test_broadcast_poll_reads_every_board_in_one_request(
    make_bank: BankFactory, protocol: str
) -> None:
    sim, bank = make_bank(protocol, 4, config={"poll_mode": "broadcast"})
    sim.force_open(2, 7)
    sim.power(3, False)
    readings = bank.read_states()  # the first answers are confirmed board by board
    assert readings["B2-L07"].door is DoorState.OPEN
    assert readings["B1-L07"].door is DoorState.CLOSED
    assert {r.door for cid, r in readings.items() if cid.startswith("B3-")} == {DoorState.UNKNOWN}
    before = len(bank.frame_log())
    assert bank.read_states() == readings
    sent = [r for r in bank.frame_log()[before:] if r.direction is FrameDirection.TX]
    assert len(sent) == 1 and sent[0].note == "to every board"
    stats = bank.stats()
    assert stats[0].replies == 3 and stats[3].timeouts == 2
    # One board's garbled answer costs that board only.
    sim.power(3, True)
    from locker_driver.sim import FaultKind

    sim.faults.inject(FaultKind.CORRUPT_CHECKSUM, board=1)
    readings = bank.read_states()
    assert readings["B1-L01"].door is DoorState.UNKNOWN
    assert readings["B0-L01"].door is DoorState.CLOSED
    assert readings["B3-L01"].door is DoorState.CLOSED
    # A subset still uses the boards' own answers only.
    assert bank.read_states(["B2-L07", "B0-L01"]) == {
        "B2-L07": readings["B2-L07"], "B0-L01": readings["B0-L01"]
    }


def test_many_threads_share_one_bank(make_bank: BankFactory) -> None:
    import threading

    sim, bank = make_bank("cu16", 3)
    errors: list[BaseException] = []
    results: list[UnlockResult] = []
    targets = [f"B{b}-L{lock:02d}" for b in range(3) for lock in range(1, 8)]

    def poll() -> None:
        try:
            for _ in range(30):
                readings = bank.read_states()
                assert len(readings) == 48
                assert DoorState.UNKNOWN not in {r.door for r in readings.values()}
        except BaseException as exc:  # handed to the main thread's assertion
            errors.append(exc)

    def fire() -> None:
        try:
            results.extend(bank.unlock(cid) for cid in targets)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=poll) for _ in range(4)] + [threading.Thread(target=fire)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert results == [UnlockResult.SENT] * len(targets)
    assert sorted(sim.unlock_frames) == sorted(
        (int(cid[1]), int(cid[-2:])) for cid in targets
    )
    assert all(bank.read_states()[cid].door is DoorState.OPEN for cid in targets)


@pytest.mark.parametrize("poll_mode", ["per_board", "broadcast"])
def test_a_silent_board_is_logged_once_per_streak(
    make_bank: BankFactory, caplog, poll_mode: str
) -> None:
    sim, bank = make_bank("cu16", 2, config={"poll_mode": poll_mode})
    sim.power(1, False)
    with caplog.at_level("WARNING", logger="locker_driver.bank"):
        for _ in range(5):
            assert bank.read_states()  # every poll still reports board 1 as unknown
        sim.power(1, True)
        bank.read_states()
        sim.power(1, False)
        bank.read_states()
    messages = [r.getMessage() for r in caplog.records]
    assert [m.split(":")[0] for m in messages] == [
        "status of board 1 unknown", "board 1 answers again", "status of board 1 unknown",
    ]


def test_a_cu16_bus_is_polled_with_the_bus_wide_request_by_default(
    make_bank: BankFactory,
) -> None:
    sim, bank = make_bank("cu16", 3)
    bank.read_states()  # the first answers of every board are confirmed by its own request
    sim.force_open(2, 4)
    before = len(bank.frame_log())
    readings = bank.read_states()
    assert readings["B2-L04"].door is DoorState.OPEN
    assert {r.door for cid, r in readings.items() if cid != "B2-L04"} == {DoorState.CLOSED}
    sent = [r.hex for r in bank.frame_log()[before:] if r.direction is FrameDirection.TX]
    # One request for the three boards, and board 2's change confirmed by board 2.
    assert sent == ["02 F0 32 03 27", "02 20 30 03 55"]
    before = len(bank.frame_log())
    assert bank.read_states() == readings
    sent = [r.hex for r in bank.frame_log()[before:] if r.direction is FrameDirection.TX]
    assert sent == ["02 F0 32 03 27"]  # nothing changed: one request
    # One compartment (the door watch after an unlock) is still asked of its board alone.
    bank.read_states(["B2-L04"])
    assert bank.frame_log()[-2].hex == "02 20 30 03 55"


def test_a_bus_wide_answer_from_the_wrong_address_is_not_believed(
    make_bank: BankFactory,
) -> None:
    """Board 0 answers with board 1's address while board 1 is silent: the frame is
    valid and in turn, so only board 1's own confirmation can tell: it reads UNKNOWN,
    never board 0's doors."""
    from locker_driver.sim import FaultKind

    sim, bank = make_bank("cu16", 3)
    bank.read_states()
    sim.force_open(0, 5)  # board 0 differs from board 1 now
    sim.faults.inject(FaultKind.WRONG_ADDRESS, board=0)
    sim.power(1, False)
    readings = bank.read_states()
    assert {r.door for cid, r in readings.items() if cid.startswith("B1-")} == {DoorState.UNKNOWN}
    assert readings["B2-L05"].door is DoorState.CLOSED
    assert readings["B0-L05"].door in (DoorState.OPEN, DoorState.UNKNOWN)


def test_two_answers_claiming_one_address_make_it_unknown(make_bank: BankFactory) -> None:
    from locker_driver.sim import FaultKind

    sim, bank = make_bank("cu16", 3)
    bank.read_states()
    sim.faults.inject(FaultKind.WRONG_ADDRESS, board=2)  # board 2 claims board 0's address
    readings = bank.read_states()
    assert {r.door for cid, r in readings.items() if cid.startswith("B0-")} == {DoorState.UNKNOWN}
    assert "share a DIP-switch address" in (bank.stats()[0].last_error or "")
