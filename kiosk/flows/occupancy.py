"""Occupancy sensors against the cache: which compartments read full when they should be
empty, or the reverse. Only boards with sensors (CU16 infrared bits) report occupancy;
a compartment without a reading is never flagged."""

from __future__ import annotations

from kiosk.flows.courier_view import Mismatch
from kiosk.flows.ports import (
    Actor,
    AuditKind,
    DoorReading,
    Store,
)
from kiosk.flows.views import LockerMap


class OccupancyCheck:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._mismatches: dict[str, Mismatch] = {}

    @property
    def mismatches(self) -> tuple[Mismatch, ...]:
        return tuple(self._mismatches.values())

    def check(self, cid: str, reading: DoorReading | None, *, expected: bool,
              where: LockerMap, actor: Actor) -> None:
        """Compare one reading; a new mismatch is audited as an alarm, a cured one
        leaves the list."""
        if reading is None or reading.occupied is None:
            return
        if bool(reading.occupied) == expected:
            self._mismatches.pop(cid, None)
            return
        if cid not in self._mismatches:
            self._store.audit(AuditKind.ALARM, actor=actor, compartment_id=cid,
                              detail=f"occupancy sensor reads "
                                     f"{'occupied' if reading.occupied else 'empty'}, "
                                     f"expected {'occupied' if expected else 'empty'}")
        self._mismatches[cid] = Mismatch(where.place(cid), expected, bool(reading.occupied))
