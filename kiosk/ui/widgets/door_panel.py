"""Where a door is: the label in huge type, its place in words, and the locker map."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.flows.views import DoorPlace, LockerMap
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.locker_map import LockerMap as LockerMapWidget
from kiosk.ui.widgets.locker_map import MapCell


class Grid:
    """The bank's doors shifted so the top-left door is column 0, row 0.

    Layouts number rows from 0 or from 1 depending on where they come from; the map and
    the words ("row 2 from the top") must not depend on that.
    """

    def __init__(self, bank: tuple[DoorPlace, ...], opened: tuple[DoorPlace, ...]) -> None:
        everything = bank + opened
        self.first_column = min((d.column for d in everything), default=0)
        self.first_row = min((d.row for d in everything), default=0)
        self.columns = max((d.column for d in everything), default=0) - self.first_column + 1
        self.rows = max((d.row for d in everything), default=0) - self.first_row + 1

    def cell(self, door: DoorPlace) -> MapCell:
        return MapCell(door.label, door.column - self.first_column, door.row - self.first_row)

    def place(self, door: DoorPlace) -> DoorPlace:
        cell = self.cell(door)
        return DoorPlace(cell.label, cell.column, cell.row)


def area_name(door: DoorPlace, columns: int, rows: int) -> str:
    """Where the door sits in words ("lower left"), from its column and row."""
    def third(index: int, count: int) -> int:
        if count <= 1:
            return 1
        return min(2, index * 3 // count)

    vertical = third(door.row, rows)
    horizontal = third(door.column, columns)
    names = {
        (0, 0): QCoreApplication.translate("DoorPosition", "top left"),
        (0, 1): QCoreApplication.translate("DoorPosition", "top middle"),
        (0, 2): QCoreApplication.translate("DoorPosition", "top right"),
        (1, 0): QCoreApplication.translate("DoorPosition", "middle left"),
        (1, 1): QCoreApplication.translate("DoorPosition", "in the middle"),
        (1, 2): QCoreApplication.translate("DoorPosition", "middle right"),
        (2, 0): QCoreApplication.translate("DoorPosition", "lower left"),
        (2, 1): QCoreApplication.translate("DoorPosition", "lower middle"),
        (2, 2): QCoreApplication.translate("DoorPosition", "lower right"),
    }
    return names[(vertical, horizontal)]


def position_text(door: DoorPlace, columns: int, rows: int) -> str:
    return QCoreApplication.translate(
        "DoorPosition", "Column %1, row %2 from the top: %3"
    ).replace("%1", str(door.column + 1)).replace("%2", str(door.row + 1)).replace(
        "%3", area_name(door, columns, rows)
    )



class DoorPanel(QWidget):
    """Door label, its place in words and the map, side by side (or stacked)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.door_label = QLabel(self)
        self.door_label.setObjectName("door_label")
        self.door_label.setProperty("role", "door")
        self.door_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.position = QLabel(self)
        self.position.setObjectName("door_position")
        self.position.setWordWrap(True)
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.map = LockerMapWidget(self)
        self.map.setObjectName("locker_map")
        left = QVBoxLayout()
        left.addStretch(1)
        left.addWidget(self.door_label)
        left.addWidget(self.position)
        left.addStretch(1)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addLayout(left, 3)
        self.box.addWidget(self.map, 2)
        self._door: DoorPlace | None = None
        self._grid = Grid((), ())

    def show_door(self, door: DoorPlace | None, bank: LockerMap,
                  opened: tuple[DoorPlace, ...] = ()) -> None:
        self._door = door
        extra = opened + ((door,) if door else ())
        self._grid = Grid(bank.doors, extra)
        self.map.show_doors(
            [self._grid.cell(d) for d in bank.doors],
            [self._grid.cell(d) for d in extra],
            door.label if door else None,
            (self._grid.columns, self._grid.rows),
        )
        self.retranslate()

    def retranslate(self) -> None:
        door = self._door
        self.door_label.setText(door.label if door else "")
        self.position.setText(
            position_text(self._grid.place(door), self._grid.columns, self._grid.rows)
            if door else ""
        )

    def apply_metrics(self, m: Metrics) -> None:
        size = min(m.huge, int(m.height * 0.16))
        self.door_label.setStyleSheet(f"font-size: {size}px;")
        self.box.setSpacing(m.gap)
        self.box.setDirection(
            QBoxLayout.Direction.TopToBottom if m.portrait else QBoxLayout.Direction.LeftToRight
        )
