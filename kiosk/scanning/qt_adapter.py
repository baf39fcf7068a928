"""The only Qt in the scanning package: signals for results that arrive on worker
threads, and an event filter for keyboard-wedge scanners read as Qt key events.

    signals = ScanSignals()
    signals.scanned.connect(window.on_scan)           # runs on the GUI thread (queued)
    pipeline = ScanPipeline(camera, on_scan=signals.on_scan)

    wedge = KeyboardWedgeFilter()                     # when /dev/input cannot be read
    QApplication.instance().installEventFilter(wedge)
    wedge.scanned.connect(window.on_scan)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from kiosk.scanning.hid import HidLine, HidLineAssembler, LineKind
from kiosk.scanning.model import ScanResult, SourceState, Symbology

log = logging.getLogger(__name__)


class ScanSignals(QObject):
    """Pass `on_scan` / `on_status` as callbacks to any source or pipeline; the signals
    reach slots on the GUI thread through Qt's queued connections."""

    scanned = Signal(object)  # ScanResult
    status_changed = Signal(object)  # SourceState

    def on_scan(self, result: ScanResult) -> None:
        self.scanned.emit(result)

    def on_status(self, state: SourceState) -> None:
        self.status_changed.emit(state)


class KeyboardWedgeFilter(QObject):
    """Takes a keyboard-wedge scanner's bursts out of the key stream.

    Printable keys and Enter are held back while the HidLineAssembler decides: a
    scanner burst becomes `scanned`, a person's typing is replayed, unchanged, to the
    widget that had the focus. Other keys (arrows, Escape, modifiers) pass at once.
    """

    scanned = Signal(object)  # ScanResult

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        max_gap_s: float = 0.05,
        min_length: int = 4,
        clock: Callable[[], float] = time.monotonic,
        poll_ms: int = 20,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._assembler = HidLineAssembler(max_gap_s=max_gap_s, min_length=min_length, clock=clock)
        self._replaying = False
        self._target: QObject | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.flush)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        char = self._char(event)
        if char is None:
            return False
        if self._assembler.pending == 0:
            focus = QApplication.focusWidget()
            self._target = focus if focus is not None else watched
        self._deliver(self._assembler.feed(char))
        if self._assembler.pending:
            self._timer.start()
        return True

    @property
    def pending(self) -> int:
        """Keys held back while deciding whether they are a scan."""
        return self._assembler.pending

    def flush(self) -> None:
        """Release what the pause since the last key has decided (the timer calls it)."""
        self._deliver(self._assembler.poll())
        if not self._assembler.pending:
            self._timer.stop()

    @staticmethod
    def _char(event: QKeyEvent) -> str | None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return "\n"
        mods = event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        if mods != Qt.KeyboardModifier.NoModifier:
            return None  # shortcuts are never part of a scan
        text = event.text()
        return text if len(text) == 1 and text.isprintable() else None

    def _deliver(self, lines: list[HidLine]) -> None:
        for line in lines:
            if line.kind is LineKind.SCAN:
                self.scanned.emit(
                    ScanResult(line.text, Symbology.UNKNOWN, "keyboard", self._clock())
                )
            else:
                self._replay(line.text)

    def _replay(self, text: str) -> None:
        target = self._target
        if target is None:
            return
        self._replaying = True
        try:
            for char in text:
                if char == "\n":
                    key, char_text = Qt.Key.Key_Return, "\r"
                else:
                    key, char_text = (
                        Qt.Key(ord(char.upper())) if ord(char) < 128 else Qt.Key.Key_unknown,
                        char,
                    )
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QCoreApplication.sendEvent(
                        target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char_text)
                    )
        finally:
            self._replaying = False
