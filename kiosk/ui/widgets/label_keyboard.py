"""An on-screen keyboard for typing a parcel label that will not scan.

Labels are letters, digits and a few separators (Code 39 and Code 128 labels of the
carriers: `JJD0001234`, `XP-LBL-7001`, `1Z/999.AA`), so the keyboard has only those, in
the familiar QWERTY rows, with big keys. The widget keeps the text; the owner decides
what a submitted label means.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.widgets.keypad import BACKSPACE_GLYPH
from kiosk.ui.widgets.touch_button import TouchButton

ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL/", "ZXCVBNM-.")
ALLOWED = frozenset("".join(ROWS))
MAX_LABEL = 64  # longer than any carrier's label; the contract allows 128


def clean_label(text: str) -> str:
    """What a typed label becomes: upper case, only the keyboard's characters."""
    return "".join(ch for ch in text.upper() if ch in ALLOWED)[:MAX_LABEL]


class LabelEntry(QWidget):
    """The typed label, the keyboard, and Cancel / Clear / use-this-label."""

    submitted = Signal(str)
    cancelled = Signal()
    typed = Signal()  # any key: the owner keeps the visit alive

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # On a tall screen the keys sit low, within reach, and keep their shape.
        outer.addStretch(1)
        self.display = QLabel(self)
        self.display.setObjectName("label_display")
        self.display.setProperty("role", "code")
        self.display.setTextFormat(Qt.TextFormat.PlainText)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.display)
        self._grid = QGridLayout()
        self.keys: dict[str, TouchButton] = {}
        for r, row in enumerate(ROWS):
            for c, ch in enumerate(row):
                self._add_key(ch, ch, r, c)
        self._add_key("backspace", BACKSPACE_GLYPH, 3, len(ROWS[3]))
        for ch in ALLOWED:
            self.keys[ch].clicked.connect(lambda _=False, k=ch: self.press(k))
        self.keys["backspace"].clicked.connect(self.backspace)
        outer.addLayout(self._grid)
        self.cancel = TouchButton("", "secondary", self)
        self.cancel.setObjectName("label_cancel")
        self.clear_button = TouchButton("", "secondary", self)
        self.clear_button.setObjectName("label_clear")
        self.submit = TouchButton("", "primary", self)
        self.submit.setObjectName("label_submit")
        self._actions = QHBoxLayout()
        for button in (self.cancel, self.clear_button, self.submit):
            self._actions.addWidget(button, 1)
        self._actions.setStretch(2, 2)
        outer.addLayout(self._actions)
        self.cancel.clicked.connect(self.cancelled)
        self.clear_button.clicked.connect(self.clear)
        self.submit.clicked.connect(self._submit)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._refresh()
        self.retranslate()

    def _add_key(self, name: str, text: str, row: int, column: int) -> None:
        key = TouchButton(text, "key", self)
        key.setObjectName(f"label_key_{name}")
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._grid.addWidget(key, row, column)
        self.keys[name] = key

    @property
    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        self._text = clean_label(text)
        self._refresh()

    def press(self, ch: str) -> None:
        if len(self._text) < MAX_LABEL:
            self._text = clean_label(self._text + ch)
            self._refresh()
        self.typed.emit()

    def backspace(self) -> None:
        self._text = self._text[:-1]
        self._refresh()
        self.typed.emit()

    def clear(self) -> None:
        self._text = ""
        self._refresh()
        self.typed.emit()

    def _submit(self) -> None:
        if self._text:
            self.submitted.emit(self._text)

    def _refresh(self) -> None:
        # The display keeps its height when empty: a prompt in place of the label.
        self.display.setText(self._text or self.tr("Type the label"))
        self.display.setProperty("empty", not self._text)
        self.submit.setEnabled(bool(self._text))

    def retranslate(self) -> None:
        self.cancel.setText(self.tr("Cancel"))
        self.clear_button.setText(self.tr("Clear"))
        self.keys["backspace"].setAccessibleName(self.tr("Delete last character"))
        self.display.setAccessibleName(self.tr("Label typed so far"))
        self._refresh()

    def set_submit_text(self, text: str) -> None:
        self.submit.setText(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # A USB keyboard on a service kiosk types too.
        text = event.text().upper()
        if len(text) == 1 and text in ALLOWED:
            self.press(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self.backspace()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
        elif event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
        else:
            super().keyPressEvent(event)

    def apply_metrics(self, key_height: int, key_gap: int, gap: int, target: int,
                      spacing: int) -> None:
        layout = self.layout()
        if layout is not None:
            layout.setSpacing(spacing)
        self._grid.setSpacing(key_gap)
        self._actions.setSpacing(gap)
        for key in self.keys.values():
            key.set_min_height(key_height)
            key.setFixedHeight(key_height)
            key.set_padding(2, 2)
            key.setMinimumWidth(max(60, round(key_height * 0.7)))
        for button in (self.cancel, self.clear_button, self.submit):
            button.set_min_height(target)
