"""Scanning: from a camera or a hardware scanner to a decoded string.

No Qt here (see `qt_adapter` for the bridge). Typical use:

    pipeline = ScanPipeline(CameraSource("/dev/video0"), on_scan=handle)
    pipeline.start()          # decodes in its own thread; handle() runs there
    pipeline.latest_frame()   # for the live preview
    pipeline.stats()          # for the camera test screen
    pipeline.stop()

See docs/scanning.md.
"""

from kiosk.scanning.camera import CameraSource
from kiosk.scanning.decoders import (
    DEFAULT_DECODER,
    Decoder,
    OpenCvQrDecoder,
    PyzbarDecoder,
    ZxingDecoder,
    available_decoders,
    decoder_names,
    make_decoder,
)
from kiosk.scanning.errors import (
    DecoderUnavailable,
    InvalidFrame,
    ScannerPortError,
    ScanningError,
    ScanTooLong,
    SourceUnavailable,
    UnknownDecoder,
)
from kiosk.scanning.evdev_reader import EvdevScannerSource
from kiosk.scanning.file_source import FileSource
from kiosk.scanning.frames import FrameSource
from kiosk.scanning.hid import HidLine, HidLineAssembler, LineKind, split_aim_identifier
from kiosk.scanning.model import (
    CUSTOMER_SYMBOLOGIES,
    KIOSK_SYMBOLOGIES,
    LABEL_SYMBOLOGIES,
    MAX_SCAN_CHARS,
    PURPOSE_SYMBOLOGIES,
    Decoded,
    DecodeStats,
    Frame,
    ScanPurpose,
    ScanResult,
    SourceState,
    SourceStatus,
    Symbology,
)
from kiosk.scanning.pipeline import Deduplicator, ScanPipeline
from kiosk.scanning.serial_scanner import SerialScannerSource

__all__ = [
    "CUSTOMER_SYMBOLOGIES",
    "DEFAULT_DECODER",
    "KIOSK_SYMBOLOGIES",
    "LABEL_SYMBOLOGIES",
    "MAX_SCAN_CHARS",
    "PURPOSE_SYMBOLOGIES",
    "CameraSource",
    "DecodeStats",
    "Decoded",
    "Decoder",
    "DecoderUnavailable",
    "Deduplicator",
    "EvdevScannerSource",
    "FileSource",
    "Frame",
    "FrameSource",
    "HidLine",
    "HidLineAssembler",
    "InvalidFrame",
    "LineKind",
    "OpenCvQrDecoder",
    "PyzbarDecoder",
    "ScanPipeline",
    "ScanPurpose",
    "ScanResult",
    "ScannerPortError",
    "ScanTooLong",
    "ScanningError",
    "SerialScannerSource",
    "SourceState",
    "SourceStatus",
    "SourceUnavailable",
    "Symbology",
    "UnknownDecoder",
    "ZxingDecoder",
    "available_decoders",
    "decoder_names",
    "make_decoder",
    "split_aim_identifier",
]
