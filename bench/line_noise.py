"""How long each public driver call takes on a line that never stops sending.

A real pty (`HostileLine`) with no board behind it carries endless random bytes, an
endless stream of 0x02, bursts, an echo of everything, or a second master whose boards
answer it. With the driver's default timing (1.5 s reply timeout, 0.25 s late-reply
guard) and ten configured boards, every call is timed; the last line gives the longest.
Before the deadline was checked on every read, the status poll, the board status and
scan commands and an unlock of a board that answers did not return at all while the
noise lasted.

Run: .venv/bin/python bench/line_noise.py [--protocol cu16]
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable
from typing import Any

from locker_driver import BankConfig, DriverError, LockAddress, LockerBank
from locker_driver.protocols import codec_for
from locker_driver.sim.hostile import HostileLine, Noise

BOARDS = 10


def calls(bank: LockerBank, board: int) -> dict[str, Callable[[], Any]]:
    return {
        "read_states (10 boards)": bank.read_states,
        "read_board": lambda: bank.read_board(board),
        "unlock": lambda: bank.unlock(f"{board}:1"),
        "scan (every address)": bank.scan,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--protocol", action="append", choices=["cu16", "8a", "cu48"])
    parser.add_argument("--poll-mode", default="per_board", choices=["per_board", "broadcast"])
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # every failed poll logs; the table says it all
    longest = (0.0, "")
    silent = (0.0, "")
    print(f"{'protocol':<8} {'noise':<14} {'call':<24} {'took':>8}  result")
    for protocol in args.protocol or ["cu16", "8a"]:
        codec = codec_for(protocol)
        boards = list(codec.boards[:BOARDS])
        compartments = {f"{b}:1": LockAddress(b, 1) for b in boards}
        for noise in Noise:
            with HostileLine(noise, protocol=protocol) as line:
                config = BankConfig(port_url=line.port, protocol=protocol,
                                    compartments=compartments, poll_mode=args.poll_mode
                                    if codec.broadcast_status_request() else "per_board")
                with LockerBank.open(config) as bank:
                    for name, call in calls(bank, boards[0]).items():
                        started = time.perf_counter()
                        try:
                            value = call()
                            result = _summary(value)
                        except DriverError as exc:
                            result = type(exc).__name__
                        took = time.perf_counter() - started
                        where = f"{protocol} {noise} {name}"
                        # An echo alone leaves the line quiet between requests: that is
                        # a bus with no board answering, not noise.
                        if noise is Noise.ECHO:
                            silent = max(silent, (took, where))
                        else:
                            longest = max(longest, (took, where))
                        print(f"{protocol:<8} {noise.value:<14} {name:<24} {took:>6.2f} s  "
                              f"{result}")
    print(f"\nlongest with no board answering (echo only): {silent[0]:.2f} s ({silent[1]})")
    print(f"longest driver call under endless noise: {longest[0]:.2f} s ({longest[1]})")


def _summary(value: Any) -> str:
    if isinstance(value, dict):
        doors = {r.door.value for r in value.values()}
        return "doors " + "/".join(sorted(doors))
    if isinstance(value, list):
        return f"{sum(1 for b in value if b.answered)} answered"
    return str(getattr(value, "value", value))[:40]


if __name__ == "__main__":
    main()
