"""Typing the 8-digit pickup code on the big-key keypad."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.flows.pickup_view import PickupView
from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.keypad import CodeDisplay, Keypad
from kiosk.ui.widgets.touch_button import TouchButton

CODE_LENGTH = 8


class CodeEntryScreen(Screen):
    name = "code_entry"
    timeout = "flow"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._digits = ""
        self._max = CODE_LENGTH
        outer = QVBoxLayout(self)
        self.title = make_label("title", self)
        self.hint = make_label("body", self)
        self.display = CodeDisplay(CODE_LENGTH, self)
        self.display.setObjectName("code_display")
        self.keypad = Keypad(self)
        self.submit = TouchButton("", "primary", self)
        self.submit.setObjectName("submit_code")
        self.back = TouchButton("", "secondary", self)
        self.back.setObjectName("back")

        # Landscape: text and display on the left, keypad on the right.
        # Portrait: everything in one column, keypad above the buttons.
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.hint)
        left.addWidget(self.display)
        left.addStretch(1)
        self.left = left
        self.body.addLayout(left, 1)
        self.body.addWidget(self.keypad, 1)
        outer.addLayout(self.body, 1)
        self.actions_row = self.make_actions_row(self.back, self.submit)
        self.actions_row.setStretch(0, 1)
        self.actions_row.setStretch(1, 2)
        outer.addLayout(self.actions_row)

        # The flow keeps the typed digits (and clears them on its timeout); the screen
        # shows what the flow's view says.
        self.keypad.digit_pressed.connect(self.ctx.actions.press_digit)
        self.keypad.backspace_pressed.connect(self.ctx.actions.backspace)
        self.keypad.clear_pressed.connect(self.ctx.actions.clear_entry)
        self.submit.clicked.connect(self._submit)
        self.back.clicked.connect(self.ctx.actions.cancel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._refresh()
        self.retranslate()

    @property
    def digits(self) -> str:
        return self._digits

    def show_view(self, view: PickupView) -> None:
        self._digits = view.entry
        self._max = view.entry_max or CODE_LENGTH
        self._refresh()
        super().show_view(view)

    def _refresh(self) -> None:
        self.display.set_digits(self._digits)
        self.submit.setEnabled(len(self._digits) == self._max)

    def _submit(self) -> None:
        if len(self._digits) == self._max:
            self.ctx.actions.submit_code()

    def clear(self) -> None:
        """Forget the digits on screen (the flow clears its own copy)."""
        self._digits = ""
        self._refresh()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Type your pickup code"))
        self.hint.setText(self.tr("The 8-digit code is in your parcel message."))
        self.submit.setText(self.tr("Open my door"))
        self.back.setText(self.tr("Back"))
        self.display.setAccessibleName(self.tr("Code typed so far"))
        self.keypad.retranslate()

    def on_enter(self) -> None:
        self.setFocus()

    def on_leave(self) -> None:
        # A half-typed code never stays on screen for the next person.
        self.clear()

    def on_timeout(self) -> None:
        self.clear()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Hardware keypads (EPP) type digits, Backspace and Enter.
        text = event.text()
        if text.isdigit() and len(text) == 1:
            self.ctx.actions.press_digit(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self.ctx.actions.backspace()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
        elif event.key() == Qt.Key.Key_Escape:
            self.ctx.actions.cancel()
        else:
            super().keyPressEvent(event)

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        # Keys as big as the height allows, never under the touch minimum.
        key = max(60, min(m.key, int((m.height * 0.62 - 3 * m.key_gap) / 4)))
        self.keypad.apply_metrics(key, m.key_gap)
        self.body.setSpacing(m.gap)
        self.left.setSpacing(m.px(20))
        if m.portrait:
            self.body.setDirection(QBoxLayout.Direction.TopToBottom)
        else:
            self.body.setDirection(QBoxLayout.Direction.LeftToRight)
