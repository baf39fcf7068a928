"""Diagnostics home: the live compartment map and every technician action."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QGridLayout, QVBoxLayout, QWidget

from kiosk.flows.technician_view import MapCell, TechnicianView
from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.compartment_grid import CompartmentGrid, GridCell
from kiosk.ui.widgets.touch_button import TouchButton

ATTENTION_STATES = frozenset({"fault", "out_of_service"})


class TechnicianMapScreen(Screen):
    name = "technician_map"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        self.title = make_label("title", self)
        self.detail = make_label("body", self)
        self.detail.setObjectName("cell_detail")
        self.grid = CompartmentGrid(self)
        self.grid.setObjectName("compartment_grid")
        self.grid.selected.connect(lambda _label: self.retranslate())
        self.buttons: dict[str, TouchButton] = {}
        names = ("open_one", "open_column", "open_all", "service", "bus", "frames",
                 "camera", "sync", "export", "logout")
        nav = ("bus", "frames", "camera", "sync", "export", "logout")
        for key in names:
            variant = "primary" if key == "open_one" else "quiet" if key in nav else "secondary"
            button = TouchButton("", variant, self)
            button.setObjectName(key)
            self.buttons[key] = button
        outer.addWidget(self.title)
        middle = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        middle.addWidget(self.grid, 3)
        side = QVBoxLayout()
        side.addWidget(self.detail)
        side.addStretch(1)
        self.door_actions = QGridLayout()
        self.door_actions.addWidget(self.buttons["service"], 0, 0)
        self.door_actions.addWidget(self.buttons["open_all"], 0, 1)
        self.door_actions.addWidget(self.buttons["open_column"], 1, 0)
        self.door_actions.addWidget(self.buttons["open_one"], 1, 1)
        side.addLayout(self.door_actions)
        middle.addLayout(side, 2)
        self.middle = middle
        self.side = side
        outer.addLayout(middle, 1)
        self.nav = QGridLayout()
        for i, key in enumerate(("bus", "frames", "camera", "sync", "export", "logout")):
            self.nav.addWidget(self.buttons[key], 0, i)
        outer.addLayout(self.nav)
        b = self.buttons
        b["open_one"].clicked.connect(lambda: self._with_cell("open_one"))
        b["open_column"].clicked.connect(self._open_column)
        b["open_all"].clicked.connect(lambda: self._call("open_all"))
        b["service"].clicked.connect(self._toggle_service)
        b["bus"].clicked.connect(lambda: self._call("scan_bus"))
        b["frames"].clicked.connect(lambda: self._call("show_frames"))
        b["camera"].clicked.connect(lambda: self.navigate.emit("camera_test"))
        b["sync"].clicked.connect(lambda: self._call("show_sync"))
        b["export"].clicked.connect(
            lambda: self._call("export", self.ctx.settings.export_dir))
        b["logout"].clicked.connect(lambda: self._call("logout"))
        self.retranslate()

    def _call(self, name: str, *args: object) -> None:
        if self.ctx.modes is not None:
            self.ctx.modes.call(name, *args)

    def _cell(self) -> MapCell | None:
        view: TechnicianView | None = self.view
        label = self.grid.current
        if view is None or label is None:
            return None
        return next((c for c in view.cells if c.door.label == label.split(" ")[0]), None)

    def _with_cell(self, name: str) -> None:
        cell = self._cell()
        if cell is not None:
            self._call(name, cell.door.label)

    def _open_column(self) -> None:
        cell = self._cell()
        if cell is not None:
            self._call("open_column", cell.door.column)

    def _toggle_service(self) -> None:
        cell = self._cell()
        if cell is None:
            return
        if cell.state == "out_of_service":
            self._call("set_in_service", cell.door.label)
        else:
            self._call("set_out_of_service", cell.door.label)

    def _door_word(self, state: str) -> str:
        return {"open": self.tr("open"), "closed": self.tr("closed")}.get(
            state, self.tr("not read"))

    def _state_word(self, state: str) -> str:
        return {
            "free": self.tr("free"), "occupied": self.tr("occupied"),
            "reserved": self.tr("reserved"), "out_of_service": self.tr("out of service"),
            "fault": self.tr("fault"),
        }.get(state, state)

    def _occupancy_word(self, occupied: bool | None) -> str:
        if occupied is None:
            return ""
        return self.tr("sensor: full") if occupied else self.tr("sensor: empty")

    @staticmethod
    def _occupancy_mark(occupied: bool | None) -> str:
        # Filled square: the sensor sees something; hollow: empty. Spelled out in the
        # detail line when the cell is selected.
        return "" if occupied is None else (" \u25a0" if occupied else " \u25a1")

    def retranslate(self) -> None:
        view: TechnicianView | None = self.view
        cells = view.cells if view is not None else ()
        self.grid.set_cells(tuple(
            GridCell(
                c.door.label + self._occupancy_mark(c.occupied), c.door.column, c.door.row,
                (self._door_word(c.door_state), self._state_word(c.state)),
                door_open=c.door_state == "open",
                attention=c.state in ATTENTION_STATES or c.door_state == "unknown",
            )
            for c in cells
        ))
        self.title.setText(self.tr("Diagnostics: %n compartment(s)", "", len(cells)))
        cell = self._cell()
        if cell is None:
            self.detail.setText(self.tr("Tap a compartment to select it."))
        else:
            detail = (
                self.tr("%1, size %2: door %3, %4.")
                .replace("%1", cell.door.label).replace("%2", cell.size)
                .replace("%3", self._door_word(cell.door_state))
                .replace("%4", self._state_word(cell.state))
            )
            occupancy = self._occupancy_word(cell.occupied)
            self.detail.setText(f"{detail} {occupancy}".strip())
        has_cell = cell is not None
        b = self.buttons
        for key in ("open_one", "open_column", "service"):
            b[key].setEnabled(has_cell)
        b["open_one"].setText(self.tr("Open this door"))
        b["open_column"].setText(self.tr("Open its column"))
        b["open_all"].setText(self.tr("Open all doors"))
        b["service"].setText(
            self.tr("Back in service") if cell is not None and cell.state == "out_of_service"
            else self.tr("Out of service")
        )
        b["bus"].setText(self.tr("Bus scan"))
        b["frames"].setText(self.tr("Frame log"))
        b["camera"].setText(self.tr("Camera"))
        b["sync"].setText(self.tr("Sync"))
        b["export"].setText(self.tr("Export"))
        b["logout"].setText(self.tr("Log out"))

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        self.middle.setSpacing(m.gap)
        self.side.setSpacing(m.px(16))
        self.door_actions.setSpacing(m.px(16))
        self.nav.setSpacing(m.px(12))
        small = max(60, m.px(72))
        for key in ("bus", "frames", "camera", "sync", "export", "logout"):
            self.buttons[key].set_min_height(small)
        self.middle.setDirection(
            QBoxLayout.Direction.TopToBottom if m.portrait else QBoxLayout.Direction.LeftToRight
        )
