"""Opening a serial port from a pyserial URL, and turning pyserial's errors into ours.

The port is opened exclusively, with its read timeout set once (changing it around a
write has lost data, pyserial #504), and RTS/DTR/RS-485 mode only when configured: a
pty or a TCP bridge rejects those ioctls.
"""

from __future__ import annotations

import errno
import logging
import termios
import threading
from collections.abc import Callable
from dataclasses import dataclass

import serial
from serial.rs485 import RS485Settings

from locker_driver.errors import PortBusy, PortError, PortUnavailable

log = logging.getLogger(__name__)

_BUSY_ERRNOS = {errno.EBUSY, errno.EAGAIN, errno.EWOULDBLOCK}


@dataclass(frozen=True)
class PortSettings:
    url: str
    baudrate: int
    read_poll_s: float
    write_timeout_s: float = 2.0
    exclusive: bool = True
    rts: bool | None = None
    dtr: bool | None = None
    rs485: bool = False


def open_port(settings: PortSettings) -> serial.SerialBase:
    """Open the port or raise PortBusy / PortUnavailable with what to check."""
    if settings.url.lower().startswith("locksim://"):
        from locker_driver.sim.protocol_locksim import register_scheme

        register_scheme()
    try:
        port = serial.serial_for_url(
            settings.url,
            baudrate=settings.baudrate,
            bytesize=serial.EIGHTBITS,
            parity=serial.PARITY_NONE,
            stopbits=serial.STOPBITS_ONE,
            timeout=settings.read_poll_s,
            write_timeout=settings.write_timeout_s,
            exclusive=settings.exclusive,
            do_not_open=True,
        )
        if settings.rs485:
            port.rs485_mode = RS485Settings()
        port.open()
        if settings.rts is not None:
            port.rts = settings.rts
        if settings.dtr is not None:
            port.dtr = settings.dtr
    except (serial.SerialException, OSError, ValueError, termios.error) as exc:
        raise classify(settings.url, exc, opening=True) from exc
    log.info("opened %s at %d baud", settings.url, settings.baudrate)
    return port


def classify(url: str, exc: BaseException, *, opening: bool = False) -> PortError:
    """Map an exception from pyserial or the OS to PortBusy or PortUnavailable."""
    code = getattr(exc, "errno", None)
    text = str(exc)
    if code in _BUSY_ERRNOS or "exclusively lock" in text:
        return PortBusy(
            url,
            f"the port is in use by another program ({text}); stop the other kiosk or "
            "sync instance, or a terminal program, that holds it",
        )
    if code == errno.EACCES:
        return PortUnavailable(
            url, f"permission denied ({text}); add the service user to the 'dialout' group"
        )
    if code == errno.ENOTTY or "inappropriate ioctl" in text.lower():
        return PortUnavailable(
            url,
            f"the port rejected a line setting ({text}); remove rts/dtr/rs485 from the "
            "board configuration for a pty or a TCP bridge",
        )
    if isinstance(exc, ValueError) and "protocol" in text:
        return PortUnavailable(url, f"unknown port URL scheme ({text}); check board.port")
    if opening:
        return PortUnavailable(
            url,
            f"cannot open the port ({text}); check the USB cable and the "
            "/dev/serial/by-id/... path (or host:port of the Ethernet bridge)",
        )
    return PortUnavailable(
        url,
        f"the port failed during use ({text}); the USB adapter was probably unplugged, "
        "the driver reconnects by itself",
    )


@dataclass(frozen=True)
class PortStatus:
    url: str
    connected: bool
    reconnects: int  # times the port came back after being lost
    failed_attempts: int  # consecutive failed opens since the port was lost
    last_error: str | None


class PortHolder:
    """Owns the open port of one bus and reopens it after it is lost.

    Reconnect policy: `attempts` tries `interval_s` apart, then a `cooldown_s` pause,
    and again. While waiting, `get()` fails fast with PortUnavailable so an unlock is
    reported NOT_SENT at once instead of hanging.
    """

    def __init__(
        self,
        settings: PortSettings,
        interval_s: float,
        attempts: int,
        cooldown_s: float,
        clock: Callable[[], float],
    ) -> None:
        self.settings = settings
        self._interval_s = interval_s
        self._attempts = attempts
        self._cooldown_s = cooldown_s
        self._clock = clock
        self._port: serial.SerialBase | None = None
        self._next_attempt = 0.0
        self._failures = 0
        self._ever_open = False
        self._reconnects = 0
        self._last_error: str | None = None
        self._lock = threading.Lock()

    def get(self) -> serial.SerialBase:
        if self._port is not None:
            return self._port
        now = self._clock()
        if now < self._next_attempt:
            raise PortUnavailable(
                self.settings.url,
                f"port is down, next reconnect attempt in {self._next_attempt - now:.1f} s "
                f"(last error: {self._last_error})",
            )
        try:
            port = open_port(self.settings)
        except PortError as exc:
            with self._lock:
                self._failures += 1
                self._last_error = str(exc)
                pause = (
                    self._cooldown_s if self._failures % self._attempts == 0 else self._interval_s
                )
                self._next_attempt = self._clock() + pause
            raise
        with self._lock:
            if self._ever_open:
                self._reconnects += 1
                log.warning("%s is back after %d failed attempt(s)", self.settings.url,
                            self._failures)
            self._port, self._ever_open, self._failures = port, True, 0
        return port

    def lost(self, error: BaseException) -> None:
        """The port failed in use (USB unplug): close it; the next get() reopens it."""
        with self._lock:
            port, self._port = self._port, None
            self._last_error = str(error)
            self._next_attempt = self._clock()  # first attempt at once, then the policy
        log.warning("%s lost: %s", self.settings.url, error)
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError, termios.error) as exc:
                log.debug("closing a lost port failed too: %s", exc)

    def close(self) -> None:
        with self._lock:
            port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError, termios.error) as exc:
                log.debug("closing the port failed: %s", exc)

    def status(self) -> PortStatus:
        with self._lock:
            return PortStatus(
                url=self.settings.url,
                connected=self._port is not None,
                reconnects=self._reconnects,
                failed_attempts=self._failures,
                last_error=self._last_error,
            )
