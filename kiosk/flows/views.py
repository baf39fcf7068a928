"""Shared pieces of the view snapshots the flows hand to the UI.

A view is frozen and complete: a screen renders it without calling back into a flow,
and two equal views render the same pixels (the runner only delivers changed views).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from kiosk.flows.ports import Compartment


class FlowKind(StrEnum):
    """Which flow a view comes from (and so which pages render its screens)."""

    pickup = "pickup"  # customers: the kiosk's home flow
    courier = "courier"
    technician = "technician"


class FlowView(Protocol):
    """What every flow's view says besides its own fields: the UI needs only these to
    pick a page, show the offline badge and the countdown, and end a visit."""

    @property
    def flow(self) -> FlowKind: ...

    @property
    def screen(self) -> StrEnum: ...

    @property
    def offline(self) -> bool: ...

    @property
    def timeout_remaining_s(self) -> int | None: ...

    @property
    def ended(self) -> bool:
        """The visit is over (logged out): the kiosk goes back to its home flow."""
        ...


# The UI shows an idle-timeout countdown only in the last seconds of a screen.
COUNTDOWN_VISIBLE_S = 10


@dataclass(frozen=True)
class DoorPlace:
    """A door as the customer sees it: its label and where it sits on the locker map."""

    label: str  # compartment id, printed on the door ("A07")
    column: int  # 0 = leftmost column
    row: int  # 0 = top row


@dataclass(frozen=True)
class LockerMap:
    """Every door of the bank, for drawing the map the current door is highlighted on.

    Positions are normalised to start at 0, whatever numbering the layout uses."""

    columns: int
    rows: int
    doors: tuple[DoorPlace, ...]

    @classmethod
    def of(cls, compartments: Iterable[Compartment]) -> LockerMap:
        comps = list(compartments)
        if not comps:
            return cls(0, 0, ())
        col0 = min(c.column for c in comps)
        row0 = min(c.row for c in comps)
        doors = tuple(sorted(
            (DoorPlace(c.compartment_id, c.column - col0, c.row - row0) for c in comps),
            key=lambda d: (d.column, d.row)))
        return cls(max(d.column for d in doors) + 1, max(d.row for d in doors) + 1, doors)

    def place(self, compartment_id: str) -> DoorPlace:
        for door in self.doors:
            if door.label == compartment_id:
                return door
        return DoorPlace(compartment_id, -1, -1)  # not on the map: drawn without a place


EMPTY_MAP = LockerMap(0, 0, ())


def countdown(deadline: float | None, now: float, visible_s: float = COUNTDOWN_VISIBLE_S
              ) -> int | None:
    """Whole seconds left before `deadline`, or None while the countdown is not shown."""
    if deadline is None:
        return None
    left = deadline - now
    if left > visible_s:
        return None
    return max(0, int(left + 0.999))
