"""Fault knobs of the simulated board: what can go wrong between a request and its reply.

Each kind can fire at a rate (probability per reply, drawn from a seeded RNG so a run
can be repeated) or be injected for the next N replies, optionally for one board only.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from enum import StrEnum


class FaultKind(StrEnum):
    NO_REPLY = "no_reply"  # the board acts on the request but its reply is lost
    LATE_REPLY = "late_reply"  # the reply comes after the driver's timeout
    SPLIT_REPLY = "split_reply"  # the reply arrives in two bursts (USB adapters)
    TRUNCATED_REPLY = "truncated_reply"  # the reply stops half way (a loose wire)
    CORRUPT_CHECKSUM = "corrupt_checksum"
    WRONG_ADDRESS = "wrong_address"  # another board address answers
    ECHO = "echo"  # the request is read back first (2-wire RS-485 without auto direction)
    GARBAGE = "garbage"  # line noise before the reply


@dataclass
class _Injection:
    kind: FaultKind
    remaining: int
    board: int | None


class FaultPlan:
    """Decides, per reply, which faults apply. Thread-safe."""

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(seed)
        self._rates: dict[FaultKind, float] = {}
        self._injections: list[_Injection] = []
        self._lock = threading.Lock()
        self.fired: dict[FaultKind, int] = dict.fromkeys(FaultKind, 0)

    @property
    def rng(self) -> random.Random:
        return self._rng

    def set_rate(self, kind: FaultKind | str, probability: float) -> None:
        if not 0.0 <= probability <= 1.0:
            raise ValueError(f"fault rate must be 0-1, got {probability}")
        with self._lock:
            self._rates[FaultKind(kind)] = probability

    def inject(self, kind: FaultKind | str, count: int = 1, board: int | None = None) -> None:
        """Apply `kind` to the next `count` replies (of `board`, or of any board)."""
        with self._lock:
            self._injections.append(_Injection(FaultKind(kind), count, board))

    def clear(self) -> None:
        with self._lock:
            self._rates.clear()
            self._injections.clear()

    def draw(self, board: int | None) -> set[FaultKind]:
        """The faults to apply to the next reply of `board`."""
        out: set[FaultKind] = set()
        with self._lock:
            for kind, rate in self._rates.items():
                if rate and self._rng.random() < rate:
                    out.add(kind)
            for inj in self._injections:
                if inj.remaining > 0 and (inj.board is None or inj.board == board):
                    inj.remaining -= 1
                    out.add(inj.kind)
            self._injections = [i for i in self._injections if i.remaining > 0]
            for kind in out:
                self.fired[kind] += 1
        return out
