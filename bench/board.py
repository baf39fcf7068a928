"""Lock-board bus latency against its physical floor, per protocol, side by side.

For each protocol at its real baud rate, with 10 simulated boards on a pty:
  * unlock-to-confirmed-open: unlock() then status reads of that board until the door
    reads open (OpenConfirmer), and
  * a full status poll of all 10 boards (read_states()),
each as measured time and as a ratio to the pure wire time of the bytes exchanged
(10 bits per byte / baud), the floor no driver can beat.

A pty has no baud timing, so the simulated board paces itself (--pace): it acts on a
request only once its last byte would have arrived, and hands over each reply only once
its last byte would have left. Boards answer with no extra processing time, so the
figures show what the wire plus the driver cost, not a lock's mechanical time.

Alternatives in one run: the earlier default (each board polled with its own request,
a fixed 5 ms between transactions), the current default (the family's gap in character
times: 3.5 for the Kerong boards, 4.8 = 5 ms at 9600 for 8A; CU16 polled with the
bus-wide 0x32 request), 8A replies ended by the quiet gap alone (what a driver must do
without learning the length), CU16/CU48 polled bus-wide with the fixed 5 ms gap, no gap
between transactions, and an unpaced pty (the driver's own overhead with a free wire).
The last lines give the 10-board poll of the earlier and the current default side by
side, per protocol.

Run: .venv/bin/python bench/board.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass

from locker_driver import (
    BankConfig,
    DoorState,
    LockAddress,
    LockerBank,
    OpenConfirmer,
    OpenOutcome,
    Timeouts,
)
from locker_driver.protocols import DEFAULT_LOCKS, codec_for
from locker_driver.sim import SimulatedBank
from locker_driver.sim.serve import BITS_PER_BYTE, PtyServer

BOARDS = 10
LOCKS = DEFAULT_LOCKS
@dataclass(frozen=True)
class Variant:
    timeouts: Timeouts
    paced: bool = True
    learn_reply_length: bool = True
    poll_mode: str = "auto"
    protocols: tuple[str, ...] = tuple(LOCKS)


EARLIER = "earlier: per board, 5 ms gap"
CURRENT = "default: family gap and poll"
FIXED_GAP = Timeouts(inter_transaction_s=0.005)
NO_GAP = Timeouts(inter_transaction_s=0.0)
VARIANTS = {
    EARLIER: Variant(FIXED_GAP, poll_mode="per_board"),
    CURRENT: Variant(Timeouts()),
    "8A framed by quiet gap only": Variant(Timeouts(), learn_reply_length=False,
                                           protocols=("8a",)),
    "bus-wide poll, 5 ms gap": Variant(FIXED_GAP, poll_mode="broadcast",
                                       protocols=("cu16", "cu48")),
    "no inter-transaction gap": Variant(NO_GAP),
    "unpaced pty (driver only)": Variant(NO_GAP, paced=False),
}


@dataclass
class Figures:
    unlock_confirm_s: float
    unlock_confirm_bytes: int
    poll_s: float
    poll_bytes: int


def wire_s(nbytes: int, baud: int) -> float:
    return nbytes * BITS_PER_BYTE / baud


def exchange_bytes(sim: SimulatedBank, request: bytes) -> int:
    """Bytes of a request plus every reply the boards give to it (without faults)."""
    return len(request) + sum(len(e.data) for e in sim.feed(request))


def measure(protocol: str, variant: Variant, repeat: int) -> Figures:
    codec = codec_for(protocol)
    sim = SimulatedBank(protocol, BOARDS, locks_per_board=LOCKS[protocol])
    boards = sorted(sim.boards)
    compartments = {f"{b}:{lock}": LockAddress(b, lock)
                    for b in boards for lock in range(1, LOCKS[protocol] + 1)}
    # Byte counts of one confirm cycle and one full poll, from the simulator itself.
    target = LockAddress(boards[-1], 5)
    confirm_bytes = exchange_bytes(sim, codec.unlock_request(target.board, target.lock))
    confirm_bytes += exchange_bytes(sim, codec.status_request(target.board))
    broadcast = codec.broadcast_status_request()
    mode = codec.default_poll_mode if variant.poll_mode == "auto" else variant.poll_mode
    if mode == "broadcast" and broadcast is not None:
        poll_bytes = exchange_bytes(sim, broadcast)
    else:
        poll_bytes = sum(exchange_bytes(sim, codec.status_request(b)) for b in boards)
    sim.close_door(target.board, target.lock)
    sim.unlock_frames.clear()

    cid = f"{target.board}:{target.lock}"
    unlock_times, poll_times = [], []
    with PtyServer(sim, pace=variant.paced) as server:
        server.start()
        config = BankConfig(port_url=server.port, protocol=protocol,
                            compartments=compartments, timeouts=variant.timeouts,
                            learn_reply_length=variant.learn_reply_length,
                            poll_mode=variant.poll_mode)
        with LockerBank.open(config) as bank:
            bank.read_states()  # warm-up
            for _ in range(repeat):
                sim.close_door(target.board, target.lock)
                started = time.perf_counter()
                bank.unlock(cid)
                confirmer = OpenConfirmer(DoorState.CLOSED, started, timeout_s=5.0)
                outcome = None
                while outcome is None:
                    door = bank.read_states([cid])[cid].door
                    outcome = confirmer.update(door, time.perf_counter())
                unlock_times.append(time.perf_counter() - started)
                assert outcome is OpenOutcome.OPENED, outcome
            for _ in range(repeat):
                started = time.perf_counter()
                readings = bank.read_states()
                poll_times.append(time.perf_counter() - started)
                assert DoorState.UNKNOWN not in {r.door for r in readings.values()}
    sim.close()
    return Figures(statistics.median(unlock_times), confirm_bytes,
                   statistics.median(poll_times), poll_bytes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs per figure (median)")
    parser.add_argument("--protocol", action="append", choices=list(LOCKS))
    args = parser.parse_args()
    protocols = args.protocol or list(LOCKS)
    print(f"{BOARDS} boards per bus, median of {args.repeat} runs; "
          "ratio = measured / wire time of the bytes exchanged\n")
    polls: dict[str, dict[str, float]] = {}
    header = (f"{'protocol':<8} {'baud':>6} {'variant':<29} {'unlock->open':>13} "
              f"{'wire':>8} {'ratio':>6} {'10-board poll':>14} {'wire':>8} {'ratio':>6}")
    print(header)
    print("-" * len(header))
    for protocol in protocols:
        baud = codec_for(protocol).default_baudrate
        for name, variant in VARIANTS.items():
            if protocol not in variant.protocols:
                continue
            f = measure(protocol, variant, args.repeat)
            polls.setdefault(protocol, {})[name] = f.poll_s
            u_wire = wire_s(f.unlock_confirm_bytes, baud)
            p_wire = wire_s(f.poll_bytes, baud)
            print(f"{protocol:<8} {baud:>6} {name:<29} "
                  f"{1000 * f.unlock_confirm_s:>10.1f} ms {1000 * u_wire:>5.1f} ms "
                  f"{f.unlock_confirm_s / u_wire:>6.2f} "
                  f"{1000 * f.poll_s:>11.1f} ms {1000 * p_wire:>5.1f} ms {f.poll_s / p_wire:>6.2f}")
        print()
    print("Byte counts per cycle: unlock request + its acknowledgement (CU16: 9-byte status, "
          "8A: 5-byte reply, CU48: none) + one status exchange; a poll is one status "
          "exchange per board, or one bus-wide request and ten replies.\n")
    print("10-board poll, earlier default -> current default:")
    for protocol, figures in polls.items():
        before, after = figures[EARLIER], figures[CURRENT]
        print(f"  {protocol:<5} {1000 * before:7.1f} ms -> {1000 * after:7.1f} ms  "
              f"({before / after:.2f}x)")


if __name__ == "__main__":
    main()
