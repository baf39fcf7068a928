"""Collection: expired and cancelled parcels, door after door, each removal confirmed."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.flows.courier_view import CollectStatus, CourierScreen, CourierView
from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.door_panel import DoorPanel
from kiosk.ui.widgets.status_icon import IconKind
from kiosk.ui.widgets.table import TouchTable
from kiosk.ui.widgets.touch_button import TouchButton

COLLECT_SCREENS = (
    CourierScreen.collect_list, CourierScreen.collect_opening, CourierScreen.collect_open,
    CourierScreen.collect_confirm, CourierScreen.collect_done,
)


class CollectScreen(Screen):
    name = "courier_collect"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        title_row, self.title, self.icon = self.make_title_row(IconKind.INFO)
        self.body = make_label("body", self)
        self.body.setObjectName("collect_body")
        self.door = DoorPanel(self)
        self.items = TouchTable(self)
        self.items.setObjectName("collect_items")
        outer.addLayout(title_row)
        outer.addWidget(self.body)
        outer.addWidget(self.door, 1)
        outer.addWidget(self.items, 1)
        self.secondary = TouchButton("", "secondary", self)
        self.secondary.setObjectName("secondary")
        self.primary = TouchButton("", "primary", self)
        self.primary.setObjectName("primary")
        row = self.make_actions_row(self.secondary, self.primary)
        row.setStretch(0, 1)
        row.setStretch(1, 1)
        outer.addLayout(row)
        self._actions = {"secondary": "back_to_menu", "primary": "collect_begin"}
        self.secondary.clicked.connect(lambda: self._act("secondary"))
        self.primary.clicked.connect(lambda: self._act("primary"))
        self.retranslate()

    def _act(self, which: str) -> None:
        name = self._actions.get(which)
        if name and self.ctx.modes is not None:
            self.ctx.modes.call(name)

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

    def _set(self, secondary: tuple[str, str] | None, primary: tuple[str, str] | None) -> None:
        for key, button, spec in (("secondary", self.secondary, secondary),
                                  ("primary", self.primary, primary)):
            button.setVisible(spec is not None)
            if spec is not None:
                button.setText(spec[0])
                self._actions[key] = spec[1]

    def retranslate(self) -> None:
        view: CourierView | None = self.view
        screen = view.screen if view is not None else CourierScreen.collect_list
        items = view.collect if view is not None else ()
        at_door = screen in (CourierScreen.collect_opening, CourierScreen.collect_open,
                             CourierScreen.collect_confirm)
        self.door.setVisible(at_door)
        self.items.setVisible(not at_door)
        self.door.retranslate()
        menu = (self.tr("Menu"), "back_to_menu")
        label = self.door.door_label.text()
        index = (view.collect_index + 1) if view is not None else 0
        if screen is CourierScreen.collect_opening:
            self.icon.set_kind(IconKind.DOOR)
            self.title.setText(self.tr("Opening door %1…").replace("%1", label))
            self.body.setText(self.tr("Door %1 of %2").replace("%1", str(index))
                              .replace("%2", str(len(items))))
            self._set(None, None)
        elif screen is CourierScreen.collect_open:
            self.icon.set_kind(IconKind.DOOR)
            self.title.setText(self.tr("Take the parcels from door %1").replace("%1", label))
            self.body.setText(self.tr("Then close the door. Door %1 of %2.")
                              .replace("%1", str(index)).replace("%2", str(len(items))))
            self._set((self.tr("Nothing to take"), "not_removed"),
                      (self.tr("Parcels taken"), "confirm_removed"))
        elif screen is CourierScreen.collect_confirm:
            self.icon.set_kind(IconKind.WARNING)
            self.title.setText(self.tr("Did you take the parcels from door %1?")
                               .replace("%1", label))
            self.body.setText(self.tr("The door is closed. Tell us what happened."))
            self._set((self.tr("No, they are still inside"), "not_removed"),
                      (self.tr("Yes, taken"), "confirm_removed"))
        elif screen is CourierScreen.collect_done:
            self.icon.set_kind(IconKind.SUCCESS)
            count = view.collected_count if view is not None else 0
            self.title.setText(self.tr("Collection finished"))
            self.body.setText(self.tr("%n parcel(s) collected.", "", count))
            self._set(None, menu)
        else:
            self.icon.set_kind(IconKind.INFO)
            count = sum(len(i.parcel_ids) for i in items)
            self.title.setText(self.tr("Parcels to collect: %n", "", count))
            if items:
                self.body.setText(self.tr("Doors open one after another."))
                self._set(menu, (self.tr("Start opening doors"), "collect_begin"))
            else:
                self.body.setText(self.tr("Nothing to collect at this locker."))
                self._set(None, menu)
        self.items.set_headers([self.tr("Door"), self.tr("Parcels"), self.tr("Why"),
                                self.tr("Status")])
        self.items.set_rows([
            (i.door.label, ", ".join(i.barcodes or i.parcel_ids),
             ", ".join(self._reason(r) for r in i.reasons), self._status(i.status))
            for i in items
        ])

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        self.door.apply_metrics(m)
        self.items.apply_row_height(max(40, m.px(56)))
