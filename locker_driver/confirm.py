"""Turning successive door readings into outcomes and events, without I/O or sleeping.

The kiosk flows call these from their own timers with their own clock: `OpenConfirmer`
watches one door after its lock fired; `DoorMonitor` watches every door and tells
commanded openings from forced ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from locker_driver.states import CompartmentReading, DoorState, OpenOutcome

DEFAULT_CONFIRM_TIMEOUT_S = 10.0
DEFAULT_COMMAND_WINDOW_S = 15.0


class OpenConfirmer:
    """Watches one door after its lock fired.

    `before` is the door as read just before the pulse. update() returns None while
    still waiting, else: ALREADY_OPEN (it was open before the pulse), OPENED (it read
    open), or JAMMED (no open reading within timeout_s). `door_was_read` tells whether
    any reading came back at all, so a JAMMED with door_was_read False means "could not
    read the door" rather than "the door stayed shut".
    """

    def __init__(
        self, before: DoorState, started_at: float, timeout_s: float = DEFAULT_CONFIRM_TIMEOUT_S
    ) -> None:
        if timeout_s <= 0:
            raise ValueError("timeout_s must be > 0")
        self.before = DoorState(before)
        self.started_at = started_at
        self.timeout_s = timeout_s
        self.outcome: OpenOutcome | None = None
        self.door_was_read = False
        self.last_door: DoorState = DoorState.UNKNOWN

    def update(self, door: DoorState, now: float) -> OpenOutcome | None:
        if self.outcome is not None:
            return self.outcome
        door = DoorState(door)
        self.last_door = door
        if door is not DoorState.UNKNOWN:
            self.door_was_read = True
        if self.before is DoorState.OPEN:
            self.outcome = OpenOutcome.ALREADY_OPEN
        elif door is DoorState.OPEN:
            self.outcome = OpenOutcome.OPENED
        elif now - self.started_at >= self.timeout_s:
            self.outcome = OpenOutcome.JAMMED
        return self.outcome


class DoorEventKind(StrEnum):
    OPENED = "opened"  # opened after the host commanded it
    CLOSED = "closed"
    FORCED_OPEN = "forced_open"  # opened with no command behind it


@dataclass(frozen=True)
class DoorEvent:
    kind: DoorEventKind
    compartment_id: str
    at: float


class DoorMonitor:
    """Feed it every read_states() result; it reports door transitions.

    An UNKNOWN reading changes nothing (the last known state stands), so a board that
    drops out and comes back with a door now open still yields an event. A door's first
    known state yields no event. Commands expire after `command_window_s`.
    """

    def __init__(self, command_window_s: float = DEFAULT_COMMAND_WINDOW_S) -> None:
        self.command_window_s = command_window_s
        self._known: dict[str, DoorState] = {}
        self._commanded: dict[str, float] = {}
        self._open_since: dict[str, float] = {}

    def expect_open(self, compartment_id: str, now: float) -> None:
        """The host is about to fire this lock: an opening soon after is commanded."""
        self._commanded[compartment_id] = now

    def update(self, readings: Mapping[str, CompartmentReading], now: float) -> list[DoorEvent]:
        events: list[DoorEvent] = []
        for cid, reading in readings.items():
            door = reading.door
            if door is DoorState.UNKNOWN:
                continue
            previous = self._known.get(cid)
            self._known[cid] = door
            if door is DoorState.OPEN and previous is not DoorState.OPEN:
                self._open_since[cid] = now
            if door is DoorState.CLOSED:
                self._open_since.pop(cid, None)
            if previous is door:
                continue
            if door is DoorState.OPEN:
                commanded_at = self._commanded.pop(cid, None)
                commanded = commanded_at is not None and now - commanded_at <= self.command_window_s
                if previous is None and not commanded:
                    continue  # found open with no history: not an event
                kind = DoorEventKind.OPENED if commanded else DoorEventKind.FORCED_OPEN
            elif previous is None:
                continue
            else:
                kind = DoorEventKind.CLOSED
            events.append(DoorEvent(kind, cid, now))
        for cid, at in list(self._commanded.items()):
            if now - at > self.command_window_s:
                del self._commanded[cid]
        return events

    def state(self, compartment_id: str) -> DoorState:
        return self._known.get(compartment_id, DoorState.UNKNOWN)

    def open_since(self) -> dict[str, float]:
        """Doors known open, with the time they were first seen open (for reminders)."""
        return dict(self._open_since)
