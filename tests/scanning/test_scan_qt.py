"""The Qt bridge: results from worker threads as signals, and the keyboard-wedge filter
on real Qt key events (offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from kiosk.scanning import FileSource, ScanPipeline, SourceStatus
from kiosk.scanning.qt_adapter import KeyboardWedgeFilter, ScanSignals
from kiosk.scanning.synth import on_canvas, render_qr

from .conftest import FakeClock

pytestmark = pytest.mark.ui


def test_pipeline_results_arrive_as_signals_on_the_gui_thread(qtbot) -> None:
    signals = ScanSignals()
    source = FileSource(
        on_canvas(render_qr("XP1:L1:12345678")), fps=30, on_status=signals.on_status
    )
    pipeline = ScanPipeline(source, signals.on_scan)
    threads = []
    signals.scanned.connect(
        lambda r: threads.append(QApplication.instance().thread().isCurrentThread())
    )
    with (
        qtbot.waitSignal(signals.status_changed, timeout=5000),
        qtbot.waitSignal(signals.scanned, timeout=5000) as blocker,
    ):
        pipeline.start()
    try:
        assert blocker.args[0].text == "XP1:L1:12345678"
        assert threads == [True]
        assert source.state.status is SourceStatus.RUNNING
    finally:
        pipeline.stop()


@pytest.fixture
def wedge(qtbot):
    clock = FakeClock()
    filt = KeyboardWedgeFilter(clock=clock, max_gap_s=0.05)
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    QApplication.instance().installEventFilter(filt)
    yield filt, field, clock
    QApplication.instance().removeEventFilter(filt)


def type_text(field: QLineEdit, clock: FakeClock, text: str, gap: float) -> None:
    for char in text:
        if char == "\n":
            QTest.keyClick(field, Qt.Key.Key_Return)
        else:
            QTest.keyClicks(field, char)
        clock.advance(gap)


def test_scanner_burst_becomes_a_scan_and_never_reaches_the_field(wedge, qtbot) -> None:
    filt, field, clock = wedge
    with qtbot.waitSignal(filt.scanned, timeout=1000) as blocker:
        type_text(field, clock, "XP1:LOCKER-42:12345678\n", gap=0.004)
    assert blocker.args[0].text == "XP1:LOCKER-42:12345678"
    assert blocker.args[0].source == "keyboard"
    assert field.text() == ""


def test_person_typing_reaches_the_focused_field_unchanged(wedge, qtbot) -> None:
    filt, field, clock = wedge
    scans = []
    filt.scanned.connect(scans.append)
    returns = []
    field.returnPressed.connect(lambda: returns.append(field.text()))
    type_text(field, clock, "4711", gap=0.2)
    filt.flush()  # the last key waits for the pause that proves it was typed
    assert field.text() == "4711"
    type_text(field, clock, "\n", gap=0.2)
    assert returns == ["4711"] and scans == []


def test_shortcuts_and_navigation_keys_pass_straight_through(wedge) -> None:
    filt, field, clock = wedge
    field.setText("abc")
    QTest.keyClick(field, Qt.Key.Key_Backspace)
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    QTest.keyClick(field, Qt.Key.Key_Delete)
    assert field.text() == ""
    assert filt.pending == 0
