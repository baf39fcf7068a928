"""Deposit: scan a label, the kiosk picks and opens a compartment, load it, close it."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.flows.courier_view import CourierScreen, CourierView, DepositRefusal
from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.door_panel import DoorPanel
from kiosk.ui.widgets.status_icon import IconKind
from kiosk.ui.widgets.table import TouchTable
from kiosk.ui.widgets.touch_button import TouchButton

DEPOSIT_SCREENS = (
    CourierScreen.deposit_scan, CourierScreen.deposit_refused, CourierScreen.deposit_opening,
    CourierScreen.deposit_open, CourierScreen.no_compartment,
)


class DepositScreen(Screen):
    name = "courier_deposit"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        title_row, self.title, self.icon = self.make_title_row(IconKind.INFO)
        self.body = make_label("body", self)
        self.body.setObjectName("deposit_body")
        self.door = DoorPanel(self)
        self.tally = TouchTable(self)
        self.tally.setObjectName("tally")
        outer.addLayout(title_row)
        outer.addWidget(self.body)
        outer.addWidget(self.door, 1)
        outer.addWidget(self.tally, 1)
        self.first = TouchButton("", "secondary", self)
        self.first.setObjectName("first")
        self.second = TouchButton("", "secondary", self)
        self.second.setObjectName("second")
        self.primary = TouchButton("", "primary", self)
        self.primary.setObjectName("primary")
        self.row = self.make_actions_row(self.first, self.second, self.primary)
        outer.addLayout(self.row)
        self._actions = {"first": "back_to_menu", "second": "", "primary": "back_to_menu"}
        self.first.clicked.connect(lambda: self._act("first"))
        self.second.clicked.connect(lambda: self._act("second"))
        self.primary.clicked.connect(lambda: self._act("primary"))
        self.retranslate()

    def _act(self, which: str) -> None:
        name = self._actions.get(which)
        if name and self.ctx.modes is not None:
            self.ctx.modes.call(name)

    def show_view(self, view: CourierView) -> None:
        self.door.show_door(view.door, view.locker_map)
        super().show_view(view)

    def _buttons(self, *specs: tuple[str, str] | None) -> None:
        for key, button, spec in zip(("first", "second", "primary"),
                                     (self.first, self.second, self.primary), specs,
                                     strict=True):
            button.setVisible(spec is not None)
            if spec is not None:
                button.setText(spec[0])
                self._actions[key] = spec[1]

    def retranslate(self) -> None:
        view: CourierView | None = self.view
        screen = view.screen if view is not None else CourierScreen.deposit_scan
        menu = (self.tr("Menu"), "back_to_menu")
        door = view.door.label if view is not None and view.door else ""
        at_door = screen in (CourierScreen.deposit_opening, CourierScreen.deposit_open)
        self.door.setVisible(at_door)
        self.tally.setVisible(not at_door)
        self.door.retranslate()
        if screen is CourierScreen.deposit_opening:
            self.icon.set_kind(IconKind.DOOR)
            self.title.setText(self.tr("Opening door %1…").replace("%1", door))
            self.body.setText(self.tr("Wait for the door to spring open."))
            self._buttons(None, None, None)
        elif screen is CourierScreen.deposit_open:
            self.icon.set_kind(IconKind.DOOR)
            self.title.setText(self.tr("Put the parcel in door %1").replace("%1", door))
            size = view.compartment_size if view is not None else ""
            self.body.setText(
                self.tr("Size %1. Close the door when the parcel is in.").replace(
                    "%1", size or "?")
            )
            self._buttons((self.tr("Cancel"), "cancel_deposit"),
                          (self.tr("Door did not open"), "door_didnt_open"),
                          (self.tr("Parcel does not fit"), "doesnt_fit"))
        elif screen is CourierScreen.deposit_refused:
            self.icon.set_kind(IconKind.ERROR)
            self.title.setText(self._refusal_title(view))
            self.body.setText(self.tr("Keep this parcel and scan the next one."))
            self._buttons(menu, None, (self.tr("Scan the next parcel"), "start_deposit"))
        elif screen is CourierScreen.no_compartment:
            self.icon.set_kind(IconKind.WARNING)
            self.title.setText(self.tr("No free compartment for this parcel"))
            size = view.parcel_size if view is not None else ""
            self.body.setText(
                self.tr("Nothing of size %1 or larger is free. Keep the parcel.").replace(
                    "%1", size or "?")
            )
            self._buttons(menu, None, (self.tr("Scan the next parcel"), "start_deposit"))
        else:
            self.icon.set_kind(IconKind.INFO)
            self.title.setText(self.tr("Scan the parcel label"))
            last = view.last_deposit if view is not None else None
            if last is not None:
                self.body.setText(
                    self.tr("Last parcel %1 went into door %2.")
                    .replace("%1", last.barcode).replace("%2", last.door.label)
                )
            else:
                self.body.setText(self.tr("Hold the label to the camera or the scanner."))
            self._buttons(None, None, (self.tr("Done depositing"), "back_to_menu"))
        self.tally.set_headers([self.tr("Parcel"), self.tr("Door"), self.tr("Size")])
        tally = view.tally if view is not None else ()
        self.tally.set_rows([(t.barcode, t.door.label, t.size) for t in reversed(tally)])

    def _refusal_title(self, view: CourierView | None) -> str:
        refusal = view.refusal if view is not None else None
        if refusal is DepositRefusal.already_stored:
            return self.tr("This parcel is already in the locker")
        if refusal is DepositRefusal.not_expected:
            return self.tr("This parcel is not to be deposited (%1)").replace(
                "%1", view.parcel_state or "?" if view is not None else "?")
        if refusal is DepositRefusal.no_compartment:
            return self.tr("No free compartment for this parcel")
        return self.tr("This parcel is not announced for this locker")

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        self.door.apply_metrics(m)
        self.tally.apply_row_height(max(40, m.px(56)))
        if m.portrait:
            self.row.setDirection(QBoxLayout.Direction.TopToBottom)
        else:
            self.row.setDirection(QBoxLayout.Direction.LeftToRight)
