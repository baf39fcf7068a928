"""File source -> decode worker -> on_scan, end to end with the real decoders."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.scanning import (
    Deduplicator,
    FileSource,
    ScanPipeline,
    ScanResult,
    SourceStatus,
    SourceUnavailable,
    Symbology,
    make_decoder,
)
from kiosk.scanning.synth import on_canvas, render_code128, render_qr

from .conftest import FakeClock, wait_until

CODE = "XP1:LOCKER-0042:12345678"


def qr_frame(text: str = CODE) -> np.ndarray:
    return cv2.cvtColor(on_canvas(render_qr(text, module_px=5)), cv2.COLOR_GRAY2BGR)


def empty_frame() -> np.ndarray:
    return np.full((480, 640, 3), 190, np.uint8)


class Collector:
    """on_scan target that records the thread it was called on."""

    def __init__(self) -> None:
        self.results: queue.Queue[ScanResult] = queue.Queue()
        self.threads: set[str] = set()

    def __call__(self, result: ScanResult) -> None:
        self.threads.add(threading.current_thread().name)
        self.results.put(result)

    def get(self, timeout: float = 5.0) -> ScanResult:
        return self.results.get(timeout=timeout)

    def texts(self) -> list[str]:
        return [r.text for r in list(self.results.queue)]


@pytest.fixture
def running():
    pipelines: list[ScanPipeline] = []

    def start(pipeline: ScanPipeline) -> ScanPipeline:
        pipelines.append(pipeline)
        pipeline.start()
        return pipeline

    yield start
    for pipeline in pipelines:
        pipeline.stop()


# --- dedup -----------------------------------------------------------------------------


@pytest.mark.unit
def test_a_held_up_code_is_reported_once_until_it_leaves_the_picture() -> None:
    clock = FakeClock()
    dedup = Deduplicator(window_s=3.0, clock=clock)
    assert dedup.is_new("A")
    for _ in range(50):  # held up for 10 s, seen every 0.2 s
        clock.advance(0.2)
        assert not dedup.is_new("A")
    clock.advance(2.9)
    assert not dedup.is_new("A")  # out of sight for less than the window
    clock.advance(3.1)
    assert dedup.is_new("A")  # gone for longer: a new scan


@pytest.mark.unit
def test_dedup_tracks_codes_independently_and_can_be_reset() -> None:
    clock = FakeClock()
    dedup = Deduplicator(window_s=2.0, clock=clock)
    assert dedup.is_new("A") and dedup.is_new("B")
    clock.advance(1.0)
    assert not dedup.is_new("A") and not dedup.is_new("B")
    dedup.reset()
    assert dedup.is_new("A")
    with pytest.raises(ValueError):
        Deduplicator(window_s=-1)


# --- pipeline end to end ---------------------------------------------------------------


@pytest.mark.integration
def test_qr_image_file_reaches_on_scan_once_on_the_worker_thread(tmp_path: Path, running):
    image = tmp_path / "pickup.png"
    cv2.imwrite(str(image), qr_frame())
    got = Collector()
    pipeline = running(ScanPipeline(FileSource(image, fps=30), got, make_decoder("zxing")))

    result = got.get()
    assert (result.text, result.symbology) == (CODE, Symbology.QR)
    assert result.source == f"file:{image}"
    assert result.decode_ms > 0 and result.points
    assert got.threads == {f"scan:file:{image}"}
    assert threading.current_thread().name not in got.threads

    # The same picture keeps coming: it must not trigger again.
    wait_until(lambda: pipeline.stats().frames_decoded >= 10, what="10 decoded frames")
    stats = pipeline.stats()
    assert got.results.empty()
    assert stats.scans_reported == 1 and stats.duplicates_suppressed >= 9
    assert stats.frames_with_symbol == stats.frames_decoded
    assert stats.decoder == "zxing" and stats.source_state.status is SourceStatus.RUNNING
    assert stats.mean_decode_ms > 0 and stats.decode_fps > 0
    assert pipeline.latest_frame() is not None and pipeline.latest_frame().shape == (480, 640, 3)


@pytest.mark.integration
def test_folder_with_badge_label_and_empty_frames(tmp_path: Path, running) -> None:
    cv2.imwrite(str(tmp_path / "1-empty.png"), empty_frame())
    cv2.imwrite(str(tmp_path / "2-badge.png"), qr_frame("BADGE:C-17"))
    cv2.imwrite(str(tmp_path / "3-label.png"), on_canvas(render_code128("JD0146000032785")))
    got = Collector()
    pipeline = running(ScanPipeline(FileSource(tmp_path, fps=40), got))
    first, second = got.get(), got.get()
    assert {(first.text, first.symbology), (second.text, second.symbology)} == {
        ("BADGE:C-17", Symbology.QR),
        ("JD0146000032785", Symbology.CODE_128),
    }
    wait_until(lambda: pipeline.stats().frames_decoded >= 9, what="three loops")
    stats = pipeline.stats()
    # Looping brings each code back within the window: still one report each.
    assert stats.scans_reported == 2
    assert stats.frames_with_symbol < stats.frames_decoded  # the empty frames


@pytest.mark.integration
def test_showing_another_code_reports_it_and_the_dedup_window_lets_it_back(running) -> None:
    source = FileSource(qr_frame("FIRST"), fps=50)
    got = Collector()
    pipeline = running(ScanPipeline(source, got, dedup_window_s=0.3))
    assert got.get().text == "FIRST"
    source.show(qr_frame("SECOND"))
    assert got.get().text == "SECOND"
    source.show(empty_frame())
    wait_until(lambda: pipeline.stats().frames_decoded > 0, what="frames")
    seen = pipeline.stats().frames_decoded
    wait_until(lambda: pipeline.stats().frames_decoded > seen + 25, what="0.5 s of empty frames")
    source.show(qr_frame("FIRST"))  # the customer tries again after putting the phone away
    assert got.get().text == "FIRST"


@pytest.mark.integration
def test_pause_keeps_the_preview_and_reports_nothing(running) -> None:
    source = FileSource(qr_frame("NEW-DURING-PAUSE"), fps=50)
    got = Collector()
    pipeline = ScanPipeline(source, got)
    pipeline.pause()
    running(pipeline)
    wait_until(lambda: pipeline.stats().frames_decoded > 10, what="frames decoded while paused")
    assert got.results.empty() and pipeline.latest_frame() is not None
    # A customer who walked up during the pause is served as soon as scanning resumes.
    pipeline.resume()
    assert got.get().text == "NEW-DURING-PAUSE"


@pytest.mark.integration
def test_a_code_held_through_a_paused_screen_is_not_reported_again(running) -> None:
    source = FileSource(qr_frame(), fps=50)
    got = Collector()
    pipeline = running(ScanPipeline(source, got, dedup_window_s=0.3))
    assert got.get().text == CODE
    pipeline.pause()  # the door screen: longer than the dedup window
    seen = pipeline.stats().frames_decoded
    wait_until(lambda: pipeline.stats().frames_decoded > seen + 30, what="0.6 s paused")
    pipeline.resume()  # back to idle with the phone still held up
    seen = pipeline.stats().frames_decoded
    wait_until(lambda: pipeline.stats().frames_decoded > seen + 30, what="0.6 s resumed")
    assert got.results.empty()
    assert pipeline.stats().scans_reported == 1


@pytest.mark.unit
def test_refresh_keeps_a_reported_code_quiet_but_learns_no_new_one() -> None:
    clock = FakeClock()
    dedup = Deduplicator(window_s=1.0, clock=clock)
    assert dedup.is_new("HELD")
    for _ in range(10):
        clock.advance(0.5)
        dedup.refresh("HELD")
        dedup.refresh("ARRIVED")
    assert not dedup.is_new("HELD")
    assert dedup.is_new("ARRIVED")


@pytest.mark.integration
def test_bad_frames_and_a_failing_callback_do_not_stop_scanning(running) -> None:
    calls: list[str] = []

    def flaky(result: ScanResult) -> None:
        calls.append(result.text)
        if len(calls) == 1:
            raise RuntimeError("UI handler bug")

    # A float image is refused by the decoder (InvalidFrame) every other frame.
    bad = np.zeros((480, 640), np.float32)
    source = FileSource([bad, qr_frame("ONE")], fps=50)
    pipeline = running(ScanPipeline(source, flaky, dedup_window_s=0.0))
    wait_until(lambda: len(calls) >= 2, what="a second report after the callback raised")
    stats = pipeline.stats()
    assert stats.decode_errors >= 1 and "InvalidFrame" in stats.last_error
    assert pipeline.running


@pytest.mark.integration
def test_start_stop_are_idempotent_and_stop_ends_both_threads(running) -> None:
    source = FileSource(qr_frame(), fps=20)
    pipeline = ScanPipeline(source, Collector())
    pipeline.start()
    pipeline.start()
    assert pipeline.running and source.running
    wait_until(lambda: pipeline.latest_frame() is not None, what="a preview frame")
    pipeline.stop()
    pipeline.stop()
    assert not pipeline.running and not source.running
    assert source.state.status is SourceStatus.STOPPED
    assert pipeline.latest_frame() is None  # no frozen picture after stop


@pytest.mark.integration
def test_video_file_source(tmp_path: Path, running) -> None:
    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (640, 480))
    for i in range(12):
        writer.write(qr_frame("VIDEO-CODE") if i >= 6 else empty_frame())
    writer.release()
    got = Collector()
    running(ScanPipeline(FileSource(video, fps=60), got))
    assert got.get().text == "VIDEO-CODE"


@pytest.mark.unit
def test_file_source_errors_say_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailable, match="no such file"):
        FileSource(tmp_path / "missing.png")
    with pytest.raises(SourceUnavailable, match="holds no image"):
        FileSource(tmp_path)
    (tmp_path / "notes.png").write_text("not a picture")
    with pytest.raises(SourceUnavailable, match="not an image"):
        FileSource(tmp_path / "notes.png")
    (tmp_path / "broken.avi").write_bytes(b"\0" * 100)
    with pytest.raises(SourceUnavailable, match="cannot decode"):
        FileSource(tmp_path / "broken.avi")
    with pytest.raises(ValueError):
        FileSource(qr_frame(), fps=0)


@pytest.mark.integration
def test_file_source_without_loop_finishes() -> None:
    states = []
    source = FileSource([empty_frame(), qr_frame()], fps=100, loop=False, on_status=states.append)
    source.start()
    wait_until(lambda: source.state.status is SourceStatus.FINISHED, what="FINISHED")
    assert source.latest_frame().seq == 2
    source.stop()
    assert [s.status for s in states] == [
        SourceStatus.CONNECTING,
        SourceStatus.RUNNING,
        SourceStatus.FINISHED,
        SourceStatus.STOPPED,
    ]
