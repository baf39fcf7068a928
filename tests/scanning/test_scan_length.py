"""A scan is capped where it is read: a huge QR code, a serial scanner's or a keyboard
wedge's endless line never reaches the flows whole, and what is logged of it is a short
escaped excerpt."""

from __future__ import annotations

import logging
import os
import queue

import pytest

from kiosk.scanning import (
    MAX_SCAN_CHARS,
    FileSource,
    ScanPipeline,
    ScanResult,
    SerialScannerSource,
    SourceStatus,
    make_decoder,
)
from kiosk.scanning.errors import ScanTooLong, excerpt
from kiosk.scanning.hid import HidLineAssembler, LineKind
from kiosk.scanning.synth import on_canvas, render_qr

from .conftest import wait_until

# Past the cap, starting like a real payload; the tail is what must never be logged.
HUGE = "XP1:LOCKER-0042:" + "9" * 700 + "SECRET-TAIL\x1b[2J"


def assert_logged_briefly(caplog: pytest.LogCaptureFixture) -> None:
    messages = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
    assert messages, "the drop was not logged"
    for message in messages:
        assert "SECRET-TAIL" not in message and "\x1b" not in message
        assert len(message) < 300


@pytest.mark.unit
def test_an_excerpt_is_short_and_escaped() -> None:
    assert excerpt("XP1:LOCKER-0042:12345678") == "XP1:LOCKER-0042:..."
    assert excerpt("\x1b[2J\u202e\n") == "\\x1b[2J\\u202e\\n"
    error = ScanTooLong("camera:0", len(HUGE), HUGE, MAX_SCAN_CHARS)
    assert "SECRET" not in str(error) and error.excerpt.startswith("XP1:LOCKER-0042:")


@pytest.mark.integration
def test_a_huge_qr_code_is_dropped_by_the_pipeline(caplog: pytest.LogCaptureFixture) -> None:
    frame = on_canvas(render_qr(HUGE, module_px=3, ec="L"), size=(800, 800))
    decoder = make_decoder("zxing")
    assert [d.text for d in decoder.decode(frame)] == [HUGE]  # the camera can read it...
    got: queue.Queue[ScanResult] = queue.Queue()
    ok = on_canvas(render_qr("XP1:LOCKER-0042:12345678", module_px=4))
    source = FileSource([frame, ok], fps=20)
    pipeline = ScanPipeline(source, got.put, decoder)
    with caplog.at_level(logging.WARNING, logger="kiosk.scanning.pipeline"):
        pipeline.start()
        try:
            first = got.get(timeout=10)  # ...but only the normal code is handed on
            wait_until(lambda: pipeline.stats().scans_too_long >= 1, what="the drop")
        finally:
            pipeline.stop()
    assert first.text == "XP1:LOCKER-0042:12345678"
    assert all(r.text != HUGE for r in list(got.queue))
    assert "dropped" in pipeline.stats().last_error
    assert_logged_briefly(caplog)


@pytest.mark.integration
def test_a_serial_scanner_line_of_a_megabyte_is_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    master, slave = os.openpty()
    path = os.ttyname(slave)
    got: queue.Queue[ScanResult] = queue.Queue()
    scanner = SerialScannerSource(path, got.put, reconnect_s=0.05)
    with caplog.at_level(logging.WARNING, logger="kiosk.scanning.serial_scanner"):
        scanner.start()
        try:
            wait_until(lambda: scanner.state.status is SourceStatus.RUNNING, what="port open")
            payload = (HUGE * 1500).encode()[: 1 << 20]  # 1 MB without a line end...
            view = memoryview(payload + b"\r\nXP1:LOCKER-0042:12345678\r\n")
            while view:
                view = view[os.write(master, view[:4096]):]
            result = got.get(timeout=30)  # ...then a normal code on the next line
        finally:
            scanner.stop()
            os.close(master)
            os.close(slave)
    assert result.text == "XP1:LOCKER-0042:12345678"
    assert got.empty() and scanner.lines_too_long == 1
    assert_logged_briefly(caplog)


@pytest.mark.unit
def test_a_keyboard_wedge_burst_past_the_cap_is_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    t = [0.0]
    assembler = HidLineAssembler(clock=lambda: t[0], name="hid:/dev/input/event3")
    out = []
    with caplog.at_level(logging.WARNING, logger="kiosk.scanning.hid"):
        for key in HUGE * 20:
            t[0] += 0.001
            out += assembler.feed(key)
        out += assembler.feed("\r")
        assert assembler.pending == 0 and assembler.too_long == 1
        for key in "XP1:LOCKER-0042:12345678\r":
            t[0] += 0.001
            out += assembler.feed(key)
    assert [(line.kind, line.text) for line in out] == [
        (LineKind.SCAN, "XP1:LOCKER-0042:12345678")
    ]
    assert_logged_briefly(caplog)
    # An overlong burst that just stops (no Enter) ends at the pause, too.
    for key in HUGE:
        t[0] += 0.001
        assembler.feed(key)
    t[0] += 1.0
    assert assembler.poll() == [] and assembler.too_long == 2
    assert [line.text for line in assembler.feed("1")] == [] and assembler.pending == 1
