"""Watching every door between flows: forced openings and the last known door states.

Every unlock the kiosk sends goes through `DoorWatch.guard(bank)`, which tells the
driver's `DoorMonitor` to expect that door to open. The runner hands every poll to
`on_door_states`: a door that opens with no unlock behind it raises
`compartment.forced_open`, and door/occupancy changes are written to the cache, which is
what the heartbeat reports to the central service.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from kiosk.flows.clock import Clock
from kiosk.flows.ports import (
    Actor,
    ActorKind,
    Bank,
    DoorReading,
    DoorState,
    EventType,
    Store,
    UnlockResult,
)
from locker_driver import CompartmentReading, DoorEventKind, DoorMonitor

log = logging.getLogger(__name__)

SYSTEM = Actor(ActorKind.SYSTEM)


class _GuardedBank:
    def __init__(self, bank: Bank, watch: DoorWatch) -> None:
        self._bank = bank
        self._watch = watch

    def unlock(self, compartment_id: str) -> UnlockResult:
        self._watch.expect_open(compartment_id)
        return self._bank.unlock(compartment_id)

    def read_states(self) -> Mapping[str, DoorReading]:
        return self._bank.read_states()


class DoorWatch:
    def __init__(self, store: Store, clock: Clock, *, command_window_s: float = 15.0) -> None:
        self._store = store
        self._clock = clock
        self._monitor = DoorMonitor(command_window_s)
        self._saved: dict[str, tuple[DoorState, bool | None]] = {}
        self.forced: list[str] = []  # compartments found forced open, in order

    def guard(self, bank: Bank) -> Bank:
        """The bank the flows should use: each unlock is announced to the monitor."""
        return _GuardedBank(bank, self)

    def expect_open(self, compartment_id: str) -> None:
        self._monitor.expect_open(compartment_id, self._clock.monotonic())

    def on_door_states(self, readings: Mapping[str, DoorReading]) -> None:
        typed = {cid: r if isinstance(r, CompartmentReading) else
                 CompartmentReading(door=r.door, occupied=r.occupied)
                 for cid, r in readings.items()}
        for event in self._monitor.update(typed, self._clock.monotonic()):
            if event.kind is DoorEventKind.FORCED_OPEN:
                log.warning("compartment %s opened without a command", event.compartment_id)
                self.forced.append(event.compartment_id)
                self._store.record_event(EventType.COMPARTMENT_FORCED_OPEN, actor=SYSTEM,
                                         compartment_id=event.compartment_id)
        for cid, reading in readings.items():
            now = (reading.door, reading.occupied)
            if reading.door is DoorState.UNKNOWN or self._saved.get(cid) == now:
                continue  # a failed read changes nothing; unchanged states are not rewritten
            self._store.set_door_state(cid, now[0], now[1])
            self._saved[cid] = now
