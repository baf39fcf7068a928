"""The kiosk camera: OpenCV VideoCapture read in its own thread, newest frame only.

A USB camera on an unattended kiosk gets unplugged, resets on an ESD spike or is
claimed by another process; the reader reports that as a status and keeps trying to
reopen it, so the kiosk never needs a restart to get its camera back.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

import cv2

from kiosk.scanning.frames import FrameCallback, StatusCallback, ThreadedFrameSource
from kiosk.scanning.model import SourceState, SourceStatus

log = logging.getLogger(__name__)


def _describe(device: int | str) -> str:
    return f"/dev/video{device}" if isinstance(device, int) else str(device)


def _default_backend(device: int | str) -> int:
    """V4L2 for local cameras on Linux (CAP_ANY may try FFmpeg first, which cannot open
    a camera without libavdevice); let OpenCV choose for files and stream URLs."""
    local = isinstance(device, int) or str(device).startswith("/dev/")
    return cv2.CAP_V4L2 if local and sys.platform.startswith("linux") else cv2.CAP_ANY


class CameraSource(ThreadedFrameSource):
    """Frames from a V4L2 camera (index or /dev/video* path), a stream URL or a video file.

    - asks for MJPG at `width` x `height` with a one-frame driver buffer (a USB camera
      otherwise hands out frames that are several hundred ms old);
    - after `max_read_failures` failed reads in a row (unplugged camera, end of a video
      file) it releases the device, reports DISCONNECTED and reopens it every
      `reconnect_s` seconds; a video file therefore loops;
    - `state` turns DISCONNECTED when no frame arrived for `stale_after_s` seconds even
      if the driver is stuck inside read();
    - `max_fps` throttles the reader (a video file otherwise plays as fast as it decodes).
    """

    def __init__(
        self,
        device: int | str = 0,
        *,
        width: int = 640,
        height: int = 480,
        fourcc: str | None = "MJPG",
        api_preference: int | None = None,
        reconnect_s: float = 2.0,
        max_read_failures: int = 3,
        stale_after_s: float = 3.0,
        max_fps: float | None = None,
        read_timeout_ms: int = 2000,
        on_status: StatusCallback | None = None,
        on_frame: FrameCallback | None = None,
        clock: Callable[[], float] = time.monotonic,
        name: str | None = None,
    ) -> None:
        super().__init__(name or f"camera:{_describe(device)}", on_status, on_frame, clock)
        self.device = device
        self.width = width
        self.height = height
        self.fourcc = fourcc
        self.api_preference = (
            api_preference if api_preference is not None else _default_backend(device)
        )
        self.reconnect_s = reconnect_s
        self.max_read_failures = max_read_failures
        self.stale_after_s = stale_after_s
        self.max_fps = max_fps
        self.read_timeout_ms = read_timeout_ms
        self.opened_count = 0  # how often the device was (re)opened, for diagnostics
        self._last_frame_at: float | None = None

    @property
    def state(self) -> SourceState:
        """The reader's own state, except that a reader stuck inside the driver (open or
        read not returning for `stale_after_s`) shows as DISCONNECTED."""
        state = super().state
        now = self._clock()
        if state.status is SourceStatus.RUNNING:
            last = self._last_frame_at if self._last_frame_at is not None else state.since
            if now - last > self.stale_after_s:
                return SourceState(
                    SourceStatus.DISCONNECTED,
                    f"no frame for {now - last:.1f} s",
                    last + self.stale_after_s,
                )
        elif state.status is SourceStatus.CONNECTING and now - state.since > self.stale_after_s:
            return SourceState(
                SourceStatus.DISCONNECTED,
                f"{_describe(self.device)} has not opened for {now - state.since:.1f} s",
                state.since + self.stale_after_s,
            )
        return state

    def _open(self) -> cv2.VideoCapture | None:
        target = _describe(self.device)
        is_path = isinstance(self.device, str) and "://" not in self.device
        if is_path and not Path(str(self.device)).exists():
            self._set_state(SourceStatus.DISCONNECTED, f"{target} not found")
            return None
        cap = cv2.VideoCapture(self.device, self.api_preference)
        if not cap.isOpened():
            cap.release()
            self._set_state(SourceStatus.DISCONNECTED, f"cannot open {target}")
            return None
        # Each property is a request; backends ignore what they do not support.
        if self.fourcc:
            cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*self.fourcc))
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        timeout_prop = getattr(cv2, "CAP_PROP_READ_TIMEOUT_MSEC", None)
        if timeout_prop is not None:
            cap.set(timeout_prop, self.read_timeout_ms)
        self.opened_count += 1
        return cap

    def _run(self) -> None:
        while not self._stop.is_set():
            cap = self._open()
            if cap is None:
                self._stop.wait(self.reconnect_s)
                continue
            try:
                self._read_until_lost(cap)
            finally:
                cap.release()
            if not self._stop.is_set():
                self._slot.clear()
                self._stop.wait(self.reconnect_s)

    def _read_until_lost(self, cap: cv2.VideoCapture) -> None:
        failures = 0
        min_interval = 1.0 / self.max_fps if self.max_fps else 0.0
        next_at = 0.0
        while not self._stop.is_set():
            ok, image = cap.read()
            if not ok or image is None:
                failures += 1
                if failures >= self.max_read_failures:
                    self._set_state(
                        SourceStatus.DISCONNECTED,
                        f"{_describe(self.device)} stopped delivering frames",
                    )
                    return
                continue
            failures = 0
            now = self._clock()
            self._last_frame_at = now
            self._publish(image)
            self._set_state(SourceStatus.RUNNING, f"{image.shape[1]}x{image.shape[0]}")
            if min_interval:
                next_at = max(next_at + min_interval, now)
                self._stop.wait(max(0.0, next_at - self._clock()))
