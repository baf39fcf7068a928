"""The scan screen: live camera picture so people can aim their phone, or a placeholder."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.camera_preview import CameraPreview
from kiosk.ui.widgets.locker_map import Arrow
from kiosk.ui.widgets.touch_button import TouchButton


class ScanScreen(Screen):
    """A UI-only page: the scan pipeline runs all the time; this shows what it sees."""

    name = "scan"
    timeout = "input"
    over_idle = True

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        head = QHBoxLayout()
        self.arrow = Arrow(ctx.settings.camera_side, self)
        self.title = make_label("title", self)
        head.addWidget(self.arrow, 0, Qt.AlignmentFlag.AlignVCenter)
        head.addWidget(self.title, 1)
        self.hint = make_label("body", self)
        self.preview = CameraPreview(self)
        self.preview.setObjectName("camera_preview")
        self.preview.set_source(ctx.frame_source, ctx.settings.preview_interval_ms)
        self.back = TouchButton("", "secondary", self)
        self.back.setObjectName("back")
        self.type_code = TouchButton("", "primary", self)
        self.type_code.setObjectName("type_code")
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        texts = QVBoxLayout()
        texts.addLayout(head)
        texts.addWidget(self.hint)
        texts.addStretch(1)
        self.body.addLayout(texts, 1)
        self.body.addWidget(self.preview, 1)
        outer.addLayout(self.body, 1)
        row = self.make_actions_row(self.back, self.type_code)
        row.setStretch(0, 1)
        row.setStretch(1, 2)
        outer.addLayout(row)
        self.back.clicked.connect(lambda: self.navigate.emit("idle"))
        self.type_code.clicked.connect(self.ctx.actions.start_code_entry)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Hold your QR code up to the camera"))
        self.hint.setText(
            self.tr("Turn up your phone's brightness. The door opens as soon as the code is read.")
        )
        self.back.setText(self.tr("Back"))
        self.type_code.setText(self.tr("Type the code instead"))
        self.preview.retranslate()

    def on_enter(self) -> None:
        self.preview.start()

    def on_leave(self) -> None:
        self.preview.stop()

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        self.arrow.setFixedSize(m.px(90), m.px(90))
        self.body.setSpacing(m.gap)
        self.body.setDirection(
            QBoxLayout.Direction.TopToBottom if m.portrait else QBoxLayout.Direction.LeftToRight
        )
