"""A tiny sd_notify client: tell systemd we are ready, alive, busy or stopping.

Both long-running processes (the kiosk under cage, the sync worker) run as
`Type=notify` units with a watchdog. This module speaks the notification protocol
directly (one datagram on the AF_UNIX socket named by `$NOTIFY_SOCKET`), so it needs
no C library or PyPI package. When the process is not started by systemd (a developer
shell, the demo, tests) every call is a silent no-op.

Usage::

    notifier = SystemdNotifier.from_environ()
    notifier.ready("serving LCK-0001")          # after start-up work is done
    ...
    notifier.ping_if_due()                      # from the main loop / a UI timer
    ...
    notifier.stopping()

Pinging from the loop that does the real work (the Qt event loop, the sync loop) is
the point: if that loop freezes, the pings stop and systemd restarts the unit.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)

# systemd's own clients ping at half the watchdog period; a ping that arrives a little
# late still lands inside the period.
WATCHDOG_FRACTION = 0.5


def socket_address(notify_socket: str) -> str | bytes | None:
    """The AF_UNIX address for a `$NOTIFY_SOCKET` value, or None if it is not one.

    `@name` is a Linux abstract socket (leading NUL byte); an absolute path is a
    filesystem socket. Other forms (`vsock:...`, relative paths) are not ours to use.
    """
    if notify_socket.startswith("@") and len(notify_socket) > 1:
        return b"\0" + notify_socket[1:].encode()
    if notify_socket.startswith("/"):
        return notify_socket
    return None


def watchdog_interval(environ: Mapping[str, str], pid: int, parent_pid: int) -> float | None:
    """Seconds between watchdog pings, or None when no watchdog is armed for us.

    systemd sets `WATCHDOG_USEC` and `WATCHDOG_PID` (the unit's main process). Under
    cage the kiosk is the compositor's child, so the parent's pid is accepted too;
    together with `NotifyAccess=all` the child's pings then count for the unit.
    """
    raw = environ.get("WATCHDOG_USEC", "")
    try:
        usec = int(raw)
    except ValueError:
        return None
    if usec <= 0:
        return None
    watchdog_pid = environ.get("WATCHDOG_PID", "")
    if watchdog_pid:
        try:
            owner = int(watchdog_pid)
        except ValueError:
            return None
        if owner not in (pid, parent_pid):
            return None
    return usec / 1_000_000 * WATCHDOG_FRACTION


class SystemdNotifier:
    """Sends state changes to systemd's notification socket; inert without one."""

    def __init__(
        self,
        address: str | bytes | None,
        watchdog_interval_s: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._address = address
        self._watchdog_interval_s = watchdog_interval_s if address is not None else None
        self._clock = clock
        self._socket: socket.socket | None = None
        self._last_ping: float | None = None
        self._failing = False

    @classmethod
    def from_environ(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> SystemdNotifier:
        env = os.environ if environ is None else environ
        raw = env.get("NOTIFY_SOCKET", "")
        address = socket_address(raw) if raw else None
        if raw and address is None:
            log.warning("NOTIFY_SOCKET=%r is not an AF_UNIX socket; not notifying systemd", raw)
        interval = watchdog_interval(env, os.getpid(), os.getppid())
        return cls(address, interval, clock=clock)

    @property
    def enabled(self) -> bool:
        """True when started by systemd with a notification socket."""
        return self._address is not None

    @property
    def watchdog_interval_s(self) -> float | None:
        """How often to call `watchdog()` (half of `WatchdogSec=`), None if unarmed."""
        return self._watchdog_interval_s

    # --- the messages ------------------------------------------------------------

    def ready(self, status: str | None = None) -> bool:
        """Start-up is done: systemd now considers the unit started."""
        fields = {"READY": "1"}
        if status:
            fields["STATUS"] = status
        return self.notify(fields)

    def status(self, text: str) -> bool:
        """A one-line state shown by `systemctl status` (never put secrets in it)."""
        return self.notify({"STATUS": text})

    def watchdog(self) -> bool:
        """Proof of life; send at least every `watchdog_interval_s` seconds."""
        sent = self.notify({"WATCHDOG": "1"})
        self._last_ping = self._clock()
        return sent

    def ping_if_due(self) -> bool:
        """Send `WATCHDOG=1` if the interval has passed; cheap to call from any loop."""
        if self._watchdog_interval_s is None:
            return False
        now = self._clock()
        if self._last_ping is not None and now - self._last_ping < self._watchdog_interval_s:
            return False
        return self.watchdog()

    def extend_timeout(self, seconds: float) -> bool:
        """Ask for more time before the start (or stop) times out, e.g. a long migration."""
        return self.notify({"EXTEND_TIMEOUT_USEC": str(int(seconds * 1_000_000))})

    def stopping(self, status: str | None = None) -> bool:
        """Shutdown has begun; systemd stops expecting watchdog pings."""
        fields = {"STOPPING": "1"}
        if status:
            fields["STATUS"] = status
        return self.notify(fields)

    def notify(self, fields: Mapping[str, str]) -> bool:
        """Send `KEY=value` lines in one datagram. True if it was handed to the socket.

        A failure is logged once per streak and never raised: losing a notification
        must not crash the kiosk (a missed watchdog ping is systemd's to judge).
        """
        if self._address is None:
            return False
        for key, value in fields.items():
            if "\n" in value or "\n" in key or "=" in key:
                raise ValueError(f"notification field {key!r} must be one line, no '=' in key")
        message = "\n".join(f"{k}={v}" for k, v in fields.items()).encode()
        try:
            if self._socket is None:
                self._socket = socket.socket(
                    socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC
                )
            self._socket.sendto(message, self._address)
        except OSError as exc:
            if not self._failing:
                log.warning("could not notify systemd (%s); will keep trying", exc)
            self._failing = True
            self.close()
            return False
        if self._failing:
            log.info("notifying systemd works again")
            self._failing = False
        return True

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def __enter__(self) -> SystemdNotifier:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
