"""Scanning: from a camera or a hardware scanner to a decoded string.

No Qt here (see `qt_adapter` for the bridge). Typical use:

    pipeline = ScanPipeline(CameraSource("/dev/video0"), on_scan=handle)
    pipeline.start()          # decodes in its own thread; handle() runs there
    pipeline.latest_frame()   # for the live preview
    pipeline.stats()          # for the camera test screen
    pipeline.stop()

See docs/scanning.md.

The names below load on first use (PEP 562), so importing one light module of this
package (the symbology model, the command line) does not pull OpenCV and numpy in.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "CUSTOMER_SYMBOLOGIES": "kiosk.scanning.model",
    "CameraSource": "kiosk.scanning.camera",
    "DEFAULT_DECODER": "kiosk.scanning.decoders",
    "DecodeStats": "kiosk.scanning.model",
    "Decoded": "kiosk.scanning.model",
    "Decoder": "kiosk.scanning.decoders",
    "DecoderUnavailable": "kiosk.scanning.errors",
    "Deduplicator": "kiosk.scanning.pipeline",
    "EvdevScannerSource": "kiosk.scanning.evdev_reader",
    "FileSource": "kiosk.scanning.file_source",
    "Frame": "kiosk.scanning.model",
    "FrameSource": "kiosk.scanning.frames",
    "HidLine": "kiosk.scanning.hid",
    "HidLineAssembler": "kiosk.scanning.hid",
    "InvalidFrame": "kiosk.scanning.errors",
    "KIOSK_SYMBOLOGIES": "kiosk.scanning.model",
    "LABEL_SYMBOLOGIES": "kiosk.scanning.model",
    "LineKind": "kiosk.scanning.hid",
    "MAX_SCAN_CHARS": "kiosk.scanning.model",
    "PURPOSE_SYMBOLOGIES": "kiosk.scanning.model",
    "OpenCvQrDecoder": "kiosk.scanning.decoders",
    "PyzbarDecoder": "kiosk.scanning.decoders",
    "ScanPipeline": "kiosk.scanning.pipeline",
    "ScanPurpose": "kiosk.scanning.model",
    "ScanResult": "kiosk.scanning.model",
    "ScanTooLong": "kiosk.scanning.errors",
    "ScannerPortError": "kiosk.scanning.errors",
    "ScanningError": "kiosk.scanning.errors",
    "SerialScannerSource": "kiosk.scanning.serial_scanner",
    "SourceState": "kiosk.scanning.model",
    "SourceStatus": "kiosk.scanning.model",
    "SourceUnavailable": "kiosk.scanning.errors",
    "Symbology": "kiosk.scanning.model",
    "UnknownDecoder": "kiosk.scanning.errors",
    "ZxingDecoder": "kiosk.scanning.decoders",
    "available_decoders": "kiosk.scanning.decoders",
    "decoder_names": "kiosk.scanning.decoders",
    "make_decoder": "kiosk.scanning.decoders",
    "split_aim_identifier": "kiosk.scanning.hid",
}

__all__ = [
    "CUSTOMER_SYMBOLOGIES",
    "CameraSource",
    "DEFAULT_DECODER",
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
    "KIOSK_SYMBOLOGIES",
    "LABEL_SYMBOLOGIES",
    "LineKind",
    "MAX_SCAN_CHARS",
    "OpenCvQrDecoder",
    "PURPOSE_SYMBOLOGIES",
    "PyzbarDecoder",
    "ScanPipeline",
    "ScanPurpose",
    "ScanResult",
    "ScanTooLong",
    "ScannerPortError",
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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from kiosk.scanning.camera import (
        CameraSource,
    )
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
    from kiosk.scanning.evdev_reader import (
        EvdevScannerSource,
    )
    from kiosk.scanning.file_source import (
        FileSource,
    )
    from kiosk.scanning.frames import (
        FrameSource,
    )
    from kiosk.scanning.hid import (
        HidLine,
        HidLineAssembler,
        LineKind,
        split_aim_identifier,
    )
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
    from kiosk.scanning.pipeline import (
        Deduplicator,
        ScanPipeline,
    )
    from kiosk.scanning.serial_scanner import (
        SerialScannerSource,
    )
