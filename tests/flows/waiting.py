"""Waiting for what the runner's own thread does, without fixed sleeps."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Views:
    def __init__(self) -> None:
        self.seen: list[Any] = []
        self.threads: set[str] = set()
        self._cond = threading.Condition()

    def __call__(self, view: Any) -> None:
        with self._cond:
            self.seen.append(view)
            self.threads.add(threading.current_thread().name)
            self._cond.notify_all()

    def wait_for(self, pred: Callable[[Any], bool], timeout: float = 5.0) -> Any:
        with self._cond:
            ok = self._cond.wait_for(lambda: any(pred(v) for v in self.seen), timeout)
            assert ok, f"no such view; saw {[str(v.screen) for v in self.seen]}"
            return next(v for v in self.seen if pred(v))


def eventually(pred: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Wait for the runner's thread to make `pred` true (it works on its own cadence)."""
    gate = threading.Event()
    for _ in range(int(timeout / 0.005)):
        if pred():
            return True
        gate.wait(0.005)
    return pred()
