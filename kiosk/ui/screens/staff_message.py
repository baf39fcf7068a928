"""Out of service for couriers and technicians: the lock board does not answer, or the
locker has no data from the central service yet."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.widgets.status_icon import IconKind
from kiosk.ui.widgets.touch_button import TouchButton


class StaffOutOfServiceScreen(Screen):
    name = "staff_out_of_service"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        title_row, self.title, self.icon = self.make_title_row(IconKind.WARNING)
        self.body = make_label("body", self)
        self.logout = TouchButton("", "primary", self)
        self.logout.setObjectName("logout")
        outer.addLayout(title_row)
        outer.addWidget(self.body)
        outer.addStretch(1)
        outer.addLayout(self.make_actions_row(self.logout))
        self.logout.clicked.connect(self._logout)
        self.retranslate()

    def _logout(self) -> None:
        if self.ctx.modes is not None:
            self.ctx.modes.call("logout")

    def retranslate(self) -> None:
        if str(getattr(getattr(self, "view", None), "screen", "")) == "not_ready":
            self.title.setText(self.tr("This locker is not set up yet"))
            self.body.setText(self.tr("It has no data from the central service yet, so no "
                                      "login can be checked. Check the network; try again "
                                      "in a few minutes."))
        else:
            self.title.setText(self.tr("The lock board does not answer"))
            self.body.setText(self.tr("No door can be opened. Check the board's power and "
                                      "the RS-485 cable; the screen comes back by itself."))
        self.logout.setText(self.tr("Log out"))
