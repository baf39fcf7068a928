"""A keyboard-wedge scanner read straight from its /dev/input/event* node.

Reading the device (instead of key events in the UI) means scanner keys never land in
a text field, and the kernel's own timestamps tell bursts from typing. The kernel's
`struct input_event` is parsed here with `struct`, so no `evdev` package is needed.

Set the scanner to a US keyboard layout with an Enter suffix. The kiosk user needs read
access to the node (group `input`, or a udev rule on /dev/input/by-id/...-event-kbd).
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import select
import struct
import time
from collections.abc import Callable

from kiosk.scanning.errors import ScannerPortError
from kiosk.scanning.hid import HidLine, HidLineAssembler, LineKind, split_aim_identifier
from kiosk.scanning.model import ScanResult, SourceState, SourceStatus, Symbology
from kiosk.scanning.scanner_thread import ScannerThread

log = logging.getLogger(__name__)

# struct input_event on 64-bit Linux: struct timeval (two longs), __u16 type, __u16 code,
# __s32 value.
EVENT_FORMAT = "llHHi"
EVENT_SIZE = struct.calcsize(EVENT_FORMAT)
EV_KEY = 0x01
KEY_PRESS, KEY_REPEAT = 1, 2
EVIOCGRAB = 0x40044590  # _IOW('E', 0x90, int)

KEY_ENTER, KEY_KPENTER = 28, 96
_SHIFTS = frozenset({42, 54})  # KEY_LEFTSHIFT, KEY_RIGHTSHIFT


def _build_keymap() -> dict[int, tuple[str, str]]:
    """Linux keycode -> (plain, shifted) character on a US layout."""
    rows = [
        (2, "1234567890-=", "!@#$%^&*()_+"),
        (16, "qwertyuiop[]", "QWERTYUIOP{}"),
        (30, "asdfghjkl;'`", 'ASDFGHJKL:"~'),
        (43, "\\zxcvbnm,./", "|ZXCVBNM<>?"),
    ]
    keymap: dict[int, tuple[str, str]] = {}
    for start, plain, shifted in rows:
        for i, (p, s) in enumerate(zip(plain, shifted, strict=True)):
            keymap[start + i] = (p, s)
    keymap[57] = (" ", " ")  # KEY_SPACE
    keypad = {
        71: "7",
        72: "8",
        73: "9",
        74: "-",
        75: "4",
        76: "5",
        77: "6",
        78: "+",
        79: "1",
        80: "2",
        81: "3",
        82: "0",
        83: ".",
        55: "*",
        98: "/",
    }
    keymap.update({code: (ch, ch) for code, ch in keypad.items()})
    keymap[KEY_ENTER] = ("\n", "\n")
    keymap[KEY_KPENTER] = ("\n", "\n")
    return keymap


KEYMAP = _build_keymap()


class KeyDecoder:
    """Turns raw key events into characters, tracking the shift keys."""

    def __init__(self) -> None:
        self._shift = 0

    def feed(self, code: int, value: int) -> str | None:
        if code in _SHIFTS:
            if value == KEY_PRESS:
                self._shift += 1
            elif value == 0:
                self._shift = max(0, self._shift - 1)
            return None
        if value not in (KEY_PRESS, KEY_REPEAT):
            return None
        chars = KEYMAP.get(code)
        if chars is None:
            return None
        return chars[1] if self._shift else chars[0]


class EvdevScannerSource(ScannerThread):
    """Reads a HID scanner's event node in a thread and reports each scanned line.

    `grab=True` takes the device exclusively (EVIOCGRAB) so its keys do not also reach
    the UI. If the node disappears (scanner unplugged) the reader reports DISCONNECTED
    and reopens it every `reconnect_s` seconds.
    """

    def __init__(
        self,
        path: str,
        on_scan: Callable[[ScanResult], None],
        *,
        grab: bool = True,
        aim_prefix: bool = False,
        on_status: Callable[[SourceState], None] | None = None,
        on_typed: Callable[[HidLine], None] | None = None,
        max_gap_s: float = 0.05,
        min_length: int = 4,
        reconnect_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = path
        self.name = f"hid:{path}"
        self._on_scan = on_scan
        self._on_typed = on_typed
        self.grab = grab
        self.aim_prefix = aim_prefix
        self.reconnect_s = reconnect_s
        super().__init__(on_status, clock)
        # Kernel timestamps are wall-clock (CLOCK_REALTIME) by default, so the
        # assembler's idle check must use the same clock.
        self._assembler = HidLineAssembler(
            max_gap_s=max_gap_s, min_length=min_length, clock=time.time, name=self.name
        )

    def _open(self) -> int:
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError as exc:
            raise ScannerPortError(self.path, exc.strerror or str(exc)) from exc
        if self.grab:
            try:
                fcntl.ioctl(fd, EVIOCGRAB, 1)
            except OSError as exc:
                log.warning(
                    "%s: cannot grab the device (%s); its keys also reach the UI",
                    self.name,
                    exc.strerror,
                )
        return fd

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                fd = self._open()
            except ScannerPortError as exc:
                self._set_state(SourceStatus.DISCONNECTED, str(exc))
                self._stop.wait(self.reconnect_s)
                continue
            self._set_state(SourceStatus.RUNNING, "")
            try:
                self._read(fd)
            finally:
                os.close(fd)
            if not self._stop.is_set():
                self._set_state(SourceStatus.DISCONNECTED, f"{self.path} went away")
                self._stop.wait(self.reconnect_s)

    def _read(self, fd: int) -> None:
        keys = KeyDecoder()
        pending = b""
        while not self._stop.is_set():
            ready, _, _ = select.select([fd], [], [], 0.02)
            self._deliver(self._assembler.poll())
            if not ready:
                continue
            try:
                chunk = os.read(fd, EVENT_SIZE * 64)
            except BlockingIOError:
                continue
            except OSError as exc:
                if exc.errno in (errno.ENODEV, errno.EIO):
                    return  # unplugged
                raise
            if not chunk:
                return  # the writer end closed (a FIFO in tests)
            pending += chunk
            usable = len(pending) - len(pending) % EVENT_SIZE
            for sec, usec, etype, code, value in struct.iter_unpack(EVENT_FORMAT, pending[:usable]):
                if etype != EV_KEY:
                    continue
                char = keys.feed(code, value)
                if char is not None:
                    self._deliver(self._assembler.feed(char, sec + usec / 1e6))
            pending = pending[usable:]

    def _deliver(self, lines: list[HidLine]) -> None:
        for line in lines:
            if line.kind is LineKind.TYPED:
                if self._on_typed is not None:
                    self._on_typed(line)
                continue
            symbology, text = (
                split_aim_identifier(line.text)
                if self.aim_prefix
                else (Symbology.UNKNOWN, line.text)
            )
            result = ScanResult(text, symbology, self.name, self._clock())
            try:
                self._on_scan(result)
            except Exception:
                log.exception("on_scan callback failed for %r", result)
