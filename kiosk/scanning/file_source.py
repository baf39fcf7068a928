"""Frames from an image, a folder of images or a video file, paced like a camera.

Used by the demo (no camera needed) and by tests, which feed a printed code through the
real decode pipeline exactly as the camera would.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np

from kiosk.scanning.errors import SourceUnavailable
from kiosk.scanning.frames import FrameCallback, StatusCallback, ThreadedFrameSource
from kiosk.scanning.model import SourceStatus

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff", ".pgm"})
VIDEO_SUFFIXES = frozenset({".avi", ".mp4", ".mkv", ".mov", ".webm", ".mjpg", ".mjpeg"})

Image = np.ndarray


def _read_image(path: Path) -> Image:
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise SourceUnavailable(str(path), "not an image OpenCV can read")
    return image


def load_images(path: Path) -> list[Image]:
    """Every image in `path` (a file or a folder, sorted by name); raises
    SourceUnavailable when there is none."""
    if not path.exists():
        raise SourceUnavailable(str(path), "no such file or folder")
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not files:
            raise SourceUnavailable(
                str(path), f"the folder holds no image ({', '.join(sorted(IMAGE_SUFFIXES))})"
            )
        return [_read_image(p) for p in files]
    return [_read_image(path)]


class FileSource(ThreadedFrameSource):
    """Plays images or a video at `fps`, looping unless `loop=False` (then FINISHED).

    `show(...)` swaps what is "in front of the camera" while running, so a test or the
    demo can hold up one code after another.
    """

    def __init__(
        self,
        target: str | Path | Image | list[Image],
        *,
        fps: float = 10.0,
        loop: bool = True,
        on_status: StatusCallback | None = None,
        on_frame: FrameCallback | None = None,
        clock: Callable[[], float] = time.monotonic,
        name: str | None = None,
    ) -> None:
        if fps <= 0:
            raise ValueError("fps must be positive")
        label = target if isinstance(target, str | Path) else "memory"
        super().__init__(name or f"file:{label}", on_status, on_frame, clock)
        self.fps = fps
        self.loop = loop
        self._lock = threading.Lock()
        self._generation = 0
        self._video: Path | None = None
        self._images: list[Image] = []
        self._load(target)

    def show(self, target: str | Path | Image | list[Image]) -> None:
        """Replace the current images/video; takes effect from the next frame."""
        self._load(target)

    def _load(self, target: str | Path | Image | list[Image]) -> None:
        video: Path | None = None
        images: list[Image] = []
        if isinstance(target, np.ndarray):
            images = [target]
        elif isinstance(target, list):
            if not target:
                raise SourceUnavailable("memory", "an empty list of images")
            images = list(target)
        else:
            path = Path(target)
            if path.is_file() and path.suffix.lower() in VIDEO_SUFFIXES:
                video = path
                self._check_video(path)
            else:
                images = load_images(path)
        with self._lock:
            self._video, self._images = video, images
            self._generation += 1

    @staticmethod
    def _check_video(path: Path) -> None:
        cap = cv2.VideoCapture(str(path))
        try:
            ok, _ = cap.read()
        finally:
            cap.release()
        if not ok:
            raise SourceUnavailable(str(path), "OpenCV cannot decode a frame of this video")

    def _frames(self) -> Iterator[Image]:
        """One pass over the current content; ends early when `show` replaces it."""
        with self._lock:
            video, images, generation = self._video, self._images, self._generation
        if video is None:
            for image in images:
                if self._generation != generation:
                    return
                yield image
            return
        cap = cv2.VideoCapture(str(video))
        try:
            while self._generation == generation:
                ok, image = cap.read()
                if not ok:
                    return
                yield image
        finally:
            cap.release()

    def _run(self) -> None:
        interval = 1.0 / self.fps
        next_at = self._clock()
        while not self._stop.is_set():
            produced = False
            for image in self._frames():
                produced = True
                self._publish(image)
                self._set_state(SourceStatus.RUNNING, f"{image.shape[1]}x{image.shape[0]}")
                next_at = max(next_at + interval, self._clock())
                if self._stop.wait(max(0.0, next_at - self._clock())):
                    return
            if not produced:
                # The video vanished or became unreadable since it was checked.
                self._set_state(SourceStatus.DISCONNECTED, "no frame could be read")
                if self._stop.wait(1.0):
                    return
                continue
            if not self.loop:
                self._set_state(SourceStatus.FINISHED, "end of input")
                return
