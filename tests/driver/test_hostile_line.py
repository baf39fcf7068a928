"""Every public driver call ends by its deadline whatever the line does.

A real pty (`HostileLine`) carries endless random bytes, an endless stream of 0x02, an
echo of everything, bursts, or a second master whose boards answer too, with or
without our simulated boards behind it. Each call runs in a thread; a call that has not
returned long after its deadlines add up is a hang (the join timeout is a hang
detector far above any deadline, not a speed figure). Doors read UNKNOWN or the truth,
never a guess, and the error says the line is noisy and what to check.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from locker_driver import (
    BankConfig,
    BoardError,
    DoorState,
    FrameDirection,
    LineNoisy,
    LockAddress,
    LockerBank,
    Timeouts,
    UnlockResult,
    cli,
)
from locker_driver.protocols import PROTOCOLS, codec_for
from locker_driver.sim import SimulatedBank
from locker_driver.sim.hostile import HostileLine, Noise

from .conftest import FAST_RECONNECT

pytestmark = pytest.mark.integration

# Short deadlines keep the suite fast; the noise comes every 5 ms, far inside them.
HOSTILE = Timeouts(reply_s=0.15, quiet_gap_s=0.01, inter_transaction_s=0.0,
                   late_reply_guard_s=0.04)
HANG_S = 60.0  # far above the few deadlines a call may add up; only a hang gets here
ENDLESS = [Noise.RANDOM, Noise.STX, Noise.SECOND_MASTER]


def within_deadline(call: Callable[[], Any]) -> Any:
    """Run `call` in a thread; fail if it is still running after HANG_S."""
    out: dict[str, Any] = {}

    def target() -> None:
        try:
            out["value"] = call()
        except Exception as exc:  # handed back to the test below
            out["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(HANG_S)
    assert not thread.is_alive(), "the call did not return: the bus is frozen"
    if "error" in out:
        raise out["error"]
    return out["value"]


def boards_of(protocol: str) -> list[int]:
    return list(codec_for(protocol).boards[:2])


def config(port: str, protocol: str, **kw: Any) -> BankConfig:
    compartments = {f"B{b}-L01": LockAddress(b, 1) for b in boards_of(protocol)}
    compartments |= {f"B{b}-L02": LockAddress(b, 2) for b in boards_of(protocol)}
    return BankConfig(port_url=port, protocol=protocol, compartments=compartments,
                      timeouts=HOSTILE, reconnect=FAST_RECONNECT, **kw)


@pytest.fixture
def hostile() -> Iterator[Callable[..., HostileLine]]:
    lines: list[HostileLine] = []
    banks: list[SimulatedBank] = []

    def make(noise: Noise, protocol: str, *, boards: bool = False) -> HostileLine:
        bank = SimulatedBank(protocol, boards_of(protocol), seed=1) if boards else None
        if bank is not None:
            banks.append(bank)
        line = HostileLine(noise, bank, protocol=protocol).start()
        lines.append(line)
        return line

    yield make
    for line in lines:
        line.stop()
    for bank in banks:
        bank.close()


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("noise", ENDLESS)
def test_endless_noise_gives_unknown_and_says_the_line_is_noisy(
    hostile: Callable[..., HostileLine], protocol: str, noise: Noise
) -> None:
    line = hostile(noise, protocol)
    with LockerBank.open(config(line.port, protocol)) as bank:
        readings = within_deadline(bank.read_states)
        assert {r.door for r in readings.values()} == {DoorState.UNKNOWN}
        assert {r.occupied for r in readings.values()} == {None}
        errors = [s.last_error or "" for s in bank.stats().values()]
        assert errors and all("the line is noisy" in e for e in errors), errors
        assert all("second master" in e and "termination" in e for e in errors)
        # One transaction for the whole poll (per board: the second board is not asked
        # into the same noise; bus-wide: one request anyway): one deadline, not two.
        sent = [r for r in bank.frame_log() if r.direction is FrameDirection.TX]
        assert len(sent) == 1, sent
    assert line.noise_bytes > 0


@pytest.mark.parametrize("protocol", ["cu16", "cu48"])
@pytest.mark.parametrize("noise", ENDLESS)
def test_bus_wide_poll_under_endless_noise(
    hostile: Callable[..., HostileLine], protocol: str, noise: Noise
) -> None:
    line = hostile(noise, protocol)
    with LockerBank.open(config(line.port, protocol, poll_mode="broadcast")) as bank:
        readings = within_deadline(bank.read_states)
        assert {r.door for r in readings.values()} == {DoorState.UNKNOWN}
        assert all("the line is noisy" in (s.last_error or "") for s in bank.stats().values())


def _calls(bank: LockerBank, protocol: str) -> dict[str, Callable[[], Any]]:
    board = boards_of(protocol)[0]
    return {
        "read_states": bank.read_states,
        "read_states(one)": lambda: bank.read_states([f"B{board}-L01"]),
        "read_board": lambda: bank.read_board(board),
        "unlock": lambda: bank.unlock(f"B{board}-L02"),
        "unlock_report": lambda: bank.unlock_report(f"B{board}-L01"),
        "unlock_lock": lambda: bank.unlock_lock(LockAddress(board, 3)),
        "scan": lambda: bank.scan(timeout_s=0.1),
        "stats": bank.stats,
        "frame_log": bank.frame_log,
        "port_status": bank.port_status,
    }


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("noise", list(Noise))
def test_every_public_call_returns_on_a_line_with_no_board(
    hostile: Callable[..., HostileLine], protocol: str, noise: Noise
) -> None:
    line = hostile(noise, protocol)
    bank = within_deadline(lambda: LockerBank.open(config(line.port, protocol)))
    try:
        for name, call in _calls(bank, protocol).items():
            try:
                result = within_deadline(call)
            except LineNoisy as exc:
                assert name in ("read_board", "scan"), (name, exc)
                assert "the line is noisy" in str(exc)
                continue
            except BoardError as exc:  # a silent line: the board's ordinary error
                assert name == "read_board", (name, exc)
                continue
            if name.startswith("read_states"):
                assert {r.door for r in result.values()} == {DoorState.UNKNOWN}
            elif name.startswith("unlock"):
                res = result if name == "unlock" else result.result
                # Nobody acknowledges: never "sent" for a board that always answers.
                expected = {UnlockResult.SENT} if protocol == "cu48" else {
                    UnlockResult.OUTCOME_UNKNOWN, UnlockResult.SENT}
                assert res in expected, (name, res)
                if protocol == "8a":
                    assert res is UnlockResult.OUTCOME_UNKNOWN
            elif name == "scan":
                assert not any(info.answered for info in result)
    finally:
        within_deadline(bank.close)


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("noise", list(Noise))
def test_boards_behind_the_noise_read_true_or_unknown(
    hostile: Callable[..., HostileLine], protocol: str, noise: Noise
) -> None:
    line = hostile(noise, protocol, boards=True)
    sim = line.bank
    assert sim is not None
    first, second = boards_of(protocol)
    sim.force_open(first, 2)
    with LockerBank.open(config(line.port, protocol)) as bank:
        for _ in range(3):
            readings = within_deadline(bank.read_states)
            for cid, reading in readings.items():
                board, lock = (int(x[1:]) for x in cid.split("-"))
                assert reading.door in (sim.door_truth(board, lock), DoorState.UNKNOWN), cid
        if noise is Noise.ECHO:  # an echo alone is no noise: every door reads true
            assert DoorState.UNKNOWN not in {r.door for r in readings.values()}
        within_deadline(lambda: bank.unlock(f"B{second}-L01"))
        try:
            found = within_deadline(lambda: bank.scan(boards_of(protocol), timeout_s=0.1))
        except LineNoisy:  # an 8A reply has no length: on a busy line it never ends
            assert noise is not Noise.ECHO
        else:
            assert {info.board for info in found} <= set(boards_of(protocol))


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="expresspoint")
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return int(args.func(args))


@pytest.mark.parametrize("noise", ENDLESS)
def test_board_status_and_scan_commands_end_and_say_why(
    hostile: Callable[..., HostileLine], noise: Noise, capsys: pytest.CaptureFixture[str]
) -> None:
    line = hostile(noise, "cu16")
    common = ["--port", line.port, "--protocol", "cu16", "--reply-timeout", "0.2"]
    code = within_deadline(lambda: _cli(["board", "status", *common, "--board", "0",
                                         "--board", "1"]))
    out = capsys.readouterr().out
    assert code == 1
    assert "unknown" in out and "the line is noisy" in out
    code = within_deadline(lambda: _cli(["board", "scan", *common, "--timeout", "0.2"]))
    err = capsys.readouterr().err
    assert code == 1
    assert "scan stopped at board 0" in err and "the line is noisy" in err
