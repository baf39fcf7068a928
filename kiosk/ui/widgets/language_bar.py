"""Language buttons, each named in its own language (English, Русский, 中文)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.ui.settings import Language
from kiosk.ui.widgets.touch_button import TouchButton


class LanguageBar(QWidget):
    language_chosen = Signal(str)

    def __init__(self, languages: tuple[Language, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, TouchButton] = {}
        for lang in languages:
            button = TouchButton(lang.native_name, "secondary", self)
            button.setObjectName(f"lang_{lang.code}")
            button.clicked.connect(lambda _=False, c=lang.code: self.language_chosen.emit(c))
            self._layout.addWidget(button)
            self.buttons[lang.code] = button

    def set_current(self, code: str) -> None:
        for lang_code, button in self.buttons.items():
            button.set_current(lang_code == code)

    def apply_metrics(self, height: int, gap: int) -> None:
        self._layout.setSpacing(gap)
        for button in self.buttons.values():
            button.set_min_height(height)
