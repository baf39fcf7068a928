"""Thank you: all doors are closed; "reopen door" while the flow still offers it."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.flows.pickup_view import PickupView
from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.widgets.status_icon import IconKind
from kiosk.ui.widgets.touch_button import TouchButton


class DoneScreen(Screen):
    name = "done"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        title_row, self.title, self.icon = self.make_title_row(IconKind.SUCCESS)
        self.body = make_label("body", self)
        self.reopen = TouchButton("", "secondary", self)
        self.reopen.setObjectName("reopen")
        self.finish = TouchButton("", "primary", self)
        self.finish.setObjectName("finish")
        outer.addLayout(title_row)
        outer.addWidget(self.body)
        outer.addStretch(1)
        row = self.make_actions_row(self.reopen, self.finish)
        row.setStretch(0, 1)
        row.setStretch(1, 1)
        outer.addLayout(row)
        self.reopen.clicked.connect(self.ctx.actions.reopen)
        self.finish.clicked.connect(self.ctx.actions.cancel)
        self.retranslate()

    def retranslate(self) -> None:
        view: PickupView | None = self.view
        self.title.setText(self.tr("Thank you!"))
        self.body.setText(self.tr("The door is closed. Have a nice day."))
        remaining = view.reopen_remaining_s if view is not None else None
        self.reopen.setVisible(remaining is not None)
        label = view.door.label if view is not None and view.door else ""
        if remaining is not None:
            # The number and its unit never part at a line break (non-breaking space).
            self.reopen.setText(
                self.tr("Forgot something? Reopen door %1 (%n s)", "", remaining)
                .replace("%1", label)
            )
        self.finish.setText(self.tr("Finish"))
