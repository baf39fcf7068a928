"""The courier's menu: deposit, collect, check compartments, log out; the visit's tally."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.flows.courier_view import CourierView
from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.status_icon import IconKind
from kiosk.ui.widgets.touch_button import TouchButton


class CourierMenuScreen(Screen):
    name = "courier_menu"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        title_row, self.title, self.icon = self.make_title_row(IconKind.INFO)
        self.summary = make_label("body", self)
        self.summary.setObjectName("tally_summary")
        self.faults = make_label("body", self)
        self.faults.setProperty("tone", "error")
        self.deposit = TouchButton("", "primary", self)
        self.deposit.setObjectName("deposit")
        self.collect = TouchButton("", "secondary", self)
        self.collect.setObjectName("collect")
        self.check = TouchButton("", "secondary", self)
        self.check.setObjectName("check")
        self.logout = TouchButton("", "secondary", self)
        self.logout.setObjectName("logout")
        outer.addLayout(title_row)
        outer.addWidget(self.summary)
        outer.addWidget(self.faults)
        outer.addStretch(1)
        self.grid = QGridLayout()
        self.grid.addWidget(self.collect, 0, 0)
        self.grid.addWidget(self.check, 0, 1)
        self.grid.addWidget(self.logout, 1, 0)
        self.grid.addWidget(self.deposit, 1, 1)
        outer.addLayout(self.grid)
        call = self._call
        self.deposit.clicked.connect(lambda: call("start_deposit"))
        self.collect.clicked.connect(lambda: call("start_collect"))
        self.check.clicked.connect(lambda: call("check_compartments"))
        self.logout.clicked.connect(lambda: call("logout"))
        self.retranslate()

    def _call(self, name: str) -> None:
        if self.ctx.modes is not None:
            self.ctx.modes.call(name)

    def retranslate(self) -> None:
        view: CourierView | None = self.view
        name = view.courier_name if view is not None else ""
        count = len(view.tally) if view is not None else 0
        self.title.setText(self.tr("Hello, %1").replace("%1", name or self.tr("courier")))
        self.summary.setText(self.tr("Deposited on this visit: %n parcel(s).", "", count))
        faults = view.faults if view is not None else ()
        self.faults.setVisible(bool(faults))
        if faults:
            self.faults.setText(
                self.tr("Doors reported faulty: %1").replace(
                    "%1", ", ".join(d.label for d in faults))
            )
        self.deposit.setText(self.tr("Deposit parcels"))
        self.collect.setText(self.tr("Collect parcels"))
        self.check.setText(self.tr("Check compartments"))
        self.logout.setText(self.tr("Log out"))

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        self.grid.setSpacing(m.gap)
