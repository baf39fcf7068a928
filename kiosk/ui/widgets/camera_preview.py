"""Live camera preview fed from the scan pipeline's latest frame.

The pipeline's camera thread keeps only the newest frame; this widget copies it on a
QTimer tick, which is a cheap memory copy, so the GUI thread never waits on the camera.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui import theme

log = logging.getLogger(__name__)

FrameSource = Callable[[], Any]  # returns an HxW (grey) or HxWx3 (BGR) uint8 array, or None


def frame_to_image(frame: Any) -> QImage | None:
    """Convert a numpy frame (grey or BGR) to a QImage that owns its pixels."""
    if frame is None:
        return None
    shape = getattr(frame, "shape", None)
    if not shape or len(shape) not in (2, 3):
        return None
    height, width = shape[0], shape[1]
    if len(shape) == 2:
        data = frame.tobytes()
        image = QImage(data, width, height, width, QImage.Format.Format_Grayscale8)
    else:
        if shape[2] != 3:
            return None
        data = frame.tobytes()
        image = QImage(data, width, height, width * 3, QImage.Format.Format_BGR888)
    return image.copy()  # detach from the temporary buffer


class CameraPreview(QWidget):
    """Draws the latest frame, mirrored like a selfie view, or a friendly placeholder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source: FrameSource | None = None
        self._image: QImage | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self.refresh)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._placeholder = ""
        self.retranslate()

    def retranslate(self) -> None:
        self._placeholder = self.tr("Camera picture is not available. Hold your code up anyway.")
        self.update()

    def set_source(self, source: FrameSource | None, interval_ms: int = 100) -> None:
        self._source = source
        self._timer.setInterval(interval_ms)

    def start(self) -> None:
        if self._source is not None:
            self._timer.start()
        self.refresh()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def has_picture(self) -> bool:
        return self._image is not None

    def refresh(self) -> None:
        image = None
        if self._source is not None:
            try:
                image = frame_to_image(self._source())
            except Exception:  # a broken camera must never take the screen down
                log.exception("camera preview frame could not be read")
                image = None
        self._image = image
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(320, 240)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        p.fillRect(rect, QColor(theme.PAPER_ALT))
        if self._image is not None:
            scaled = self._image.scaled(
                rect.size().toSize(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            ).mirrored(True, False)
            x = rect.x() + (rect.width() - scaled.width()) / 2
            y = rect.y() + (rect.height() - scaled.height()) / 2
            p.drawImage(int(x), int(y), scaled)
        else:
            p.setPen(QColor(theme.INK))
            p.drawText(
                rect.adjusted(16, 16, -16, -16),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self._placeholder,
            )
        p.setPen(QPen(QColor(theme.INK), 3))
        p.drawRect(rect)
