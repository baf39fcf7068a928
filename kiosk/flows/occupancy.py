"""Occupancy sensors against the cache.

`OccupancyCheck`: which compartments read full when they should be empty, or the
reverse. Only boards with sensors (CU16 infrared bits) report occupancy; a compartment
without a reading is never flagged. A new disagreement is an alarm event
(`compartment.occupancy_mismatch`, audited as an alarm).

`ClaimCheck`: doors the central service says are full on a cache rebuilt from nothing
(unverified claims, `sync.cache.claims`) are settled by their sensor on the first poll
that knows them: a closed door that reads full is confirmed (its parcel is stored there
and its code works), one that reads empty is refuted (an alarm). A door holding more than
one claim, or without a sensor, waits for the technician. Runs as a runner observer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from kiosk.flows.courier_view import Mismatch
from kiosk.flows.ports import (
    Actor,
    ActorKind,
    DoorReading,
    DoorState,
    EventType,
    RecordRefused,
    Store,
)
from kiosk.flows.views import LockerMap

log = logging.getLogger(__name__)

SENSOR = Actor(ActorKind.SYSTEM, "occupancy-sensor")


def mismatch_event(store: Store, cid: str, *, sensor_full: bool, expected: bool,
                   actor: Actor, context: str) -> None:
    """The one alarm for a sensor that disagrees with what the kiosk knows."""
    store.record_event(
        EventType.COMPARTMENT_OCCUPANCY_MISMATCH, actor=actor, compartment_id=cid,
        data={"sensor": "occupied" if sensor_full else "empty",
              "expected": "occupied" if expected else "empty", "context": context})


class OccupancyCheck:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._mismatches: dict[str, Mismatch] = {}

    @property
    def mismatches(self) -> tuple[Mismatch, ...]:
        return tuple(self._mismatches.values())

    def check(self, cid: str, reading: DoorReading | None, *, expected: bool,
              where: LockerMap, actor: Actor, context: str = "compartment check") -> bool:
        """Compare one reading; a new mismatch is an alarm event, a cured one leaves the
        list. True when the sensor disagrees."""
        if reading is None or reading.occupied is None:
            return False
        if bool(reading.occupied) == expected:
            self._mismatches.pop(cid, None)
            return False
        if cid not in self._mismatches:
            mismatch_event(self._store, cid, sensor_full=bool(reading.occupied),
                           expected=expected, actor=actor, context=context)
        self._mismatches[cid] = Mismatch(where.place(cid), expected, bool(reading.occupied))
        return True


class ClaimCheck:
    def __init__(self, store: Store, monotonic: Callable[[], float], *,
                 refresh_s: float = 5.0) -> None:
        self._store = store
        self._monotonic = monotonic
        self._refresh_s = refresh_s
        self._doors: Mapping[str, int] = {}
        self._read_at: float | None = None

    def refresh(self) -> None:
        """Read the unverified doors again (after a pull, or when the technician acted)."""
        self._read_at = None

    def on_door_states(self, readings: Mapping[str, DoorReading]) -> None:
        now = self._monotonic()
        if self._read_at is None or now - self._read_at >= self._refresh_s:
            self._doors = self._store.unverified_doors()
            self._read_at = now
        if not self._doors:
            return
        settled = False
        for cid, claimed in self._doors.items():
            reading = readings.get(cid)
            if reading is None or reading.occupied is None or reading.door != DoorState.CLOSED:
                continue
            if claimed != 1 and reading.occupied:
                continue  # the sensor cannot count parcels: the technician decides
            try:
                if reading.occupied:
                    stored = self._store.verify_door(cid, actor=SENSOR,
                                                     how="occupancy sensor reads full")
                    log.warning("door %s confirmed by its sensor: %s stored", cid, stored)
                else:
                    self._store.refute_door(cid, actor=SENSOR,
                                            how="occupancy sensor reads empty")
                    log.warning("door %s claimed full by the central service reads empty",
                                cid)
            except RecordRefused as exc:
                log.error("door %s not settled: %s", cid, exc)
            settled = True
        if settled:
            self.refresh()
