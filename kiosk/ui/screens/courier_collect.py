"""Collection: expired and cancelled parcels, door after door, each removal confirmed; a
label scanned or typed on the list opens that parcel's door alone."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.flows.courier_view import CollectStatus, CourierScreen, CourierView
from kiosk.ui.screens.base import ScreenContext
from kiosk.ui.screens.courier_door import CourierDoorScreen
from kiosk.ui.widgets.status_icon import IconKind

COLLECT_SCREENS = (
    CourierScreen.collect_list, CourierScreen.collect_opening, CourierScreen.collect_open,
    CourierScreen.collect_confirm, CourierScreen.collect_done,
)


class CollectScreen(CourierDoorScreen):
    name = "courier_collect"
    table_name = "collect_items"
    typing_screens = frozenset({CourierScreen.collect_list})

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.items = self.table
        # The two-button screens keep their old names for the tests and the guides.
        self.secondary = self.first
        self.retranslate()

    def show_view(self, view: CourierView) -> None:
        items = view.collect
        current = items[view.collect_index].door if 0 <= view.collect_index < len(items) \
            else view.door
        self.door.show_door(current, view.locker_map)
        super().show_view(view)

    def _status(self, status: CollectStatus) -> str:
        return {
            CollectStatus.pending: self.tr("to collect"),
            CollectStatus.collected: self.tr("collected"),
            CollectStatus.skipped: self.tr("left in place"),
            CollectStatus.door_failed: self.tr("door did not open"),
        }[status]

    def _reason(self, reason: str) -> str:
        return {"expired": self.tr("expired"), "cancelled": self.tr("cancelled")}.get(
            reason, reason)

    def retranslate(self) -> None:
        super().retranslate()
        view: CourierView | None = self.view
        screen = view.screen if view is not None else CourierScreen.collect_list
        items = view.collect if view is not None else ()
        self._show_door(screen in (CourierScreen.collect_opening, CourierScreen.collect_open,
                                   CourierScreen.collect_confirm))
        menu = (self.tr("Menu"), "back_to_menu")
        label = self.door.door_label.text()
        index = (view.collect_index + 1) if view is not None else 0
        pending = sum(i.status is CollectStatus.pending for i in items)
        if screen is CourierScreen.collect_opening:
            self.icon.set_kind(IconKind.DOOR)
            self.title.setText(self.tr("Opening door %1…").replace("%1", label))
            self.body.setText(self.tr("Door %1 of %2").replace("%1", str(index))
                              .replace("%2", str(len(items))))
            self._buttons(None, None, None)
        elif screen is CourierScreen.collect_open:
            self.icon.set_kind(IconKind.DOOR)
            self.title.setText(self.tr("Take the parcels from door %1").replace("%1", label))
            self.body.setText(self.tr("Then close the door. Door %1 of %2.")
                              .replace("%1", str(index)).replace("%2", str(len(items))))
            self._buttons((self.tr("Nothing to take"), "not_removed"), None,
                          (self.tr("Parcels taken"), "confirm_removed"))
        elif screen is CourierScreen.collect_confirm:
            self.icon.set_kind(IconKind.WARNING)
            self.title.setText(self.tr("Did you take the parcels from door %1?")
                               .replace("%1", label))
            self.body.setText(self.tr("The door is closed. Tell us what happened."))
            self._buttons((self.tr("No, they are still inside"), "not_removed"), None,
                          (self.tr("Yes, taken"), "confirm_removed"))
        elif screen is CourierScreen.collect_done and not items:
            self.icon.set_kind(IconKind.SUCCESS)
            self.title.setText(self.tr("Nothing to collect"))
            self.body.setText(self.tr("No parcel at this locker has expired or been "
                                      "cancelled."))
            self._buttons(None, None, menu)
        elif screen is CourierScreen.collect_done:
            self.icon.set_kind(IconKind.SUCCESS)
            count = view.collected_count if view is not None else 0
            self.title.setText(self.tr("Collection finished"))
            self.body.setText(self.tr("%n parcel(s) collected.", "", count) if count else
                              self.tr("No parcel was taken."))
            self._buttons(None, None, menu)
        else:
            self.icon.set_kind(IconKind.INFO)
            count = sum(len(i.parcel_ids) for i in items)
            self.title.setText(self.tr("Parcels to collect: %n", "", count))
            refused = view.label_refused if view is not None else None
            if refused:
                self.icon.set_kind(IconKind.ERROR)
                self.body.setText(self.tr("Label %1 is not among the parcels to collect.")
                                  .replace("%1", refused))
            elif pending:
                self.body.setText(self.tr(
                    "Doors open one after another. Scan or type a label to open its door."))
            if pending:
                self._buttons(menu, (self.tr("Type the label"), "type_label"),
                              (self.tr("Start opening doors"), "collect_begin"))
            else:
                self.body.setText(self.tr("Nothing to collect at this locker."))
                self._buttons(None, None, menu)
        self.items.set_headers([self.tr("Door"), self.tr("Parcels"), self.tr("Why"),
                                self.tr("Status")])
        self.items.set_rows([
            (i.door.label, ", ".join(i.barcodes or i.parcel_ids),
             ", ".join(self._reason(r) for r in i.reasons), self._status(i.status))
            for i in items
        ])
