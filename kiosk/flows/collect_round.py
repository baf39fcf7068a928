"""One collection round: the doors holding parcels a courier must take away, in door
order, and what became of each (collected, skipped, door failed)."""

from __future__ import annotations

from dataclasses import replace

from kiosk.flows.courier_view import CollectItem, CollectStatus
from kiosk.flows.ports import Compartment, Parcel, Store
from kiosk.flows.views import LockerMap


class CollectRound:
    def __init__(self, store: Store, where: LockerMap) -> None:
        by_comp = {c.compartment_id: c for c in store.compartments()}
        grouped: dict[str, list[Parcel]] = {}
        for p in store.parcels_to_collect():
            if p.compartment_id in by_comp:
                grouped.setdefault(p.compartment_id, []).append(p)
        self.doors: list[tuple[Compartment, tuple[Parcel, ...]]] = [
            (by_comp[cid], tuple(ps)) for cid, ps in sorted(grouped.items())]
        self.items: list[CollectItem] = [
            CollectItem(where.place(comp.compartment_id), tuple(p.parcel_id for p in ps),
                        tuple(p.barcode or "" for p in ps), tuple(str(p.state) for p in ps))
            for comp, ps in self.doors]
        self.index = 0

    @property
    def current(self) -> tuple[Compartment, tuple[Parcel, ...]]:
        return self.doors[self.index]

    @property
    def current_item(self) -> CollectItem:
        return self.items[self.index]

    @property
    def collected(self) -> int:
        return sum(i.status is CollectStatus.collected for i in self.items)

    def mark(self, status: CollectStatus) -> None:
        self.items[self.index] = replace(self.items[self.index], status=status)

    def seek_pending(self) -> bool:
        """Move to the first pending door from here on; False when none is left."""
        while self.index < len(self.items) and \
                self.items[self.index].status is not CollectStatus.pending:
            self.index += 1
        return self.index < len(self.items)

    def advance(self) -> bool:
        self.index += 1
        return self.seek_pending()
