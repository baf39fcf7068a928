"""pyserial URL handler `locksim://<name>`: a serial port wired to an in-process
`SimulatedBank`.

pyserial builds a port object from the URL alone (`serial.serial_for_url`), so the
banks are found by name in a registry kept in this module. Replies are scheduled when a
request is written and become readable at their due time (checked lazily on every read),
so a "late" or "split" reply shows up at the same point of the driver's read loop
however busy the machine is. Like a pty, it rejects RTS/DTR/RS-485 settings, and it
lets only one port object open a bank at a time (like an exclusive lock on a tty).
"""

from __future__ import annotations

import errno
import heapq
import itertools
import threading
import time
from typing import TYPE_CHECKING

import serial
from serial.serialutil import PortNotOpenError, SerialBase, SerialException

if TYPE_CHECKING:
    from locker_driver.sim.model import SimulatedBank

PACKAGE = "locker_driver.sim"
_REGISTRY: dict[str, SimulatedBank] = {}
_OPEN: set[str] = set()
_REGISTRY_LOCK = threading.Lock()
_COUNTER = itertools.count(1)
_POLL_S = 0.002


def register_scheme() -> None:
    """Make `serial.serial_for_url` find this module for `locksim://` URLs."""
    if PACKAGE not in serial.protocol_handler_packages:
        serial.protocol_handler_packages.append(PACKAGE)


def attach(bank: SimulatedBank, name: str | None = None) -> str:
    register_scheme()
    with _REGISTRY_LOCK:
        name = name or f"bank{next(_COUNTER)}"
        if name in _REGISTRY:
            raise ValueError(f"locksim://{name} is already attached")
        _REGISTRY[name] = bank
        return name


def detach(name: str) -> None:
    with _REGISTRY_LOCK:
        _REGISTRY.pop(name, None)


class Serial(SerialBase):
    """The port object pyserial hands to the driver for `locksim://` URLs."""

    is_open: bool

    def open(self) -> None:
        if self.is_open:
            raise SerialException("Port is already open.")
        if self._port is None:
            raise SerialException("Port must be configured before it can be used.")
        name = self.from_url(self._port)
        with _REGISTRY_LOCK:
            bank = _REGISTRY.get(name)
            if bank is None or bank.unplugged:
                raise SerialException(
                    errno.ENOENT, f"could not open port {self._port}: no such device"
                )
            if name in _OPEN:
                raise SerialException(
                    errno.EWOULDBLOCK,
                    f"Could not exclusively lock port {self._port}: already open",
                )
            _OPEN.add(name)
        self._name = name
        self._bank = bank
        self._pending: list[tuple[float, int, bytes]] = []
        self._seq = itertools.count()
        self._rx = bytearray()
        self.is_open = True
        if self._rs485_mode is not None:
            self.close()
            raise SerialException(errno.ENOTTY, "RS-485 mode: inappropriate ioctl for device")

    def close(self) -> None:
        if self.is_open:
            with _REGISTRY_LOCK:
                _OPEN.discard(self._name)
            self.is_open = False

    @staticmethod
    def from_url(url: str) -> str:
        if not url.lower().startswith("locksim://"):
            raise SerialException(f"expected a locksim://<name> URL, got {url!r}")
        name = url[len("locksim://"):].strip("/")
        if not name:
            raise SerialException("locksim:// URL needs a bank name")
        return name

    def _reconfigure_port(self) -> None:
        if self.is_open and self._rs485_mode is not None:
            raise SerialException(errno.ENOTTY, "RS-485 mode: inappropriate ioctl for device")

    def _update_rts_state(self) -> None:
        raise SerialException(errno.ENOTTY, "RTS: inappropriate ioctl for device")

    def _update_dtr_state(self) -> None:
        raise SerialException(errno.ENOTTY, "DTR: inappropriate ioctl for device")

    def _update_break_state(self) -> None:
        raise SerialException(errno.ENOTTY, "break: inappropriate ioctl for device")

    def _check(self) -> None:
        if not self.is_open:
            raise PortNotOpenError()
        if self._bank.unplugged:
            raise SerialException(
                errno.EIO, "device reports readiness to read but returned no data "
                "(device disconnected or multiple access on port?)"
            )

    def _collect_due(self) -> None:
        now = time.monotonic()
        while self._pending and self._pending[0][0] <= now:
            _, _, data = heapq.heappop(self._pending)
            self._rx += data

    @property
    def in_waiting(self) -> int:
        self._check()
        self._collect_due()
        return len(self._rx)

    def read(self, size: int = 1) -> bytes:
        self._check()
        deadline = None if self._timeout is None else time.monotonic() + self._timeout
        while True:
            self._collect_due()
            if len(self._rx) >= size:
                break
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            wait = _POLL_S
            if self._pending:
                wait = min(wait, max(0.0, self._pending[0][0] - now))
            if deadline is not None:
                wait = min(wait, max(0.0, deadline - now))
            time.sleep(wait)
            self._check()
        data = bytes(self._rx[:size])
        del self._rx[:size]
        return data

    def write(self, data: bytes) -> int:
        self._check()
        if self._bank.unplug_on_next_write:
            self._bank.unplug_on_next_write = False
            self._bank.unplug()
            raise SerialException(errno.EIO, "write failed: [Errno 5] Input/output error")
        data = bytes(data)
        now = time.monotonic()
        for emission in self._bank.feed(data):
            heapq.heappush(self._pending, (now + emission.delay_s, next(self._seq), emission.data))
        return len(data)

    def flush(self) -> None:
        self._check()

    def reset_input_buffer(self) -> None:
        self._check()
        self._collect_due()
        self._rx.clear()

    def reset_output_buffer(self) -> None:
        self._check()

    @property
    def cts(self) -> bool:
        raise SerialException(errno.ENOTTY, "CTS: inappropriate ioctl for device")

    @property
    def dsr(self) -> bool:
        raise SerialException(errno.ENOTTY, "DSR: inappropriate ioctl for device")

    @property
    def ri(self) -> bool:
        raise SerialException(errno.ENOTTY, "RI: inappropriate ioctl for device")

    @property
    def cd(self) -> bool:
        raise SerialException(errno.ENOTTY, "CD: inappropriate ioctl for device")
