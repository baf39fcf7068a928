"""Door, lock and command states the driver reports, and the addresses it works with.

These values are stored and sent by the kiosk (audit rows, outbox events), so they are
`StrEnum`s with stable lower-case values.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DoorState(StrEnum):
    """What a door's hook switch says. A failed or missing read is UNKNOWN, never CLOSED."""

    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"


class UnlockResult(StrEnum):
    """What is known about an unlock frame after the bus handled it.

    SENT: the frame left the port (and, where the board answers, it answered).
    NOT_SENT: no byte left the port; safe to try again.
    OUTCOME_UNKNOWN: the write started but the board never confirmed; the lock may have
    fired, so the caller must confirm by reading the door, never by re-sending.
    """

    SENT = "sent"
    NOT_SENT = "not_sent"
    OUTCOME_UNKNOWN = "outcome_unknown"


class OpenOutcome(StrEnum):
    """The result of watching a door after its lock fired."""

    OPENED = "opened"
    ALREADY_OPEN = "already_open"
    JAMMED = "jammed"


class Polarity(StrEnum):
    """Which hook-bit value means "door closed" (depends on NO/NC hook switch wiring)."""

    CLOSED_WHEN_SET = "closed_when_set"
    CLOSED_WHEN_CLEAR = "closed_when_clear"

    def door(self, hook_bit: bool) -> DoorState:
        closed = hook_bit if self is Polarity.CLOSED_WHEN_SET else not hook_bit
        return DoorState.CLOSED if closed else DoorState.OPEN

    def hook_bit(self, door_closed: bool) -> bool:
        return door_closed if self is Polarity.CLOSED_WHEN_SET else not door_closed


@dataclass(frozen=True, order=True)
class LockAddress:
    """A lock on the bus: the board's DIP-switch address and the 1-based lock number
    printed on the board."""

    board: int
    lock: int

    def __str__(self) -> str:
        return f"board {self.board} lock {self.lock}"


@dataclass(frozen=True)
class CompartmentReading:
    """One compartment's door state and occupancy (None: no IR sensor or read failed)."""

    door: DoorState
    occupied: bool | None
