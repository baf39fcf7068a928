"""Out of service: the lock board does not answer. Nothing to do but come back later."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.flows.pickup_view import PickupView
from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.widgets.status_icon import IconKind


class OutOfServiceScreen(Screen):
    name = "out_of_service"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        title_row, self.title, self.icon = self.make_title_row(IconKind.WARNING)
        self.body = make_label("body", self)
        self.help = make_label("body", self)
        self.help.setObjectName("help")
        outer.addStretch(1)
        outer.addLayout(title_row)
        outer.addWidget(self.body)
        outer.addWidget(self.help)
        outer.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        view: PickupView | None = self.view
        s = self.ctx.settings
        contact = (view.support_contact if view is not None and view.support_contact else
                   " · ".join(p for p in (s.support_phone, s.support_site) if p))
        self.title.setText(self.tr("Out of service"))
        self.body.setText(
            self.tr("This locker cannot open doors right now. Our team has been told "
                    "and will fix it. Your parcel is safe; please come back later.")
        )
        self.help.setText(self.tr("Need help? %1").replace("%1", contact))
