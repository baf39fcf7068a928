"""The courier's menu: deposit, collect, check compartments, log out; what waits at this
locker (parcels to deposit and to collect, free compartments by size) and the visit's
tally."""

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
        self.expected = make_label("body", self)
        self.expected.setObjectName("waiting_expected")
        self.to_collect = make_label("body", self)
        self.to_collect.setObjectName("waiting_collect")
        self.free = make_label("body", self)
        self.free.setObjectName("waiting_free")
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
        # What waits, two facts a line: a 480-line panel has no room for four.
        self.facts = QGridLayout()
        self.facts.addWidget(self.expected, 0, 0)
        self.facts.addWidget(self.to_collect, 0, 1)
        self.facts.addWidget(self.free, 1, 0)
        self.facts.addWidget(self.summary, 1, 1)
        outer.addLayout(self.facts)
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
        waiting = view.waiting if view is not None else None
        expected = waiting.expected if waiting else 0
        to_collect = waiting.to_collect if waiting else 0
        self.expected.setText(self.tr("To deposit here: %n parcel(s) expected.", "",
                                      expected))
        self.to_collect.setText(self.tr("To collect: %n parcel(s).", "", to_collect))
        free = waiting.free_by_size if waiting else ()
        self.free.setText(
            self.tr("Free compartments: %1").replace(
                "%1", "   ".join(f"{size} {n}" for size, n in free))
            if free else self.tr("No compartment is free."))
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
        self.facts.setHorizontalSpacing(m.gap)
        self.facts.setVerticalSpacing(m.px(12))
        outer = self.layout()
        if outer is not None:
            outer.setSpacing(m.px(16))
