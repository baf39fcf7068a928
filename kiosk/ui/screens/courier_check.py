"""Result of the empty-compartment check: where the occupancy sensor disagrees."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.flows.courier_view import CourierView
from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.status_icon import IconKind
from kiosk.ui.widgets.table import TouchTable
from kiosk.ui.widgets.touch_button import TouchButton


class CheckResultScreen(Screen):
    name = "courier_check"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        title_row, self.title, self.icon = self.make_title_row(IconKind.INFO)
        self.body = make_label("body", self)
        self.table = TouchTable(self)
        self.table.setObjectName("mismatches")
        self.menu = TouchButton("", "primary", self)
        self.menu.setObjectName("menu")
        outer.addLayout(title_row)
        outer.addWidget(self.body)
        outer.addWidget(self.table, 1)
        outer.addLayout(self.make_actions_row(self.menu))
        self.menu.clicked.connect(self._menu)
        self.retranslate()

    def _menu(self) -> None:
        if self.ctx.modes is not None:
            self.ctx.modes.call("back_to_menu")

    def _occupancy(self, occupied: bool) -> str:
        return self.tr("occupied") if occupied else self.tr("empty")

    def retranslate(self) -> None:
        view: CourierView | None = self.view
        mismatches = view.mismatches if view is not None else ()
        supported = view.occupancy_supported if view is not None else False
        self.title.setText(self.tr("Compartment check"))
        if not supported:
            self.icon.set_kind(IconKind.INFO)
            self.body.setText(self.tr("These lock boards have no occupancy sensors."))
        elif mismatches:
            self.icon.set_kind(IconKind.WARNING)
            self.body.setText(self.tr("%n compartment(s) do not match the records.", "",
                                      len(mismatches)))
        else:
            self.icon.set_kind(IconKind.SUCCESS)
            self.body.setText(self.tr("Every compartment matches the records."))
        self.table.setVisible(bool(mismatches))
        self.table.set_headers([self.tr("Door"), self.tr("Should be"), self.tr("Sensor says")])
        self.table.set_rows([
            (m.door.label, self._occupancy(m.expected_occupied), self._occupancy(m.reads_occupied))
            for m in mismatches
        ])
        self.menu.setText(self.tr("Menu"))

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        self.table.apply_row_height(max(40, m.px(56)))
