"""The "back to start in N s" note shown during the last seconds before a timeout."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk.ui.widgets.status_icon import IconKind, StatusIcon


class Countdown(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        # Touching anywhere resets the timer; the note itself must not eat touches.
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 16, 6)
        self.icon = StatusIcon(IconKind.CLOCK, self)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        layout.addWidget(self.icon)
        layout.addWidget(self.label, 1)
        self._seconds = 0
        self.hide()

    @property
    def seconds(self) -> int:
        return self._seconds

    def set_seconds(self, seconds: int) -> None:
        self._seconds = seconds
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(
            self.tr("Back to the start in %n s. Touch the screen to stay.", "", self._seconds)
        )

    def apply_metrics(self, icon_side: int) -> None:
        self.icon.set_side(icon_side)
