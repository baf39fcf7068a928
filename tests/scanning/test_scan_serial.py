"""A line-mode serial scanner over a real pseudo-terminal."""

from __future__ import annotations

import os
import queue
import time
from collections.abc import Iterator

import pytest

from kiosk.scanning import ScanResult, SerialScannerSource, SourceStatus, Symbology

from .conftest import wait_until

pytestmark = pytest.mark.integration


class Pty:
    """The scanner end (master) of a pty; the kiosk opens `path` like a USB-CDC port."""

    def __init__(self) -> None:
        self.master, slave = os.openpty()
        self.path = os.ttyname(slave)
        os.close(slave)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        if self.master >= 0:
            os.close(self.master)
            self.master = -1


@pytest.fixture
def pty() -> Iterator[Pty]:
    port = Pty()
    yield port
    port.close()


def start(pty: Pty, **kwargs) -> tuple[SerialScannerSource, queue.Queue[ScanResult]]:
    got: queue.Queue[ScanResult] = queue.Queue()
    scanner = SerialScannerSource(pty.path, got.put, reconnect_s=0.05, **kwargs)
    scanner.start()
    wait_until(lambda: scanner.state.status is SourceStatus.RUNNING, what="port open")
    return scanner, got


def test_lines_become_scans(pty: Pty) -> None:
    scanner, got = start(pty)
    try:
        pty.send(b"XP1:LOCKER-0042:12345678\r\n")
        result = got.get(timeout=3)
        assert (result.text, result.symbology) == ("XP1:LOCKER-0042:12345678", Symbology.UNKNOWN)
        assert result.source == f"serial:{pty.path}" and result.decode_ms == 0
        # Split across writes, CR only, LF only, blank lines, surrounding spaces.
        pty.send(b"JD0146")
        time.sleep(0.05)
        pty.send(b"000032785\rBADGE-7\n\r\n\n  PKG 1  \n")
        assert [got.get(timeout=3).text for _ in range(3)] == [
            "JD0146000032785",
            "BADGE-7",
            "PKG 1",
        ]
        time.sleep(0.1)
        assert got.empty() and scanner.lines_received == 4
    finally:
        scanner.stop()


def test_aim_identifiers_give_the_symbology(pty: Pty) -> None:
    scanner, got = start(pty, aim_prefix=True)
    try:
        pty.send(b"]Q1XP1:L1:00000001\r]C0JD0146000032785\r]E05901234123457\rPLAIN\r")
        results = [got.get(timeout=3) for _ in range(4)]
        assert [(r.symbology, r.text) for r in results] == [
            (Symbology.QR, "XP1:L1:00000001"),
            (Symbology.CODE_128, "JD0146000032785"),
            (Symbology.EAN_13, "5901234123457"),
            (Symbology.UNKNOWN, "PLAIN"),
        ]
    finally:
        scanner.stop()


def test_scanner_without_suffix_ends_lines_on_silence(pty: Pty) -> None:
    scanner, got = start(pty, line_timeout_s=0.15)
    try:
        pty.send(b"NO-SUFFIX-1")
        assert got.get(timeout=3).text == "NO-SUFFIX-1"
    finally:
        scanner.stop()


def test_noise_and_wrong_encoding_are_contained(pty: Pty, caplog) -> None:
    scanner, got = start(pty, max_line=32)
    try:
        pty.send(b"\x9e" * 100)  # a wrong baud rate looks like this: no line end
        pty.send(b"\rCODE-\xe9\r")  # Latin-1 byte: kept, with a warning
        pty.send(b"AFTER\r")
        assert [got.get(timeout=3).text for _ in range(2)] == ["CODE-é", "AFTER"]
    finally:
        scanner.stop()
    assert "was dropped" in caplog.text and "check the baud rate" in caplog.text
    assert "not UTF-8" in caplog.text


def test_port_that_goes_away_reports_and_recovers_when_it_returns(tmp_path) -> None:
    # Configured through a stable name, as /dev/serial/by-id/... links are on the kiosk.
    link = tmp_path / "usb-Scanner_1234-if00"
    first = Pty()
    link.symlink_to(first.path)
    got: queue.Queue[ScanResult] = queue.Queue()
    scanner = SerialScannerSource(str(link), got.put, reconnect_s=0.05)
    scanner.start()
    second = None
    try:
        wait_until(lambda: scanner.state.status is SourceStatus.RUNNING, what="port open")
        first.send(b"BEFORE\r")
        assert got.get(timeout=3).text == "BEFORE"
        first.close()  # unplugged: the device and its by-id link disappear
        link.unlink()
        wait_until(lambda: scanner.state.status is SourceStatus.DISCONNECTED, what="DISCONNECTED")
        second = Pty()  # plugged back in (the kernel gives it a new tty)
        link.symlink_to(second.path)
        wait_until(lambda: scanner.state.status is SourceStatus.RUNNING, what="reopened")
        second.send(b"AFTER\r")
        assert got.get(timeout=3).text == "AFTER"
    finally:
        scanner.stop()
        if second is not None:
            second.close()
    assert scanner.state.status is SourceStatus.STOPPED


def test_missing_port_is_a_status_with_the_reason() -> None:
    got: queue.Queue[ScanResult] = queue.Queue()
    scanner = SerialScannerSource(
        "/dev/serial/by-id/usb-no-such-scanner", got.put, reconnect_s=0.05
    )
    scanner.start()
    try:
        wait_until(lambda: scanner.state.status is SourceStatus.DISCONNECTED, what="DISCONNECTED")
        assert "cannot open" in scanner.state.detail
        assert "usb-no-such-scanner" in scanner.state.detail
    finally:
        scanner.stop()
