"""CameraSource through the real OpenCV VideoCapture path, on a video file standing in
for the device: frames, reconnection after the "camera" vanishes, missing devices."""

from __future__ import annotations

import os
import queue
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.scanning import CameraSource, ScanPipeline, ScanResult, SourceState, SourceStatus
from kiosk.scanning.synth import on_canvas, render_qr

from .conftest import wait_until

pytestmark = pytest.mark.integration


def write_clip(path: Path, text: str, frames: int = 8) -> None:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (640, 480))
    assert writer.isOpened()
    qr = cv2.cvtColor(on_canvas(render_qr(text, module_px=5)), cv2.COLOR_GRAY2BGR)
    blank = np.full((480, 640, 3), 120, np.uint8)
    for i in range(frames):
        writer.write(qr if i % 2 else blank)
    writer.release()


@pytest.fixture
def camera_file(tmp_path: Path) -> Path:
    path = tmp_path / "video0.avi"
    write_clip(path, "XP1:L1:00000001")
    return path


def test_camera_frames_reach_the_pipeline(camera_file: Path) -> None:
    got: queue.Queue[ScanResult] = queue.Queue()
    camera = CameraSource(str(camera_file), max_fps=100, reconnect_s=0.05)
    pipeline = ScanPipeline(camera, got.put)
    pipeline.start()
    try:
        result = got.get(timeout=5)
        assert result.text == "XP1:L1:00000001" and result.source == f"camera:{camera_file}"
        # The clip loops: between its end and the reopen the preview is empty for a moment.
        wait_until(lambda: pipeline.latest_frame() is not None, what="a preview frame")
        frame = pipeline.latest_frame()
        assert frame is None or frame.shape == (480, 640, 3)
        assert camera.state.status is SourceStatus.RUNNING
        assert camera.state.detail == "640x480"
    finally:
        pipeline.stop()


def test_unplugged_camera_reports_a_status_and_comes_back(camera_file: Path) -> None:
    states: queue.Queue[SourceState] = queue.Queue()
    camera = CameraSource(str(camera_file), max_fps=200, reconnect_s=0.05, on_status=states.put)
    camera.start()
    try:
        wait_until(lambda: camera.opened_count >= 2, what="the clip to end and be reopened")
        # "Unplug": the device node disappears.
        moved = camera_file.with_suffix(".gone")
        camera_file.rename(moved)
        wait_until(
            lambda: (
                camera.state.status is SourceStatus.DISCONNECTED
                and "not found" in camera.state.detail
            ),
            what="DISCONNECTED / not found",
        )
        assert camera.running  # the reader keeps trying instead of dying
        wait_until(lambda: camera.latest_frame() is None, what="the stale frame to be dropped")
        reopened = camera.opened_count
        # "Plug it back in".
        moved.rename(camera_file)
        wait_until(lambda: camera.opened_count > reopened, what="reconnection")
        wait_until(lambda: camera.state.status is SourceStatus.RUNNING, what="RUNNING")
        wait_until(lambda: camera.latest_frame() is not None, what="frames again")
    finally:
        camera.stop()
    seen = []
    while not states.empty():
        seen.append(states.get().status)
    assert seen[0] is SourceStatus.CONNECTING and seen[-1] is SourceStatus.STOPPED
    assert SourceStatus.DISCONNECTED in seen and SourceStatus.RUNNING in seen


@pytest.mark.parametrize(
    ("device", "detail"),
    [("/dev/video-does-not-exist", "not found"), (63, "cannot open /dev/video63")],
)
def test_missing_camera_is_a_status_not_a_crash(device: int | str, detail: str) -> None:
    camera = CameraSource(device, reconnect_s=0.05)
    camera.start()
    try:
        wait_until(lambda: camera.state.status is SourceStatus.DISCONNECTED, what="DISCONNECTED")
        assert detail in camera.state.detail
        assert camera.latest_frame() is None and camera.wait_frame(0, timeout=0.05) is None
        assert camera.running
    finally:
        camera.stop(timeout=3)
    assert not camera.running and camera.state.status is SourceStatus.STOPPED


def test_a_device_that_hangs_in_the_driver_shows_as_disconnected(tmp_path: Path) -> None:
    # A FIFO with a writer that never writes: VideoCapture blocks inside FFmpeg exactly
    # like a wedged USB camera blocks inside V4L2.
    fifo = tmp_path / "wedged.mjpeg"
    os.mkfifo(fifo)
    holder = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    camera = CameraSource(str(fifo), stale_after_s=0.2, reconnect_s=0.05)
    camera.start()
    try:
        wait_until(
            lambda: (
                camera.state.status is SourceStatus.DISCONNECTED
                and "has not opened" in camera.state.detail
            ),
            what="a stale CONNECTING state",
        )
        assert camera.latest_frame() is None
    finally:
        fifo.unlink()  # so the reconnect attempt finds no device instead of blocking
        os.close(holder)  # FFmpeg sees end of file and gives up
        camera.stop(timeout=5)
    assert not camera.running
