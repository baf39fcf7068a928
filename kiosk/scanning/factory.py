"""Sources built from the one-line specs found in kiosk.toml and on the command line.

Frame sources (`[camera] source`):
    "0", "2"                 camera index (V4L2 /dev/video0, /dev/video2)
    "/dev/video0"            camera device path (or a /dev/v4l/by-id/... link)
    "rtsp://..." "http://..."  network camera stream
    "demo/qr.png"            an image, a folder of images or a video file (looped)

Code scanners:
    "serial:/dev/serial/by-id/usb-...-if00"   line-mode scanner (any pyserial URL)
    "serial:socket://10.0.0.5:4001"
    "hid:/dev/input/by-id/usb-...-event-kbd"  keyboard-wedge scanner read from evdev
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.scanning.camera import CameraSource
from kiosk.scanning.errors import SourceUnavailable
from kiosk.scanning.evdev_reader import EvdevScannerSource
from kiosk.scanning.file_source import FileSource
from kiosk.scanning.frames import FrameSource
from kiosk.scanning.model import ScanResult
from kiosk.scanning.serial_scanner import SerialScannerSource

ScanCallback = Callable[[ScanResult], None]


def frame_source_from_spec(spec: str, **options: Any) -> FrameSource:
    """A CameraSource or FileSource for `spec` (see the module docstring). `options` go
    to the constructor (e.g. on_status, fps for files, width/height for cameras)."""
    spec = spec.strip()
    if not spec:
        raise SourceUnavailable("''", "empty camera source; use an index like 0 or a path")
    if spec.isdigit():
        return CameraSource(int(spec), **options)
    if "://" in spec or spec.startswith("/dev/"):
        return CameraSource(spec, **options)
    path = Path(spec).expanduser()
    if not path.exists():
        raise SourceUnavailable(
            spec, "no such file or folder (a camera is a number like 0 or /dev/videoN)"
        )
    return FileSource(path, **options)


def scanner_from_spec(
    spec: str, on_scan: ScanCallback, **options: Any
) -> SerialScannerSource | EvdevScannerSource:
    """A serial or evdev code scanner for "serial:URL" or "hid:PATH"."""
    kind, _, target = spec.strip().partition(":")
    if kind == "serial" and target:
        return SerialScannerSource(target, on_scan, **options)
    if kind == "hid" and target:
        return EvdevScannerSource(target, on_scan, **options)
    raise SourceUnavailable(
        spec, 'a scanner is "serial:<port or URL>" or "hid:/dev/input/by-id/...-event-kbd"'
    )
