"""What every code-scanner source shares: one reader thread, a status, a callback.

Subclasses set `name` and implement `_run()`, which loops until `_stop` is set and
reports what it sees through `_set_state`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from kiosk.scanning.model import SourceState, SourceStatus

log = logging.getLogger(__name__)


class ScannerThread:
    name: str = "scanner"

    def __init__(self, on_status: Callable[[SourceState], None] | None,
                 clock: Callable[[], float]) -> None:
        self._on_status = on_status
        self._clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._state_lock = threading.Lock()
        self._state = SourceState(SourceStatus.STOPPED, "", clock())

    @property
    def state(self) -> SourceState:
        with self._state_lock:
            return self._state

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None
        self._set_state(SourceStatus.STOPPED, "")

    def _run(self) -> None:
        raise NotImplementedError

    def _set_state(self, status: SourceStatus, detail: str) -> None:
        with self._state_lock:
            if self._state.status == status and self._state.detail == detail:
                return
            self._state = state = SourceState(status, detail, self._clock())
        log.info("%s: %s %s", self.name, status, detail)
        if self._on_status is not None:
            try:
                self._on_status(state)
            except Exception:
                log.exception("%s: status callback failed", self.name)
