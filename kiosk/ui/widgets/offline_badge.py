"""A small "offline" note in a corner: pickups keep working, so it never blocks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk.ui.widgets.status_icon import IconKind, StatusIcon


class OfflineBadge(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 12, 4)
        self.icon = StatusIcon(IconKind.WARNING, self)
        self.label = QLabel(self)
        layout.addWidget(self.icon)
        layout.addWidget(self.label)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.label.setText(self.tr("Offline: pickup still works"))

    def apply_metrics(self, icon_side: int) -> None:
        self.icon.set_side(icon_side)
        self.adjustSize()
