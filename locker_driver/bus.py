"""The bus worker: one thread owns one serial port and runs one transaction at a time.

Callers (any thread) submit jobs with a priority; unlocks jump ahead of queued status
polls and scans, and within a priority jobs run in the order they came. A job is a
function of the `Link`; its result or error comes back through a Future.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, TypeVar

from locker_driver.config import ReconnectPolicy, Timeouts
from locker_driver.errors import BankClosed
from locker_driver.link import Link
from locker_driver.port import PortHolder, PortSettings, PortStatus
from locker_driver.records import BoardStats, FrameLog, FrameRecord, StatsBook

log = logging.getLogger(__name__)

T = TypeVar("T")


class Priority(IntEnum):
    STOP = -1  # close() goes ahead of queued work; that work then fails with BankClosed
    UNLOCK = 0
    STATUS = 1
    SCAN = 2


@dataclass(order=True)
class _Job:
    priority: int
    seq: int
    fn: Callable[[Link], Any] | None = field(compare=False)
    future: Future[Any] | None = field(compare=False)


class Bus:
    def __init__(
        self,
        settings: PortSettings,
        timeouts: Timeouts,
        reconnect: ReconnectPolicy,
        *,
        frame_log_size: int = 200,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.holder = PortHolder(
            settings, reconnect.interval_s, reconnect.attempts, reconnect.cooldown_s, clock
        )
        self._frames = FrameLog(frame_log_size)
        self._stats = StatsBook()
        self.link = Link(self.holder, timeouts, self._frames, self._stats, clock)
        self._queue: queue.PriorityQueue[_Job] = queue.PriorityQueue()
        self._seq = itertools.count()
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._run, name=f"lock-bus {settings.url}", daemon=True
        )

    def start(self, require_port: bool = True) -> None:
        """Start the worker. With require_port, open the port first and raise
        PortBusy / PortUnavailable here if it cannot be opened."""
        if require_port:
            self.holder.get()
        self._thread.start()

    def submit(self, priority: Priority, fn: Callable[[Link], T]) -> Future[T]:
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise BankClosed("the lock bank is closed; open it again")
            self._queue.put(_Job(int(priority), next(self._seq), fn, future))
        return future

    def close(self, timeout_s: float = 10.0) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(_Job(int(Priority.STOP), next(self._seq), None, None))
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout_s)
        self._fail_pending()
        self.holder.close()

    def _fail_pending(self) -> None:
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                return
            if job.future is not None and job.future.set_running_or_notify_cancel():
                job.future.set_exception(BankClosed("the lock bank was closed"))

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job.fn is None or job.future is None:
                return
            if not job.future.set_running_or_notify_cancel():
                continue
            try:
                result = job.fn(self.link)
            except Exception as exc:  # handed to the caller through its Future
                job.future.set_exception(exc)
            else:
                job.future.set_result(result)

    def stats(self) -> dict[int, BoardStats]:
        return self._stats.snapshot()

    def frame_log(self) -> list[FrameRecord]:
        return self._frames.records()

    def port_status(self) -> PortStatus:
        return self.holder.status()
