"""Opening doors from diagnostics: confirm first, then each door's outcome."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.flows.technician_view import OpenAction, TechnicianScreen, TechnicianView
from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.status_icon import IconKind
from kiosk.ui.widgets.table import TouchTable
from kiosk.ui.widgets.touch_button import TouchButton

DOOR_SCREENS = (TechnicianScreen.confirm, TechnicianScreen.opening, TechnicianScreen.opened)


class TechnicianDoorsScreen(Screen):
    name = "technician_doors"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        title_row, self.title, self.icon = self.make_title_row(IconKind.WARNING)
        self.body = make_label("body", self)
        self.table = TouchTable(self)
        self.table.setObjectName("open_results")
        self.cancel = TouchButton("", "secondary", self)
        self.cancel.setObjectName("cancel")
        self.confirm = TouchButton("", "primary", self)
        self.confirm.setObjectName("confirm")
        outer.addLayout(title_row)
        outer.addWidget(self.body)
        self._show_table = self.add_collapsible(outer, self.table)
        row = self.make_actions_row(self.cancel, self.confirm)
        row.setStretch(0, 1)
        row.setStretch(1, 1)
        outer.addLayout(row)
        self._primary = "confirm"
        self.cancel.clicked.connect(lambda: self._call("cancel"))
        self.confirm.clicked.connect(lambda: self._call(self._primary))
        self.retranslate()

    def _call(self, name: str) -> None:
        if self.ctx.modes is not None:
            self.ctx.modes.call(name)

    def _outcome(self, outcome: str) -> str:
        return {
            "opened": self.tr("opened"), "already_open": self.tr("was already open"),
            "jammed": self.tr("did not open"), "not_sent": self.tr("board did not answer"),
            "pending": self.tr("waiting"),
        }.get(outcome, outcome)

    def retranslate(self) -> None:
        view: TechnicianView | None = self.view
        screen = view.screen if view is not None else TechnicianScreen.confirm
        targets = view.targets if view is not None else ()
        results = view.results if view is not None else ()
        labels = ", ".join(t.label for t in targets)
        if screen is TechnicianScreen.confirm:
            self.icon.set_kind(IconKind.WARNING)
            action = view.action if view is not None else OpenAction.one
            if action is OpenAction.all:
                self.title.setText(self.tr("Open all %n door(s)?", "", len(targets)))
            elif action is OpenAction.column:
                self.title.setText(self.tr("Open the %n door(s) of this column?", "",
                                           len(targets)))
            else:
                self.title.setText(self.tr("Open door %1?").replace("%1", labels))
            body = self.tr("Doors open one after another: %1. Every opening is "
                           "recorded with your ID.").replace("%1", labels)
            held = view.held if view is not None else ()
            customers = sorted({h.door.label for h in held if h.state == "stored"})
            collect = sorted({h.door.label for h in held if h.state != "stored"})
            if customers:
                body += " " + self.tr(
                    "%1 holds a customer's parcel: its record stays “in the locker”, so "
                    "leave it inside or the customer's code will open an empty door."
                ).replace("%1", ", ".join(customers))
            if collect:
                body += " " + self.tr(
                    "%1 holds a parcel for a courier to collect: its record does not "
                    "change either.").replace("%1", ", ".join(collect))
            self.body.setText(body)
            self.cancel.setVisible(True)
            self.cancel.setText(self.tr("Cancel"))
            self.confirm.setVisible(True)
            self.confirm.setText(self.tr("Yes, open"))
            self._primary = "confirm"
        elif screen is TechnicianScreen.opening:
            self.icon.set_kind(IconKind.DOOR)
            self.title.setText(self.tr("Opening doors…"))
            self.body.setText(self.tr("%1 of %2 done.").replace(
                "%1", str(sum(r.outcome != "pending" for r in results)))
                .replace("%2", str(len(targets) or len(results))))
            self.cancel.setVisible(False)
            self.confirm.setVisible(False)
        else:
            self.icon.set_kind(IconKind.SUCCESS)
            self.title.setText(self.tr("Doors handled"))
            failed = sum(r.outcome in ("jammed", "not_sent") for r in results)
            self.body.setText(self.tr("%n door(s) did not open.", "", failed) if failed
                              else self.tr("Every door opened."))
            self.cancel.setVisible(False)
            self.confirm.setVisible(True)
            self.confirm.setText(self.tr("Back to the map"))
            self._primary = "show_map"
        self._show_table(bool(results))
        self.table.set_headers([self.tr("Door"), self.tr("Result")])
        self.table.set_rows([(r.door.label, self._outcome(r.outcome)) for r in results])

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        self.table.apply_row_height(max(40, m.px(56)))
