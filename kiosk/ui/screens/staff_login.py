"""Courier and technician logins: badge scan, or ID + PIN on the keypad."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.keypad import Keypad
from kiosk.ui.widgets.pin_entry import PinEntry
from kiosk.ui.widgets.touch_button import TouchButton


class StaffLoginTexts(QObject):
    """The login's plural texts, in a class of their own: PySide looks up a plural
    ("%n attempts") only under the exact class that calls tr(), not its base classes."""

    def failed(self, left: int) -> str:
        return self.tr("That did not work. %n attempt(s) left.", "", left)

    def locked_out(self, minutes: int) -> str:
        return self.tr("Too many failed attempts. Try again in %n minute(s).", "", minutes)


class StaffLoginScreen(Screen):
    """Shared layout; subclasses say how the login is sent and what the words are."""

    timeout = "flow"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None,
                 id_editable: bool = True) -> None:
        super().__init__(ctx, parent)
        self._texts = StaffLoginTexts(self)
        outer = QVBoxLayout(self)
        self.title = make_label("title", self)
        self.hint = make_label("body", self)
        self.status = make_label("body", self)
        self.status.setObjectName("login_status")
        self.status.setProperty("tone", "error")
        self.entry = PinEntry(self, id_editable=id_editable)
        self.keypad = Keypad(self)
        self.choices = QHBoxLayout()
        self.choices.setProperty("gapped", True)
        self.back = TouchButton("", "secondary", self)
        self.back.setObjectName("back")
        self.submit = TouchButton("", "primary", self)
        self.submit.setObjectName("log_in")
        row = self.make_actions_row(self.back, self.submit)
        row.setStretch(0, 1)
        row.setStretch(1, 2)
        # Landscape: everything but the keypad in the left column, actions at its foot;
        # portrait: one column with the keypad above the actions.
        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.hint)
        left.addLayout(self.choices)
        left.addWidget(self.entry)
        left.addWidget(self.status)
        left.addStretch(1)
        left.addLayout(row)
        self.left = left
        self.outer = outer
        self.actions_row = row
        self._actions_in_left = True
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.addLayout(left, 3)
        self.body.addWidget(self.keypad, 2)
        outer.addLayout(self.body, 1)
        self.keypad.digit_pressed.connect(self._digit)
        self.keypad.backspace_pressed.connect(self._backspace)
        self.keypad.clear_pressed.connect(self.entry.clear)
        self.entry.changed.connect(self._update_submit)
        self.submit.clicked.connect(self._submit)
        self.back.clicked.connect(self._leave)

    def _digit(self, digit: str) -> None:
        self.entry.type_digit(digit)
        self._touch()

    def _backspace(self) -> None:
        self.entry.backspace()
        self._touch()

    def _touch(self) -> None:
        if self.ctx.modes is not None:
            self.ctx.modes.call("touch")

    def _update_submit(self) -> None:
        self.submit.setEnabled(bool(self.entry.id_text and self.entry.pin_text))

    def _submit(self) -> None:
        if not (self.entry.id_text and self.entry.pin_text):
            return
        user, pin = self.entry.id_text, self.entry.pin_text
        self.entry.pin_text = ""
        self.entry.clear()
        self.send_login(user, pin)

    def send_login(self, user: str, pin: str) -> None:
        raise NotImplementedError

    def _leave(self) -> None:
        self.entry.clear()
        if self.ctx.modes is not None:
            self.ctx.modes.to_customer()
        self.navigate.emit("idle")

    def on_leave(self) -> None:
        self.entry.clear()

    def on_timeout(self) -> None:
        self.entry.clear()

    def on_enter(self) -> None:
        self.entry.setFocus()

    def status_text(self, view: Any) -> str:
        if view is None:
            return ""
        screen = str(view.screen)
        if screen == "login_failed":
            left = view.attempts_left
            if left is None:
                return self.tr("That did not work. Check the ID and PIN.")
            return self._texts.failed(left)
        if screen == "locked_out":
            seconds = view.lockout_remaining_s or 0
            minutes = max(1, (seconds + 59) // 60)
            return self._texts.locked_out(minutes)
        return ""

    def show_view(self, view: Any) -> None:
        super().show_view(view)
        locked = str(view.screen) == "locked_out"
        self.submit.setEnabled(not locked and bool(self.entry.id_text and self.entry.pin_text))
        self.keypad.setEnabled(not locked)

    def retranslate(self) -> None:
        self.entry.set_captions(self.tr("ID"), self.tr("PIN"))
        self.back.setText(self.tr("Back"))
        self.submit.setText(self.tr("Log in"))
        text = self.status_text(self.view)
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.keypad.retranslate()

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        key = max(60, min(m.key, int((m.height * 0.62 - 3 * m.key_gap) / 4)))
        self.keypad.apply_metrics(key, m.key_gap)
        self.entry.row.setSpacing(m.px(16))
        self.left.setSpacing(m.px(18))
        self.body.setSpacing(m.gap)
        if m.portrait:
            # Keypad between the fields and the actions, actions last (nearest the hand).
            self.body.setDirection(QBoxLayout.Direction.TopToBottom)
            if self._actions_in_left:
                self.left.removeItem(self.actions_row)
                self.outer.addLayout(self.actions_row)
                self._actions_in_left = False
        else:
            self.body.setDirection(QBoxLayout.Direction.LeftToRight)
            if not self._actions_in_left:
                self.outer.removeItem(self.actions_row)
                self.left.addLayout(self.actions_row)
                self._actions_in_left = True


class CourierLoginScreen(StaffLoginScreen):
    name = "courier_login"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.retranslate()

    def send_login(self, user: str, pin: str) -> None:
        if self.ctx.modes is not None:
            self.ctx.modes.call("login_pin", user, pin)

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Courier login"))
        self.hint.setText(self.tr("Hold your badge to the camera, or type your courier ID "
                                  "and PIN."))


class TechnicianLoginScreen(StaffLoginScreen):
    """Technician ids are not always digits: configured ids are offered as buttons."""

    name = "technician_login"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        ids = ctx.settings.technician_ids
        super().__init__(ctx, parent, id_editable=not ids)
        self.id_buttons: dict[str, TouchButton] = {}
        for tech_id in ids[:4]:
            button = TouchButton(tech_id, "secondary", self)
            button.setObjectName(f"tech_{tech_id}")
            button.clicked.connect(lambda _=False, t=tech_id: self._choose(t))
            self.choices.addWidget(button)
            self.id_buttons[tech_id] = button
        self.retranslate()

    def _choose(self, tech_id: str) -> None:
        self.entry.set_id(tech_id)
        for other, button in self.id_buttons.items():
            button.set_current(other == tech_id)
        self._touch()

    def send_login(self, user: str, pin: str) -> None:
        if self.ctx.modes is not None:
            self.ctx.modes.call("login", user, pin)

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Service and diagnostics"))
        if self.ctx.settings.technician_ids:
            self.hint.setText(self.tr("Choose your ID, then type your PIN."))
        else:
            self.hint.setText(self.tr("Type your technician ID and PIN."))
