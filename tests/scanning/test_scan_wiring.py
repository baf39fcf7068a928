"""Sources from config specs, per-screen symbologies, and the technician's CLI."""

from __future__ import annotations

import argparse
import dataclasses
import queue
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.scanning import (
    CUSTOMER_SYMBOLOGIES,
    LABEL_SYMBOLOGIES,
    PURPOSE_SYMBOLOGIES,
    CameraSource,
    EvdevScannerSource,
    FileSource,
    ScanPipeline,
    ScanPurpose,
    ScanResult,
    SerialScannerSource,
    SourceUnavailable,
    Symbology,
    make_decoder,
)
from kiosk.scanning.cli import main, masked, register
from kiosk.scanning.factory import frame_source_from_spec, scanner_from_spec
from kiosk.scanning.synth import on_canvas, render_code128, render_qr

from .conftest import wait_until


@pytest.mark.unit
def test_frame_source_specs(tmp_path: Path) -> None:
    image = tmp_path / "card.png"
    cv2.imwrite(str(image), on_canvas(render_qr("X")))
    assert isinstance(frame_source_from_spec("0"), CameraSource)
    assert frame_source_from_spec("2").device == 2
    assert frame_source_from_spec("/dev/video0").device == "/dev/video0"
    assert isinstance(frame_source_from_spec("rtsp://10.0.0.9/stream"), CameraSource)
    assert isinstance(frame_source_from_spec(str(image), fps=5), FileSource)
    with pytest.raises(SourceUnavailable, match="a camera is a number"):
        frame_source_from_spec(str(tmp_path / "missing.png"))
    with pytest.raises(SourceUnavailable):
        frame_source_from_spec("  ")


@pytest.mark.unit
def test_scanner_specs() -> None:
    def sink(result: ScanResult) -> None:
        del result

    serial_scanner = scanner_from_spec("serial:socket://127.0.0.1:4001", sink)
    assert isinstance(serial_scanner, SerialScannerSource)
    assert serial_scanner.url == "socket://127.0.0.1:4001"
    assert isinstance(scanner_from_spec("hid:/dev/input/event3", sink), EvdevScannerSource)
    with pytest.raises(SourceUnavailable, match="serial:<port or URL>"):
        scanner_from_spec("/dev/ttyACM0", sink)


@pytest.mark.integration
def test_screen_switches_from_qr_only_to_labels(tmp_path: Path) -> None:
    label = on_canvas(render_code128("JD0146000032785"))
    got: queue.Queue[ScanResult] = queue.Queue()
    source = FileSource(label, fps=50)
    pipeline = ScanPipeline(source, got.put, make_decoder("zxing", CUSTOMER_SYMBOLOGIES))
    pipeline.start()
    try:
        wait_until(lambda: pipeline.stats().frames_decoded >= 5, what="frames decoded")
        assert got.empty()  # the customer screen ignores parcel labels
        pipeline.set_decoder(make_decoder("zxing", LABEL_SYMBOLOGIES))  # courier deposit
        result = got.get(timeout=5)
        assert (result.text, result.symbology) == ("JD0146000032785", Symbology.CODE_128)
    finally:
        pipeline.stop()


@pytest.mark.unit
def test_masking_keeps_codes_out_of_the_terminal() -> None:
    assert masked("XP1:L1:12345678") == "XP1:***********"
    assert "12345678" not in masked("12345678")
    assert masked("AB") == "AB"


@pytest.mark.integration
def test_cli_reads_a_test_card(tmp_path: Path, capsys) -> None:
    card = tmp_path / "card.png"
    assert main(["card", "XP1:L1:12345678", "-o", str(card)]) == 0
    assert main(["test", "--source", str(card), "--until-scan", "--seconds", "10"]) == 0
    out = capsys.readouterr().out
    assert "SCAN qr" in out and "XP1:****" in out and "12345678" not in out
    assert "1 code(s) read" in out


@pytest.mark.integration
def test_cli_reports_a_missing_camera_and_fails_until_scan(capsys) -> None:
    assert main(["test", "--source", "/dev/video-none", "--until-scan", "--seconds", "1.2"]) == 1
    out = capsys.readouterr().out
    assert "camera disconnected /dev/video-none not found" in out
    assert main(["test", "--source", "/nope.png"]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.unit
def test_cli_registers_under_expresspoint_and_lists_decoders(capsys) -> None:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["scan", "decoders"])
    assert args.func(args) == 0
    assert "auto           -> zxing" in capsys.readouterr().out


@pytest.mark.integration
def test_the_purpose_switches_what_the_camera_reads_from_any_thread() -> None:
    label = on_canvas(render_code128("JD0146000032785"))
    got: queue.Queue[ScanResult] = queue.Queue()
    built: list[frozenset[Symbology]] = []

    def decoders(symbologies: frozenset[Symbology]):  # type: ignore[no-untyped-def]
        built.append(symbologies)
        return make_decoder("zxing", symbologies)

    source = FileSource(label, fps=50)
    pipeline = ScanPipeline(source, got.put, purpose=ScanPurpose.CUSTOMER, decoders=decoders)
    pipeline.start()
    try:
        wait_until(lambda: pipeline.stats().frames_decoded >= 5, what="frames decoded")
        assert got.empty()  # a customer's screen looks for QR codes only
        # Screens, the flow runner and the UI may all say it, at once and again and again.
        threads = [
            threading.Thread(target=lambda p=p: [pipeline.set_purpose(p) for _ in range(200)])
            for p in (ScanPurpose.STAFF, ScanPurpose.CUSTOMER) * 3
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        pipeline.set_purpose(ScanPurpose.STAFF)  # a courier's visit begins
        assert pipeline.purpose is ScanPurpose.STAFF
        result = got.get(timeout=5)
        assert (result.text, result.symbology) == ("JD0146000032785", Symbology.CODE_128)
        # One decoder per symbology set, however often the purpose changed.
        assert sorted(map(sorted, built)) == sorted(map(sorted, PURPOSE_SYMBOLOGIES.values()))
        assert pipeline.decoder.symbologies == LABEL_SYMBOLOGIES
        pipeline.set_purpose(ScanPurpose.CUSTOMER)
        assert pipeline.decoder.symbologies == CUSTOMER_SYMBOLOGIES
    finally:
        pipeline.stop()


@pytest.mark.unit
def test_a_pipeline_takes_a_decoder_or_a_purpose_not_both() -> None:
    with pytest.raises(ValueError, match="not both"):
        ScanPipeline(FileSource(np.zeros((8, 8), np.uint8)), print,
                     make_decoder("zxing"), purpose=ScanPurpose.CUSTOMER)


@pytest.mark.integration
def test_the_kiosk_reads_qr_only_for_customers_and_labels_during_a_visit(
    tmp_path: Path,
) -> None:
    """Through the app's own wiring: the camera starts on the customers' QR-only
    decoder, follows the flow runner into a courier visit and back."""
    from kiosk.app import KioskApp
    from kiosk.config import CameraSection
    from kiosk.demo_world import DemoWorld

    label = tmp_path / "label.png"
    cv2.imwrite(str(label), on_canvas(render_code128("JD0146000032785")))
    got: queue.Queue[ScanResult] = queue.Queue()
    with DemoWorld(tmp_path / "demo", auto_close_s=None, kdf_n=1024, sync_worker=False) as world:
        assert world.config is not None
        config = dataclasses.replace(world.config, camera=CameraSection(source=str(label)))
        app = KioskApp(config)
        try:
            app.start()
            app.start_camera(got.put)
            assert app.pipeline is not None and app.flows is not None
            assert app.pipeline.purpose is ScanPurpose.CUSTOMER
            wait_until(lambda: app.pipeline.stats().frames_decoded >= 5, what="frames")
            assert got.empty()
            app.flows.courier_mode().result(timeout=10)
            wait_until(lambda: app.pipeline.purpose is ScanPurpose.STAFF, what="staff purpose")
            assert got.get(timeout=10).symbology is Symbology.CODE_128
            app.flows.runner.switch(app.flows.pickup).result(timeout=10)
            wait_until(lambda: app.pipeline.purpose is ScanPurpose.CUSTOMER, what="customers")
        finally:
            app.close()
