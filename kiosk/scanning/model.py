"""Data that flows out of the scanning package: decoded symbols, scan results, states.

Everything here is plain data (dataclasses and StrEnums) so flows, the UI and tests can
use it without importing OpenCV or any decoder library.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

Point = tuple[float, float]

# Every decoder `make_decoder` knows; "auto" takes the first one installed.
DECODER_NAMES = ("auto", "zxing", "pyzbar", "opencv", "opencv-aruco")


class Symbology(StrEnum):
    """Barcode symbologies the kiosk cares about, named the same for every decoder."""

    QR = "qr"
    DATA_MATRIX = "datamatrix"
    CODE_128 = "code128"
    CODE_39 = "code39"
    EAN_13 = "ean13"
    EAN_8 = "ean8"
    UPC_A = "upca"
    UPC_E = "upce"
    ITF = "itf"
    OTHER = "other"
    # Text typed by a keyboard-wedge or serial scanner: the symbology is not reported.
    UNKNOWN = "unknown"


# What a screen should ask the decoder for. Customer codes and courier badges are QR
# only; looking for 1D codes too costs zxing-cpp about 7x more time per empty frame
# (bench/decode.py), so the 1D readers run only where labels are scanned.
CUSTOMER_SYMBOLOGIES: frozenset[Symbology] = frozenset({Symbology.QR})

# The symbologies a parcel locker reads anywhere: QR for customers and badges, QR /
# Data Matrix / common 1D codes for parcel labels.
KIOSK_SYMBOLOGIES: frozenset[Symbology] = frozenset(
    {
        Symbology.QR,
        Symbology.DATA_MATRIX,
        Symbology.CODE_128,
        Symbology.CODE_39,
        Symbology.EAN_13,
        Symbology.EAN_8,
        Symbology.UPC_A,
    }
)


# The longest scan any source hands on: pickup payloads are ~30 characters, GS1 parcel
# labels stay under 100, a full QR code holds up to ~7,000. Anything longer is dropped
# where it is read (`ScanTooLong`), so the flows, the outbox and the logs never see it.
MAX_SCAN_CHARS = 512


@dataclass(frozen=True, slots=True)
class Decoded:
    """One symbol found in one image."""

    text: str
    symbology: Symbology
    # Corners in image pixels, clockwise from top-left where the decoder says so;
    # empty when the decoder gives no position.
    points: tuple[Point, ...] = ()

    @property
    def bbox(self) -> tuple[int, int, int, int] | None:
        """Axis-aligned (x, y, width, height) around the points, or None without points."""
        if not self.points:
            return None
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        x0, y0 = int(min(xs)), int(min(ys))
        return x0, y0, int(max(xs)) - x0, int(max(ys)) - y0


@dataclass(frozen=True, slots=True)
class Frame:
    """A camera or file frame with when it was captured and its running number."""

    image: np.ndarray
    ts: float  # time.monotonic() of capture
    seq: int  # 1, 2, 3, ... per source; never reused while the source object lives


@dataclass(frozen=True, slots=True)
class ScanResult:
    """A code read by any source, ready for a flow.

    `frame_ts` is the monotonic time the frame (or the scanner line) arrived; `decode_ms`
    is the time spent in the decoder (0 for hardware scanners, which decode themselves).
    """

    text: str
    symbology: Symbology
    source: str
    frame_ts: float
    decode_ms: float = 0.0
    points: tuple[Point, ...] = ()

    def __repr__(self) -> str:  # pickup codes must never reach a log in plain text
        return (
            f"ScanResult(text=<{len(self.text)} chars>, symbology={self.symbology!s}, "
            f"source={self.source!r}, decode_ms={self.decode_ms:.1f})"
        )


class SourceStatus(StrEnum):
    """Health of a frame source or scanner, as shown on the technician's test screen."""

    STOPPED = "stopped"
    CONNECTING = "connecting"
    RUNNING = "running"
    # The device vanished or stopped delivering; the source keeps retrying.
    DISCONNECTED = "disconnected"
    # A file source reached the end and was not asked to loop.
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class SourceState:
    status: SourceStatus
    detail: str = ""
    since: float = 0.0  # monotonic time of the change


@dataclass(frozen=True, slots=True)
class DecodeStats:
    """A snapshot of what a scan pipeline has done, for the camera test screen."""

    decoder: str
    source: str
    source_state: SourceState
    frames_decoded: int = 0
    frames_with_symbol: int = 0
    scans_reported: int = 0
    duplicates_suppressed: int = 0
    decode_errors: int = 0
    scans_too_long: int = 0  # dropped at the source (MAX_SCAN_CHARS)
    last_decode_ms: float = 0.0
    mean_decode_ms: float = 0.0
    max_decode_ms: float = 0.0
    # Frames decoded per second over the last few seconds (the camera may deliver more;
    # the worker always takes the newest frame and skips the rest).
    decode_fps: float = 0.0
    last_error: str = ""


LABEL_SYMBOLOGIES = KIOSK_SYMBOLOGIES


class ScanPurpose(StrEnum):
    """Who stands at the kiosk, which decides what the camera looks for."""

    CUSTOMER = "customer"  # pickup codes: QR only
    STAFF = "staff"  # couriers and technicians: badges and every parcel-label symbology


PURPOSE_SYMBOLOGIES: dict[ScanPurpose, frozenset[Symbology]] = {
    ScanPurpose.CUSTOMER: CUSTOMER_SYMBOLOGIES,
    ScanPurpose.STAFF: LABEL_SYMBOLOGIES,
}
