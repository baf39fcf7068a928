"""ID + PIN entry on the big-key keypad, for courier and technician logins.

The typed PIN stays in this widget only until it is submitted or the page is left; it
is shown as dots and never logged.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.ui.widgets.touch_button import TouchButton

PIN_DOT = "\u25cf"


class PinEntry(QWidget):
    """Two fields (ID, PIN); the keypad types into the selected one."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, id_editable: bool = True) -> None:
        super().__init__(parent)
        self.id_text = ""
        self.pin_text = ""
        self.id_editable = id_editable
        self.field = "id" if id_editable else "pin"
        # The captions ("ID", "PIN") are set by the owner, translated.
        self.id_caption = "ID"
        self.pin_caption = "PIN"
        row = self.row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.id_field = TouchButton("", "secondary", self)
        self.id_field.setObjectName("id_field")
        self.pin_field = TouchButton("", "secondary", self)
        self.pin_field.setObjectName("pin_field")
        row.addWidget(self.id_field, 1)
        row.addWidget(self.pin_field, 1)
        # Without a typed ID (ids chosen from buttons) only the PIN field shows.
        self.id_field.setVisible(id_editable)
        self.id_field.clicked.connect(lambda: self.select("id"))
        self.pin_field.clicked.connect(lambda: self.select("pin"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._refresh()

    def select(self, field: str) -> None:
        if field == "id" and not self.id_editable:
            return
        self.field = field
        self._refresh()

    def type_digit(self, digit: str) -> None:
        if self.field == "id":
            if len(self.id_text) < 12:
                self.id_text += digit
        elif len(self.pin_text) < 12:
            self.pin_text += digit
        self._refresh()

    def backspace(self) -> None:
        if self.field == "id":
            self.id_text = self.id_text[:-1]
        else:
            self.pin_text = self.pin_text[:-1]
        self._refresh()

    def clear(self) -> None:
        if self.id_editable:
            self.id_text = ""
            self.field = "id"
        self.pin_text = ""
        self._refresh()

    def set_captions(self, id_caption: str, pin_caption: str) -> None:
        self.id_caption, self.pin_caption = id_caption, pin_caption
        self._refresh()

    def set_id(self, value: str) -> None:
        self.id_text = value
        self.field = "pin"
        self._refresh()

    def _refresh(self) -> None:
        marker = "\u25b6 "
        self.id_field.setText(
            (marker if self.field == "id" else "") + f"{self.id_caption}: {self.id_text or '—'}"
        )
        pin = PIN_DOT * len(self.pin_text) or "—"
        self.pin_field.setText(
            (marker if self.field == "pin" else "") + f"{self.pin_caption}: {pin}"
        )
        for name, button in (("id", self.id_field), ("pin", self.pin_field)):
            button.set_current(self.field == name)
        self.changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        text = event.text()
        if len(text) == 1 and text.isdigit():
            self.type_digit(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self.backspace()
        elif event.key() == Qt.Key.Key_Tab:
            self.select("pin" if self.field == "id" else "id")
        else:
            super().keyPressEvent(event)
