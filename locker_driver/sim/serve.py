"""Serving a `SimulatedBank` on a real pseudo-terminal or a TCP port, in a thread.

The board side behaves like a half-duplex RS-485 board: it reads request bytes, and
writes each reply when it is due. With `pace=True` the bytes also take the time they
would take on the wire at the bank's baud rate (10 bits per byte): a request is only
"received" once its last byte would have arrived, and a reply is delivered once its
last byte would have left. A pty or a socket has no baud timing of its own, so this is
how benchmarks see physical transfer times.
"""

from __future__ import annotations

import contextlib
import errno
import heapq
import itertools
import logging
import os
import select
import socket
import threading
import time
import tty
from collections.abc import Callable
from pathlib import Path

from locker_driver.sim.model import SimulatedBank

log = logging.getLogger(__name__)

_POLL_S = 0.02
BITS_PER_BYTE = 10


class _BoardLine:
    """The board end of one connection: feed requests, emit replies on time."""

    def __init__(self, bank: SimulatedBank, pace: bool) -> None:
        self.bank = bank
        self.pace = pace
        self._pending: list[tuple[float, int, bytes]] = []
        self._seq = itertools.count()
        self._line_free_at = 0.0

    def wire_s(self, nbytes: int) -> float:
        return nbytes * BITS_PER_BYTE / self.bank.baudrate if self.pace else 0.0

    def received(self, data: bytes, now: float) -> None:
        arrival = now + self.wire_s(len(data))
        if self.pace:
            time.sleep(max(0.0, arrival - time.monotonic()))
        for emission in self.bank.feed(data):
            due = arrival + emission.delay_s
            heapq.heappush(self._pending, (due, next(self._seq), emission.data))

    def next_due(self) -> float | None:
        return self._pending[0][0] if self._pending else None

    def send_due(self, write: Callable[[bytes], None]) -> None:
        while self._pending and self._pending[0][0] <= time.monotonic():
            due, _, data = heapq.heappop(self._pending)
            if self.pace:
                start = max(due, self._line_free_at)
                done = start + self.wire_s(len(data))
                self._line_free_at = done
                time.sleep(max(0.0, done - time.monotonic()))
            write(data)


class PtyServer:
    """Serves the bank on a pty. `port` is the path the driver opens: `link` (a symlink
    that survives unplug/replug, like /dev/serial/by-id) or the /dev/pts/N name."""

    def __init__(
        self, bank: SimulatedBank, *, link: str | Path | None = None, pace: bool = False
    ) -> None:
        self.bank = bank
        self.pace = pace
        self.link = Path(link) if link else None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._master = self._slave = -1
        self._slave_name = ""

    @property
    def port(self) -> str:
        return str(self.link) if self.link else self._slave_name

    def start(self) -> PtyServer:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self._slave_name = os.ttyname(self._slave)
        if self.link:
            tmp = self.link.with_name(self.link.name + ".new")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(self._slave_name)
            tmp.replace(self.link)
        self._stop.clear()
        line = _BoardLine(self.bank, self.pace)
        self._thread = threading.Thread(
            target=self._serve, args=(line, self._master), name="sim-pty", daemon=True
        )
        self._thread.start()
        log.info("simulated %s bank on %s", self.bank.protocol, self.port)
        return self

    def _serve(self, line: _BoardLine, master: int) -> None:
        def write(data: bytes) -> None:
            os.write(master, data)

        try:
            while not self._stop.is_set():
                due = line.next_due()
                wait = _POLL_S if due is None else max(0.0, min(_POLL_S, due - time.monotonic()))
                ready, _, _ = select.select([master], [], [], wait)
                if ready:
                    data = os.read(master, 4096)
                    if data:
                        line.received(data, time.monotonic())
                line.send_due(write)
        except OSError as exc:
            if exc.errno not in (errno.EBADF, errno.EIO) or not self._stop.is_set():
                log.warning("simulated pty stopped: %s", exc)

    def _close_fds(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2.0)
            self._thread = None
        for fd in (self._master, self._slave):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = -1

    def unplug(self) -> None:
        """The USB adapter disappears: the pty goes away (and the symlink with it)."""
        self._close_fds()
        if self.link:
            self.link.unlink(missing_ok=True)

    def replug(self) -> None:
        """A new pty appears behind the same symlink (needs `link`)."""
        if self._master >= 0:
            return
        self.start()

    def stop(self) -> None:
        self.unplug()

    def __enter__(self) -> PtyServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_pty(
    bank: SimulatedBank, *, link: str | Path | None = None, pace: bool = False
) -> tuple[str, Callable[[], None]]:
    """Serve `bank` on a pty in a background thread; returns (port path, stop)."""
    server = PtyServer(bank, link=link, pace=pace).start()
    return server.port, server.stop


class TcpServer:
    """Serves the bank on a TCP port like a Kerong "BU" Ethernet bridge, one client at
    a time. `port_url` is the `socket://` URL the driver opens."""

    def __init__(self, bank: SimulatedBank, *, host: str = "127.0.0.1", port: int = 0,
                 pace: bool = False) -> None:
        self.bank = bank
        self.pace = pace
        self._listener = socket.create_server((host, port))
        self._listener.settimeout(_POLL_S * 5)
        self.host, self.port = self._listener.getsockname()[:2]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, name="sim-tcp", daemon=True)

    @property
    def port_url(self) -> str:
        return f"socket://{self.host}:{self.port}"

    def start(self) -> TcpServer:
        self._thread.start()
        log.info("simulated %s bank on %s", self.bank.protocol, self.port_url)
        return self

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                self._serve(conn)

    def _serve(self, conn: socket.socket) -> None:
        line = _BoardLine(self.bank, self.pace)
        conn.setblocking(False)
        while not self._stop.is_set():
            due = line.next_due()
            wait = _POLL_S if due is None else max(0.0, min(_POLL_S, due - time.monotonic()))
            ready, _, _ = select.select([conn], [], [], wait)
            if ready:
                try:
                    data = conn.recv(4096)
                except OSError:
                    return
                if not data:
                    return
                line.received(data, time.monotonic())
            try:
                line.send_due(conn.sendall)
            except OSError:
                return

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()
        self._thread.join(2.0)

    def __enter__(self) -> TcpServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_tcp(
    bank: SimulatedBank, *, host: str = "127.0.0.1", port: int = 0, pace: bool = False
) -> tuple[str, Callable[[], None]]:
    """Serve `bank` on TCP in a background thread; returns (socket:// URL, stop)."""
    server = TcpServer(bank, host=host, port=port, pace=pace).start()
    return server.port_url, server.stop
