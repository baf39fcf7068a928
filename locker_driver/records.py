"""What the bus remembers for a technician: the last frames on the line and per-board
reply statistics. Both are shared between the bus worker and callers, so locked."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum


class FrameDirection(StrEnum):
    TX = "tx"
    RX = "rx"


@dataclass(frozen=True)
class FrameRecord:
    """One frame (or run of discarded bytes) seen on the line.

    `at` is wall-clock time (time.time()); `note` says why bytes were not used, e.g.
    "echo", "stale", "drained after timeout", "noise", "not for this request".
    """

    at: float
    direction: FrameDirection
    hex: str
    board: int | None
    note: str = ""


class FrameLog:
    def __init__(self, size: int, wall: Callable[[], float] = time.time) -> None:
        self._frames: deque[FrameRecord] = deque(maxlen=size)
        self._lock = threading.Lock()
        self._wall = wall

    def add(
        self, direction: FrameDirection, data: bytes, board: int | None, note: str = ""
    ) -> None:
        record = FrameRecord(self._wall(), direction, data.hex(" ").upper(), board, note)
        with self._lock:
            self._frames.append(record)

    def records(self) -> list[FrameRecord]:
        with self._lock:
            return list(self._frames)


@dataclass(frozen=True)
class BoardStats:
    """Counters of one board address since the bank opened. Latencies in seconds, from
    the last request byte written to the last reply byte read."""

    board: int
    transactions: int = 0
    replies: int = 0
    timeouts: int = 0
    frame_errors: int = 0
    wrong_address: int = 0
    port_errors: int = 0
    consecutive_failures: int = 0
    last_latency_s: float | None = None
    min_latency_s: float | None = None
    max_latency_s: float | None = None
    total_latency_s: float = 0.0
    last_error: str | None = None

    @property
    def mean_latency_s(self) -> float | None:
        return self.total_latency_s / self.replies if self.replies else None

    @property
    def errors(self) -> int:
        return self.timeouts + self.frame_errors + self.wrong_address + self.port_errors


class StatsBook:
    def __init__(self) -> None:
        self._boards: dict[int, BoardStats] = {}
        self._lock = threading.Lock()

    def reply(self, board: int, latency_s: float | None) -> None:
        with self._lock:
            s = self._boards.get(board, BoardStats(board))
            if latency_s is None:
                self._boards[board] = replace(
                    s, transactions=s.transactions + 1, consecutive_failures=0
                )
                return
            self._boards[board] = replace(
                s,
                transactions=s.transactions + 1,
                replies=s.replies + 1,
                consecutive_failures=0,
                last_latency_s=latency_s,
                min_latency_s=min(latency_s, s.min_latency_s or latency_s),
                max_latency_s=max(latency_s, s.max_latency_s or latency_s),
                total_latency_s=s.total_latency_s + latency_s,
            )

    def failure(self, board: int, counter: str, error: str) -> None:
        with self._lock:
            s = self._boards.get(board, BoardStats(board))
            self._boards[board] = replace(
                s,
                transactions=s.transactions + 1,
                consecutive_failures=s.consecutive_failures + 1,
                last_error=error,
                **{counter: getattr(s, counter) + 1},
            )

    def snapshot(self) -> dict[int, BoardStats]:
        with self._lock:
            return dict(sorted(self._boards.items()))
