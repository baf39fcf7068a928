"""The real lock bank (`locker_driver.LockerBank`) on the simulated boards, served on a
real pseudo-terminal: real frames, real codecs, real bus worker, a real tty.

8A boards are simulated because they acknowledge unlocks, so all three unlock results
(sent, not_sent, outcome_unknown) can be produced at the wire; CU16 boards where a
test needs their occupancy (infrared) sensors."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from locker_driver import (
    BankConfig,
    CompartmentReading,
    LockAddress,
    LockerBank,
    ReconnectPolicy,
    Timeouts,
    UnlockResult,
)
from locker_driver.sim.faults import FaultKind
from locker_driver.sim.model import SimulatedBank
from locker_driver.sim.serve import PtyServer

PROTOCOL = "8a"


class SimLocker:
    def __init__(self, ids: Sequence[str], link: Path, protocol: str = PROTOCOL) -> None:
        self.sim = SimulatedBank(protocol, 1)
        # The symlink stands for /dev/serial/by-id/...: it survives unplug and replug.
        self.pty = PtyServer(self.sim, link=link).start()
        self.board = self.sim.codec.boards[0]
        self.address = {cid: LockAddress(self.board, n) for n, cid in enumerate(ids, 1)}
        self._cid = {addr.lock: cid for cid, addr in self.address.items()}
        config = BankConfig(
            port_url=self.pty.port, protocol=protocol, compartments=self.address,
            timeouts=Timeouts(reply_s=0.05, quiet_gap_s=0.003, late_reply_guard_s=0.01,
                              inter_transaction_s=0.0),
            reconnect=ReconnectPolicy(interval_s=0.0, attempts=1, cooldown_s=0.0),
        )
        self.bank = LockerBank.open(config)
        # Called as each unlock is handed to the bank (tests check the intent came first).
        self.on_unlock: Callable[[str], None] | None = None

    # The two calls the flows make, passed straight through.
    def unlock(self, compartment_id: str) -> UnlockResult:
        if self.on_unlock is not None:
            self.on_unlock(compartment_id)
        return self.bank.unlock(compartment_id)

    def read_states(self) -> Mapping[str, CompartmentReading]:
        return self.bank.read_states()

    # The physical world.
    def close(self, cid: str) -> None:
        self.sim.close_door(self.board, self.address[cid].lock)

    def open_by_hand(self, cid: str) -> None:
        self.sim.force_open(self.board, self.address[cid].lock)

    def jam(self, cid: str, jammed: bool = True) -> None:
        self.sim.jam(self.board, self.address[cid].lock, jammed)

    def set_occupied(self, cid: str, occupied: bool) -> None:
        self.sim.set_occupied(self.board, self.address[cid].lock, occupied)

    def is_open(self, cid: str) -> bool:
        return self.sim.door_open(self.board, self.address[cid].lock)

    def lose_next_reply(self) -> None:
        self.sim.faults.inject(FaultKind.NO_REPLY, 1)

    def power(self, on: bool) -> None:
        self.sim.power(self.board, on)

    def unplug(self) -> None:
        self.pty.unplug()

    def replug(self) -> None:
        self.pty.replug()

    def unlocks(self) -> list[str]:
        """Compartments whose unlock frame reached a board, in order."""
        return [self._cid.get(lock, f"?{lock}") for _, lock in self.sim.unlock_frames]

    def shutdown(self) -> None:
        self.bank.close()
        self.pty.stop()
