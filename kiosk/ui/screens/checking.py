"""The working state, shown when checking a code takes longer than 300 ms."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.theme import Metrics


class Spinner(QWidget):
    """A turning arc: motion tells "working" without relying on colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._angle = 0
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._step)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def _step(self) -> None:
        self._angle = (self._angle + 30) % 360
        self.update()

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.size()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = min(self.width(), self.height())
        w = max(4.0, s / 10)
        rect = QRectF(w, w, s - 2 * w, s - 2 * w)
        p.setPen(QPen(QColor(theme.PAPER_ALT), w))
        p.drawEllipse(rect)
        p.setPen(QPen(QColor(theme.PRIMARY), w, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawArc(rect, -self._angle * 16, 100 * 16)


class CheckingScreen(Screen):
    name = "checking"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        self.spinner = Spinner(self)
        self.title = make_label("title", self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = make_label("body", self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(self.spinner, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Checking your code…"))
        self.hint.setText(self.tr("This takes a moment."))

    def on_enter(self) -> None:
        self.spinner.start()

    def on_leave(self) -> None:
        self.spinner.stop()

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        self.spinner.setFixedSize(m.px(140), m.px(140))
