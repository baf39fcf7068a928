"""A hostile RS-485 line on a real pseudo-terminal: what a loose ground, a second master
or a board chattering in its bootloader puts on the bus.

`HostileLine(Noise.RANDOM, bank)` serves `bank` (or no board at all) on a pty like
`PtyServer`, while a writer thread floods the line for as long as it runs:

- RANDOM: endless random bytes;
- STX: an endless stream of 0x02, the start byte of every Kerong frame;
- ECHO: every byte the host writes comes back (a 2-wire adapter without automatic
  direction control), ahead of whatever the boards answer;
- BURSTS: random bursts with quiet gaps between them, as a motor or a relay induces;
- SECOND_MASTER: another master polls board addresses that are not ours, and those
  boards answer it: valid frames that answer none of our requests, without end.

The driver opens `port` through the real `serialposix` path. Used by the driver's
deadline tests and by `bench/line_noise.py`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import random
import select
import threading
import time
import tty
from enum import StrEnum

from locker_driver.sim.model import SimulatedBank
from locker_driver.sim.serve import _BoardLine

log = logging.getLogger(__name__)

_POLL_S = 0.01


class Noise(StrEnum):
    RANDOM = "random"
    STX = "stx"
    ECHO = "echo"
    BURSTS = "bursts"
    SECOND_MASTER = "second_master"


class HostileLine:
    """A pty with an optional simulated bank behind it and a flood on the line.

    `chunk` bytes are written every `interval_s` (about 6 KB/s by default: more than a
    19200-baud line carries, so the line is never quiet); BURSTS sends `burst` bytes,
    then stays quiet for `burst_gap_s`. `protocol` picks the second master's frames
    when no bank is given.
    """

    def __init__(
        self,
        noise: Noise | str,
        bank: SimulatedBank | None = None,
        *,
        protocol: str = "cu16",
        seed: int = 1,
        chunk: int = 32,
        interval_s: float = 0.005,
        burst: int = 48,
        burst_gap_s: float = 0.1,
    ) -> None:
        self.noise = Noise(noise)
        self.bank = bank
        self.protocol = bank.protocol if bank is not None else protocol
        self._rng = random.Random(seed)
        self.chunk = chunk
        self.interval_s = interval_s
        self.burst = burst
        self.burst_gap_s = burst_gap_s
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._master = self._slave = -1
        self._slave_name = ""
        self._write_lock = threading.Lock()
        self.noise_bytes = 0  # written by the flood so far
        self._other_frames = self._second_master_frames()

    @property
    def port(self) -> str:
        return self._slave_name

    def start(self) -> HostileLine:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self._slave_name = os.ttyname(self._slave)
        flags = fcntl.fcntl(self._master, fcntl.F_GETFL)
        fcntl.fcntl(self._master, fcntl.F_SETFL, flags | os.O_NONBLOCK)
        self._stop.clear()
        self._threads = [
            threading.Thread(target=self._serve, name="hostile-board", daemon=True),
        ]
        if self.noise is not Noise.ECHO:
            self._threads.append(
                threading.Thread(target=self._flood, name="hostile-flood", daemon=True)
            )
        for thread in self._threads:
            thread.start()
        log.info("hostile line (%s) on %s", self.noise, self.port)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(2.0)
        self._threads = []
        for fd in (self._master, self._slave):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = -1

    def __enter__(self) -> HostileLine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the line ------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        """Write all of `data` unless the line is stopped; a full pty buffer (nobody
        reads the port) waits instead of dropping bytes."""
        view = memoryview(data)
        while view and not self._stop.is_set():
            with self._write_lock:
                try:
                    done = os.write(self._master, view)
                except BlockingIOError:
                    done = 0
                except OSError as exc:
                    if exc.errno in (errno.EBADF, errno.EIO):
                        return
                    raise
            view = view[done:]
            if view:
                select.select([], [self._master], [], _POLL_S)

    def _serve(self) -> None:
        line = _BoardLine(self.bank, pace=False) if self.bank is not None else None
        while not self._stop.is_set():
            due = line.next_due() if line is not None else None
            wait = _POLL_S if due is None else max(0.0, min(_POLL_S, due - time.monotonic()))
            try:
                ready, _, _ = select.select([self._master], [], [], wait)
                data = os.read(self._master, 4096) if ready else b""
            except BlockingIOError:
                data = b""
            except OSError:
                return
            if data:
                if self.noise is Noise.ECHO:
                    self._write(data)
                if line is not None:
                    line.received(data, time.monotonic())
            if line is not None:
                line.send_due(self._write)

    def _flood(self) -> None:
        frames = self._other_frames
        index = 0
        while not self._stop.is_set():
            if self.noise is Noise.RANDOM:
                data = self._rng.randbytes(self.chunk)
            elif self.noise is Noise.STX:
                data = b"\x02" * self.chunk
            elif self.noise is Noise.BURSTS:
                data = self._rng.randbytes(self.burst)
            else:
                data, index = frames[index], (index + 1) % len(frames)
            self._write(data)
            self.noise_bytes += len(data)
            pause = self.burst_gap_s if self.noise is Noise.BURSTS else self.interval_s
            self._stop.wait(pause)

    def _second_master_frames(self) -> list[bytes]:
        """Status requests to addresses our bank does not use, each followed by that
        board's (valid) reply."""
        from locker_driver.protocols import codec_for

        codec = codec_for(self.protocol)
        ours = set(self.bank.boards) if self.bank is not None else set()
        others = [b for b in reversed(codec.boards) if b not in ours][:2]
        if not others:
            raise ValueError(f"every {self.protocol} address is ours: no room for a second master")
        shadow = SimulatedBank(self.protocol, others)
        frames = []
        for board in others:
            request = codec.status_request(board)
            replies = b"".join(e.data for e in shadow.feed(request))
            frames.append(request + replies)
        shadow.close()
        return frames
