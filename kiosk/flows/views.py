"""Shared pieces of the view snapshots the flows hand to the UI.

A view is frozen and complete: a screen renders it without calling back into a flow,
and two equal views render the same pixels (the runner only delivers changed views).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.flows.ports import Compartment

# The UI shows an idle-timeout countdown only in the last seconds of a screen.
COUNTDOWN_VISIBLE_S = 10


@dataclass(frozen=True)
class DoorPlace:
    """A door as the customer sees it: its label and where it sits on the locker map."""

    label: str  # compartment id, printed on the door ("A07")
    column: int  # 0 = leftmost column
    row: int  # 0 = top row

    @classmethod
    def of(cls, compartment: Compartment) -> DoorPlace:
        return cls(compartment.compartment_id, compartment.column, compartment.row)


@dataclass(frozen=True)
class LockerMap:
    """Every door of the bank, for drawing the map the current door is highlighted on."""

    columns: int
    rows: int
    doors: tuple[DoorPlace, ...]

    @classmethod
    def of(cls, compartments: Iterable[Compartment]) -> LockerMap:
        doors = tuple(sorted((DoorPlace.of(c) for c in compartments),
                             key=lambda d: (d.column, d.row)))
        columns = max((d.column for d in doors), default=-1) + 1
        rows = max((d.row for d in doors), default=-1) + 1
        return cls(columns, rows, doors)


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
