"""Clocks the flows read: a monotonic one for timeouts and a wall clock for records.

Flows never call `time` themselves; tests pass a `ManualClock` and advance it by hand,
so no test sleeps and every timeout is exact.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never jumps; only differences mean anything."""
        ...

    def now(self) -> datetime:
        """Wall-clock time, timezone-aware UTC (deadlines, event timestamps)."""
        ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to; both readings advance together."""

    def __init__(self, start: datetime | None = None, monotonic_start: float = 1000.0) -> None:
        self._lock = threading.Lock()
        self._mono = monotonic_start
        self._wall = start or datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def now(self) -> datetime:
        with self._lock:
            return self._wall

    def set_date(self, seconds: float) -> None:
        """Move only the wall clock, either way: someone sets the date (or NTP steps
        it); the monotonic clock does not notice."""
        with self._lock:
            self._wall += timedelta(seconds=seconds)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock cannot go back")
        with self._lock:
            self._mono += seconds
            self._wall += timedelta(seconds=seconds)
