"""The big-key numeric keypad and the grouped code display.

Our own widget (not Qt Virtual Keyboard, which is GPL): ten digits, backspace and clear,
in the familiar phone layout. Keys emit signals only; the owner keeps the text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from kiosk.ui.widgets.touch_button import TouchButton

BACKSPACE_GLYPH = "\u232b"
PLACEHOLDER = "\u00b7"


class Keypad(QWidget):
    digit_pressed = Signal(str)
    backspace_pressed = Signal()
    clear_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.keys: dict[str, TouchButton] = {}
        for index, digit in enumerate("123456789"):
            self._add_key(digit, digit, index // 3, index % 3)
        self._add_key("clear", "", 3, 0)
        self._add_key("0", "0", 3, 1)
        self._add_key("backspace", BACKSPACE_GLYPH, 3, 2)
        self.keys["clear"].setProperty("variant", "secondary")
        self.keys["clear"].label.setWordWrap(True)
        for key in "0123456789":
            self.keys[key].clicked.connect(lambda _=False, d=key: self.digit_pressed.emit(d))
        self.keys["backspace"].clicked.connect(self.backspace_pressed)
        self.keys["clear"].clicked.connect(self.clear_pressed)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.retranslate()

    def _add_key(self, name: str, text: str, row: int, column: int) -> None:
        key = TouchButton(text, "key", self)
        key.setObjectName(f"key_{name}")
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._grid.addWidget(key, row, column)
        self.keys[name] = key

    def retranslate(self) -> None:
        self.keys["clear"].setText(self.tr("Clear"))
        self.keys["backspace"].setAccessibleName(self.tr("Delete last digit"))

    def apply_metrics(self, key_height: int, gap: int) -> None:
        self._grid.setSpacing(gap)
        for key in self.keys.values():
            key.set_min_height(key_height)
            key.set_padding(4, 4)
            key.setMinimumWidth(round(key_height * 1.1))


def group_code(digits: str, length: int = 8, group: int = 4) -> str:
    """'123456' -> '1234 56··': typed digits, then placeholders, in groups."""
    padded = digits[:length].ljust(length, PLACEHOLDER)
    return " ".join(padded[i : i + group] for i in range(0, length, group))


class CodeDisplay(QLabel):
    """Shows the code typed so far, grouped, with placeholders for missing digits."""

    def __init__(self, length: int = 8, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._length = length
        self.setProperty("role", "code")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.set_digits("")

    def set_digits(self, digits: str) -> None:
        self.setText(group_code(digits, self._length))
