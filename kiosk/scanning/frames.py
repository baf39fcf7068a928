"""What every frame source shares: a one-frame "latest" slot and a reader thread.

A camera delivers frames faster than a decoder may want them; keeping only the newest
one means the decoder never works on a stale picture and memory never grows.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable

import numpy as np

from kiosk.scanning.model import Frame, SourceState, SourceStatus

log = logging.getLogger(__name__)

StatusCallback = Callable[[SourceState], None]
FrameCallback = Callable[[Frame], None]


@runtime_checkable
class FrameSource(Protocol):
    """Anything that produces frames in its own thread (camera, file, test double)."""

    name: str

    def start(self) -> None: ...

    def stop(self, timeout: float = 2.0) -> None: ...

    @property
    def state(self) -> SourceState: ...

    def latest_frame(self) -> Frame | None: ...

    def wait_frame(self, after_seq: int, timeout: float) -> Frame | None:
        """The newest frame with seq > after_seq, waiting up to `timeout` s; None if
        none came (or the source stopped)."""
        ...


class LatestFrameSlot:
    """Holds the newest frame; readers wait for one newer than what they have."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._cond = threading.Condition()
        self._frame: Frame | None = None
        self._seq = 0
        self._clock = clock

    def put(self, image: np.ndarray, ts: float | None = None) -> Frame:
        with self._cond:
            self._seq += 1
            frame = Frame(image, self._clock() if ts is None else ts, self._seq)
            self._frame = frame
            self._cond.notify_all()
        return frame

    def latest(self) -> Frame | None:
        with self._cond:
            return self._frame

    def wait_newer(self, after_seq: int, timeout: float) -> Frame | None:
        with self._cond:
            self._cond.wait_for(lambda: self._seq > after_seq, timeout=timeout)
            frame = self._frame
        return frame if frame is not None and frame.seq > after_seq else None

    def clear(self) -> None:
        """Forget the frame (the preview must not show a picture from a lost camera)."""
        with self._cond:
            self._frame = None


class ThreadedFrameSource:
    """Start/stop, status reporting and the latest-frame slot; subclasses write `_run`.

    Callbacks run on the source's own thread: keep them short (a Qt adapter emits a
    signal and returns).
    """

    def __init__(
        self,
        name: str,
        on_status: StatusCallback | None = None,
        on_frame: FrameCallback | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self._on_status = on_status
        self._on_frame = on_frame
        self._clock = clock
        self._slot = LatestFrameSlot(clock)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._state_lock = threading.Lock()
        self._state = SourceState(SourceStatus.STOPPED, "", clock())

    # -- public -------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._set_state(SourceStatus.CONNECTING, "starting")
        self._thread = threading.Thread(target=self._guarded_run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                # A driver stuck in read(): the daemon thread ends with the process and
                # releases the device itself; never release it from under the reader.
                log.warning("%s did not stop within %.1f s", self.name, timeout)
        self._thread = None
        self._slot.clear()  # a stopped camera must not leave its last picture on screen
        self._set_state(SourceStatus.STOPPED, "")

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def state(self) -> SourceState:
        with self._state_lock:
            return self._state

    def latest_frame(self) -> Frame | None:
        return self._slot.latest()

    def wait_frame(self, after_seq: int, timeout: float) -> Frame | None:
        return self._slot.wait_newer(after_seq, timeout)

    # -- for subclasses -----------------------------------------------------------------

    def _run(self) -> None:
        raise NotImplementedError

    def _publish(self, image: np.ndarray) -> Frame:
        frame = self._slot.put(image)
        if self._on_frame is not None:
            try:
                self._on_frame(frame)
            except Exception:
                log.exception("%s: frame callback failed", self.name)
        return frame

    def _set_state(self, status: SourceStatus, detail: str = "") -> None:
        with self._state_lock:
            if self._state.status == status and self._state.detail == detail:
                return
            self._state = SourceState(status, detail, self._clock())
            state = self._state
        log.info("%s: %s %s", self.name, status, detail)
        if self._on_status is not None:
            try:
                self._on_status(state)
            except Exception:
                log.exception("%s: status callback failed", self.name)

    def _guarded_run(self) -> None:
        try:
            self._run()
        except Exception as exc:
            # A bug in a reader must show on the technician screen, not vanish.
            log.exception("%s: reader thread failed", self.name)
            self._set_state(SourceStatus.DISCONNECTED, f"reader failed: {exc}")
