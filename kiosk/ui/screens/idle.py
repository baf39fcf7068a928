"""The attract screen: what this is, where to scan, "Type your code", languages."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.language_bar import LanguageBar
from kiosk.ui.widgets.locker_map import Arrow
from kiosk.ui.widgets.touch_button import TouchButton


class IdleScreen(Screen):
    name = "idle"
    timeout = "none"
    language_chosen = Signal(str)
    service_requested = Signal()
    large_text_toggled = Signal()
    accessible_toggled = Signal()

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        self.title = make_label("title", self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle = make_label("body", self)
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)

        # The "scan here" hint points at the camera, wherever it is mounted.
        self.scan_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.arrow = Arrow(ctx.settings.camera_side, self)
        self.scan_hint = make_label("title", self)
        self.scan_hint.setObjectName("scan_hint")
        self.scan_row.addStretch(1)
        self.scan_row.addWidget(self.arrow, 0, Qt.AlignmentFlag.AlignVCenter)
        self.scan_row.addWidget(self.scan_hint, 3)
        self.scan_row.addStretch(1)

        self.show_camera = TouchButton("", "secondary", self)
        self.show_camera.setObjectName("show_camera")
        self.type_code = TouchButton("", "primary", self)
        self.type_code.setObjectName("type_code")
        self.languages = LanguageBar(ctx.settings.language_list(), self)
        self.service = TouchButton("", "quiet", self)
        self.service.setObjectName("service")
        self.large_text = TouchButton("", "quiet", self)
        self.large_text.setObjectName("large_text")
        # Accessibility mode: larger text and spoken guidance, one big button.
        self.accessible = TouchButton("", "secondary", self)
        self.accessible.setObjectName("accessible")

        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addStretch(1)
        layout.addLayout(self.scan_row)
        layout.addStretch(1)
        actions = QHBoxLayout()
        actions.setProperty("gapped", True)
        actions.addWidget(self.accessible, 1)
        actions.addWidget(self.show_camera, 1)
        actions.addWidget(self.type_code, 2)
        self.actions_row = actions
        layout.addLayout(actions)
        bottom = QHBoxLayout()
        bottom.setProperty("gapped", True)
        bottom.addWidget(self.languages, 3)
        bottom.addWidget(self.large_text)
        bottom.addStretch(1)
        bottom.addWidget(self.service, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(bottom)

        self.type_code.clicked.connect(self.ctx.actions.start_code_entry)
        self.show_camera.clicked.connect(lambda: self.navigate.emit("scan"))
        self.languages.language_chosen.connect(self.language_chosen)
        self.service.clicked.connect(self.service_requested)
        self.large_text.clicked.connect(self.large_text_toggled)
        self.accessible.clicked.connect(self.accessible_toggled)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Parcel pickup"))
        self.subtitle.setText(self.tr("Your parcel is waiting in one of these lockers."))
        self.scan_hint.setText(self.tr("Scan your QR code here"))
        self.show_camera.setText(self.tr("Show camera"))
        self.type_code.setText(self.tr("Type your code"))
        self.service.setText(self.tr("Courier / service"))
        self.large_text.setText(self.tr("A+ Larger"))
        self.accessible.setText(self.tr("Speak to me"))
        self.accessible.setAccessibleName(
            self.tr("Accessibility mode: larger text and spoken guidance"))
        self.arrow.setAccessibleName(self.tr("The camera is here"))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # A hardware keypad: the first digit starts code entry with that digit.
        text = event.text()
        if len(text) == 1 and text.isdigit():
            self.ctx.actions.start_code_entry()
            self.ctx.actions.press_digit(text)
        else:
            super().keyPressEvent(event)

    def on_enter(self) -> None:
        self.setFocus()

    def show_large_text(self, on: bool) -> None:
        self.large_text.set_current(on)

    def show_accessible(self, on: bool) -> None:
        self.accessible.set_current(on)

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        self.arrow.setFixedSize(m.px(120), m.px(120))
        self.languages.apply_metrics(m.target, m.px(16))
        self.service.set_min_height(max(60, m.px(70)))
        self.large_text.set_min_height(m.target)
        self.scan_row.setSpacing(m.px(24))
        # In portrait the two actions stack, the main one lower, nearer the hand.
        self.actions_row.setDirection(
            QBoxLayout.Direction.TopToBottom if m.portrait else QBoxLayout.Direction.LeftToRight
        )
