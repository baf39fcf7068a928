"""Simple drawn icons, so meaning never rests on colour alone (ux.md)."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui import theme


class IconKind(StrEnum):
    SUCCESS = "success"
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    CLOCK = "clock"
    LOCK = "lock"
    DOOR = "door"
    TOOLS = "tools"


_COLOURS = {
    IconKind.SUCCESS: theme.SUCCESS,
    IconKind.ERROR: theme.ERROR,
    IconKind.WARNING: theme.INK,
    IconKind.INFO: theme.PRIMARY,
    IconKind.CLOCK: theme.PRIMARY,
    IconKind.LOCK: theme.ERROR,
    IconKind.DOOR: theme.PRIMARY,
    IconKind.TOOLS: theme.INK,
}


class StatusIcon(QWidget):
    def __init__(self, kind: IconKind = IconKind.INFO, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind = kind
        self._side = 96
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    @property
    def kind(self) -> IconKind:
        return self._kind

    def set_kind(self, kind: IconKind) -> None:
        self._kind = kind
        self.update()

    def set_side(self, side: int) -> None:
        self._side = side
        self.setFixedSize(side, side)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._side, self._side)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = min(self.width(), self.height())
        colour = QColor(_COLOURS[self._kind])
        w = max(3.0, s / 12)
        r = QRectF(w, w, s - 2 * w, s - 2 * w)
        pen = QPen(colour, w, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        k = self._kind
        if k is IconKind.WARNING:
            path = QPainterPath()
            path.moveTo(s / 2, w)
            path.lineTo(s - w, s - w)
            path.lineTo(w, s - w)
            path.closeSubpath()
            p.fillPath(path, QColor(theme.WARNING_BG))
            p.drawPath(path)
            p.drawLine(QPointF(s / 2, s * 0.38), QPointF(s / 2, s * 0.66))
            p.drawPoint(QPointF(s / 2, s * 0.8))
            return
        if k is IconKind.LOCK:
            body = QRectF(s * 0.22, s * 0.45, s * 0.56, s * 0.45)
            p.fillRect(body, colour)
            p.drawArc(QRectF(s * 0.32, s * 0.12, s * 0.36, s * 0.6), 0, 180 * 16)
            p.drawLine(QPointF(s * 0.32, s * 0.42), QPointF(s * 0.32, s * 0.47))
            p.drawLine(QPointF(s * 0.68, s * 0.42), QPointF(s * 0.68, s * 0.47))
            return
        if k is IconKind.DOOR:
            p.drawRect(QRectF(s * 0.25, w, s * 0.5, s - 2 * w))
            p.drawPoint(QPointF(s * 0.64, s * 0.5))
            return
        p.drawEllipse(r)
        if k is IconKind.SUCCESS:
            path = QPainterPath(QPointF(s * 0.28, s * 0.52))
            path.lineTo(s * 0.44, s * 0.68)
            path.lineTo(s * 0.73, s * 0.34)
            p.drawPath(path)
        elif k is IconKind.ERROR:
            p.drawLine(QPointF(s * 0.34, s * 0.34), QPointF(s * 0.66, s * 0.66))
            p.drawLine(QPointF(s * 0.66, s * 0.34), QPointF(s * 0.34, s * 0.66))
        elif k is IconKind.INFO:
            p.drawLine(QPointF(s / 2, s * 0.45), QPointF(s / 2, s * 0.72))
            p.drawPoint(QPointF(s / 2, s * 0.3))
        elif k is IconKind.CLOCK:
            p.drawLine(QPointF(s / 2, s / 2), QPointF(s / 2, s * 0.26))
            p.drawLine(QPointF(s / 2, s / 2), QPointF(s * 0.68, s * 0.6))
        elif k is IconKind.TOOLS:
            p.drawLine(QPointF(s * 0.3, s * 0.7), QPointF(s * 0.7, s * 0.3))
            p.drawEllipse(QRectF(s * 0.6, s * 0.2, s * 0.18, s * 0.18))
