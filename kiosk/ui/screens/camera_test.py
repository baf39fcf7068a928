"""Technician camera test: the live picture and the decoder's figures."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.camera_preview import CameraPreview
from kiosk.ui.widgets.touch_button import TouchButton


class CameraTestScreen(Screen):
    """A UI page over the technician map: the flow stays where it was."""

    name = "camera_test"
    timeout = "input"
    timeout_page = "technician_map"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        self.title = make_label("title", self)
        self.stats = make_label("body", self)
        self.stats.setObjectName("camera_stats")
        self.preview = CameraPreview(self)
        self.preview.set_source(ctx.frame_source, ctx.settings.preview_interval_ms)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.addWidget(self.preview, 3)
        self.body.addWidget(self.stats, 2)
        outer.addWidget(self.title)
        outer.addLayout(self.body, 1)
        self.back = TouchButton("", "primary", self)
        self.back.setObjectName("back_to_map")
        outer.addLayout(self.make_actions_row(self.back))
        self.back.clicked.connect(self._back)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.retranslate)
        self.retranslate()

    def _back(self) -> None:
        self.navigate.emit("technician_map")

    def on_enter(self) -> None:
        self.preview.start()
        self._timer.start()

    def on_leave(self) -> None:
        self.preview.stop()
        self._timer.stop()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Camera and scanner test"))
        self.back.setText(self.tr("Back to the map"))
        self.preview.retranslate()
        stats = self.ctx.scan_stats() if self.ctx.scan_stats is not None else None
        if stats is None:
            self.stats.setText(self.tr("No scan pipeline is running."))
            return
        self.stats.setText(
            self.tr("Decoder: %1\nSource: %2 (%3)\nFrames decoded: %4\nCodes read: %5\n"
                    "Decode time: %6 ms average, %7 ms worst\nLast error: %8")
            .replace("%1", str(stats.decoder)).replace("%2", str(stats.source))
            .replace("%3", str(stats.source_state)).replace("%4", str(stats.frames_decoded))
            .replace("%5", str(stats.scans_reported))
            .replace("%6", f"{stats.mean_decode_ms:.1f}")
            .replace("%7", f"{stats.max_decode_ms:.1f}")
            .replace("%8", stats.last_error or "—")
        )

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        self.body.setSpacing(m.gap)
        self.body.setDirection(
            QBoxLayout.Direction.TopToBottom if m.portrait else QBoxLayout.Direction.LeftToRight
        )
