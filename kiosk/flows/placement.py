"""Which free compartment a parcel goes into.

Sizes from the parcel's own upward (the configured order, smallest first), fill order
(column, row) within a size. Compartments a seated person can reach go first to parcels
flagged for them and are otherwise kept free while anything else is.

Where the board reports occupancy, a door whose sensor reads full is never chosen, even
if the cache says it is free: `sensor_full` (the courier flow's occupancy check) is asked
for each candidate and raises the alarm for the disagreement.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from kiosk.flows.courier_view import CourierSettings
from kiosk.flows.ports import Compartment, Parcel, Store


class Placement:
    def __init__(self, store: Store, settings: CourierSettings, *,
                 sensor_full: Callable[[str], bool] = lambda _cid: False) -> None:
        self._store = store
        self.settings = settings
        self._sensor_full = sensor_full

    def sizes(self, min_size: str | None, larger_than: str | None = None) -> list[str]:
        """Sizes to try, smallest first: the parcel's, then each larger one."""
        order = list(self.settings.size_order)
        if min_size and min_size not in order:
            # An operator's own size: only its own compartments, no fallback order.
            return [min_size] if larger_than is None else []
        low = order.index(min_size) if min_size else 0
        if larger_than is not None:
            low = max(low, order.index(larger_than) + 1 if larger_than in order
                      else len(order))
        return order[low:]

    def choose(self, parcel: Parcel, *, larger_than: str | None = None,
               exclude: Collection[str] = ()) -> Compartment | None:
        """The compartment for `parcel` (strictly larger than `larger_than` when the
        parcel did not fit), skipping `exclude`; None when nothing fits."""
        for size in self.sizes(parcel.size or None, larger_than):
            free = [c for c in self._store.free_compartments(size)
                    if c.compartment_id not in exclude
                    and not self._sensor_full(c.compartment_id)]
            if free:
                return self._prefer(parcel, free)
        return None

    def _prefer(self, parcel: Parcel, free: Sequence[Compartment]) -> Compartment:
        s = self.settings
        if parcel.accessible and s.accessible_first:
            return min(free, key=lambda c: not c.accessible)  # min is stable: fill order kept
        if s.keep_accessible_free:
            return min(free, key=lambda c: c.accessible)
        return free[0]
