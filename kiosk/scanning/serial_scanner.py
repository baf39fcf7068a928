"""Scanners that send each code as a line on a serial port (USB-CDC "virtual COM" mode,
RS-232 or a TCP bridge): any pyserial URL, e.g. /dev/serial/by-id/usb-...-if00,
socket://10.0.0.5:4001, or a pty in tests.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import serial

from kiosk.scanning.errors import ScanTooLong
from kiosk.scanning.hid import split_aim_identifier
from kiosk.scanning.model import (
    MAX_SCAN_CHARS,
    ScanResult,
    SourceState,
    SourceStatus,
    Symbology,
)
from kiosk.scanning.scanner_thread import ScannerThread

log = logging.getLogger(__name__)

TERMINATORS = b"\r\n"


class SerialScannerSource(ScannerThread):
    """Reads lines from a serial scanner in a thread and reports each one as a scan.

    - a line ends at CR or LF (CRLF counts once); blank lines are ignored;
    - `line_timeout_s` also ends a line after that much silence (scanners set up
      without a suffix); None waits for a terminator;
    - a line longer than `max_line` bytes (default MAX_SCAN_CHARS) is dropped up to its
      end and logged as `ScanTooLong` with a short escaped excerpt: a huge payload
      never reaches the flows whole;
    - if the port cannot be opened or vanishes, the state becomes DISCONNECTED and the
      port is reopened every `reconnect_s` seconds. RTS/DTR are never touched.
    """

    def __init__(
        self,
        url: str,
        on_scan: Callable[[ScanResult], None],
        *,
        baudrate: int = 9600,
        aim_prefix: bool = False,
        line_timeout_s: float | None = None,
        max_line: int = MAX_SCAN_CHARS,
        reconnect_s: float = 2.0,
        on_status: Callable[[SourceState], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.name = f"serial:{url}"
        self.baudrate = baudrate
        self.aim_prefix = aim_prefix
        self.line_timeout_s = line_timeout_s
        self.max_line = max_line
        self.reconnect_s = reconnect_s
        self._on_scan = on_scan
        super().__init__(on_status, clock)
        self.lines_received = 0
        self.lines_too_long = 0

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                # The timeout is set once at open: changing it later reconfigures the
                # port and has lost data (pyserial #504).
                port = serial.serial_for_url(self.url, baudrate=self.baudrate, timeout=0.05)
            except (serial.SerialException, OSError, ValueError) as exc:
                self._set_state(SourceStatus.DISCONNECTED, f"cannot open: {exc}")
                self._stop.wait(self.reconnect_s)
                continue
            self._set_state(SourceStatus.RUNNING, f"{self.baudrate} baud")
            try:
                self._read(port)
            except (serial.SerialException, OSError) as exc:
                self._set_state(SourceStatus.DISCONNECTED, f"port lost: {exc}")
            finally:
                port.close()
            if not self._stop.is_set():
                self._stop.wait(self.reconnect_s)

    def _read(self, port: serial.SerialBase) -> None:
        buffer = bytearray()
        discarding = False  # inside an overlong run: drop up to the next line end
        last_byte_at = self._clock()
        while not self._stop.is_set():
            chunk = port.read(max(1, port.in_waiting))
            now = self._clock()
            if not chunk:
                if (
                    buffer
                    and self.line_timeout_s is not None
                    and now - last_byte_at >= self.line_timeout_s
                ):
                    self._emit(bytes(buffer))
                    buffer.clear()
                continue
            last_byte_at = now
            for byte in chunk:
                if byte in TERMINATORS:
                    if buffer and not discarding:
                        self._emit(bytes(buffer))
                    buffer.clear()
                    discarding = False
                    continue
                if discarding:
                    continue
                buffer.append(byte)
                if len(buffer) > self.max_line:
                    self.lines_too_long += 1
                    error = ScanTooLong(self.name, len(buffer), buffer.decode("latin-1"),
                                        self.max_line)
                    log.warning("%s (or line noise: check the baud rate)", error)
                    buffer.clear()
                    discarding = True

    def _emit(self, raw: bytes) -> None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            # Wrong baud rate or a scanner set to another code page; keep the line
            # (the flow rejects it as an unknown code) but say why it looks odd.
            log.warning("%s: a line that is not UTF-8 (check the baud rate)", self.name)
            text = raw.decode("latin-1")
        text = text.strip()
        if not text:
            return
        self.lines_received += 1
        symbology, text = (
            split_aim_identifier(text) if self.aim_prefix else (Symbology.UNKNOWN, text)
        )
        result = ScanResult(text, symbology, self.name, self._clock())
        try:
            self._on_scan(result)
        except Exception:
            log.exception("on_scan callback failed for %r", result)
