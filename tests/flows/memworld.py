"""Interim stand-ins for the lock bank and door confirmer until the driver lands."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from kiosk.flows.ports import (
    DoorReading,
    DoorState,
    OpenOutcome,
    UnlockStatus,
)


class SimpleConfirmer:
    def __init__(self, before: DoorState, started_at: float, timeout_s: float) -> None:
        self.before, self.started_at, self.timeout_s = before, started_at, timeout_s

    def update(self, door: DoorState, now: float) -> OpenOutcome | None:
        if door is DoorState.open:
            return OpenOutcome.already_open if self.before is DoorState.open else \
                OpenOutcome.opened
        if now - self.started_at >= self.timeout_s:
            return OpenOutcome.jammed
        return None


class MemBank:
    """Doors that pop open when unlocked, unless jammed; the test closes them."""

    def __init__(self, ids: Sequence[str]) -> None:
        self.doors = {cid: DoorState.closed for cid in ids}
        self.occupied: dict[str, bool | None] = dict.fromkeys(ids)
        self.jammed: set[str] = set()
        self.next_unlock: UnlockStatus = UnlockStatus.sent
        self.unlocks: list[str] = []
        self.down = False
        # Called as each unlock leaves (tests check the intent was already recorded).
        self.on_unlock: Callable[[str], None] | None = None

    def unlock(self, compartment_id: str) -> UnlockStatus:
        if self.on_unlock is not None:
            self.on_unlock(compartment_id)
        status = self.next_unlock
        if status is UnlockStatus.not_sent:
            return status
        self.unlocks.append(compartment_id)
        if compartment_id not in self.jammed:
            self.doors[compartment_id] = DoorState.open
        return status

    def read_states(self) -> Mapping[str, DoorReading]:
        if self.down:
            raise ConnectionError("board down")
        return {cid: DoorReading(d, self.occupied[cid]) for cid, d in self.doors.items()}
