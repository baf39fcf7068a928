"""Deposit: scan or type a label, the kiosk picks and opens a compartment, load it,
close it. A larger compartment than the parcel's size is offered, never imposed."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.flows.courier_view import CourierScreen, CourierView, DepositRefusal
from kiosk.ui.screens.base import ScreenContext
from kiosk.ui.screens.courier_door import CourierDoorScreen
from kiosk.ui.widgets.status_icon import IconKind

DEPOSIT_SCREENS = (
    CourierScreen.deposit_scan, CourierScreen.deposit_refused, CourierScreen.deposit_opening,
    CourierScreen.deposit_open, CourierScreen.no_compartment, CourierScreen.deposit_fallback,
)


class DepositScreen(CourierDoorScreen):
    name = "courier_deposit"
    table_name = "tally"
    typing_screens = frozenset({CourierScreen.deposit_scan, CourierScreen.deposit_refused,
                                CourierScreen.no_compartment})

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.tally = self.table
        self.retranslate()

    def show_view(self, view: CourierView) -> None:
        self.door.show_door(view.door, view.locker_map)
        super().show_view(view)

    def retranslate(self) -> None:
        super().retranslate()
        view: CourierView | None = self.view
        screen = view.screen if view is not None else CourierScreen.deposit_scan
        menu = (self.tr("Menu"), "back_to_menu")
        typed = (self.tr("Type the label"), "type_label")
        door = view.door.label if view is not None and view.door else ""
        self._show_door(screen in (CourierScreen.deposit_opening, CourierScreen.deposit_open,
                                   CourierScreen.deposit_fallback))
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
        elif screen is CourierScreen.deposit_fallback:
            self.icon.set_kind(IconKind.WARNING)
            want = (view.parcel_size if view is not None else "") or "?"
            offer = (view.compartment_size if view is not None else "") or "?"
            self.title.setText(self.tr("No %1 free: use %2?").replace("%1", want)
                               .replace("%2", offer))
            self.body.setText(
                self.tr("Every size %1 compartment is taken. Door %2 (size %3) is free.")
                .replace("%1", want).replace("%2", door).replace("%3", offer))
            self._buttons((self.tr("No, keep the parcel"), "cancel_deposit"), None,
                          (self.tr("Yes, use %1").replace("%1", offer), "accept_larger"))
        elif screen is CourierScreen.deposit_refused:
            self.icon.set_kind(IconKind.ERROR)
            self.title.setText(self._refusal_title(view))
            self.body.setText(self.tr("Keep this parcel and scan the next one."))
            self._buttons(menu, typed, (self.tr("Scan the next parcel"), "start_deposit"))
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
                self.body.setText(self.tr(
                    "Hold the label to the camera, or type it if it will not scan."))
            self._buttons(None, typed, (self.tr("Done depositing"), "back_to_menu"))
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
