"""Barcode decoders behind one interface: zxing-cpp, pyzbar and OpenCV's QR detectors.

Each library is imported only when its decoder is built, so a kiosk without libzbar
still runs with zxing-cpp, and the error names the package to install.

The default (`make_decoder("auto")`) is zxing-cpp: on the generated degraded set in
bench/decode.py it decodes the most frames in every condition and is the fastest on
empty frames, which are most of what a kiosk camera sees (figures in docs/scanning.md).

Crumpled and curved paper codes defeat zxing-cpp's local binarizer now and then. When
its full pass reads nothing, `ZxingDecoder` tries one more pass for QR codes with the
global-histogram binarizer and none of the rotated, downscaled or inverted passes: it
reads such photos and costs under 1 % of the first pass on an empty frame (0.06 ms
against 8 ms on the bench's empty frames; Data Matrix in that pass would cost 0.14 ms
more for no photo read), so the camera, which sees empty frames all day, is not slowed
down. pyzbar behind zxing-cpp was tried too: on the real
photos and the generated set it read nothing the second pass missed, and zxing-cpp's
"symbol seen but not decoded" signal fires on busy empty frames, where pyzbar costs 5x
a zxing-cpp pass (bench/decode.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, Protocol, runtime_checkable

import cv2
import numpy as np

from kiosk.scanning.errors import DecoderUnavailable, InvalidFrame, UnknownDecoder
from kiosk.scanning.model import DECODER_NAMES, KIOSK_SYMBOLOGIES, Decoded, Point, Symbology

log = logging.getLogger(__name__)


@runtime_checkable
class Decoder(Protocol):
    """Finds and decodes every symbol in one grey or BGR image."""

    name: str
    symbologies: frozenset[Symbology]

    def decode(self, frame: np.ndarray) -> list[Decoded]: ...


def to_gray(frame: np.ndarray) -> np.ndarray:
    """A contiguous uint8 grey view of a grey, BGR or BGRA frame (no copy when grey)."""
    if frame.dtype != np.uint8:
        raise InvalidFrame(tuple(frame.shape), str(frame.dtype))
    if frame.ndim == 2:
        return np.ascontiguousarray(frame)
    if frame.ndim == 3 and frame.shape[2] == 3:
        return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    if frame.ndim == 3 and frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    if frame.ndim == 3 and frame.shape[2] == 1:
        return np.ascontiguousarray(frame[:, :, 0])
    raise InvalidFrame(tuple(frame.shape), str(frame.dtype))


def _text(data: bytes) -> str:
    # Payloads are ASCII by convention (central-api.md); anything else is kept readable
    # rather than dropped, so the flow can say "not one of our codes".
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# --- zxing-cpp -------------------------------------------------------------------------

_ZXING_NAMES: dict[Symbology, str] = {
    Symbology.QR: "QRCode",
    Symbology.DATA_MATRIX: "DataMatrix",
    Symbology.CODE_128: "Code128",
    Symbology.CODE_39: "Code39",
    Symbology.EAN_13: "EAN13",
    Symbology.EAN_8: "EAN8",
    Symbology.UPC_A: "UPCA",
    Symbology.UPC_E: "UPCE",
    Symbology.ITF: "ITF",
}
_FROM_ZXING: dict[str, Symbology] = {v: k for k, v in _ZXING_NAMES.items()} | {
    "MicroQRCode": Symbology.QR,
    "QRCodeModel1": Symbology.QR,
    "QRCodeModel2": Symbology.QR,
    "Code39Std": Symbology.CODE_39,
    "Code39Ext": Symbology.CODE_39,
    "ITF14": Symbology.ITF,
}


class ZxingDecoder:
    """zxing-cpp (`zxingcpp.read_barcodes`): all kiosk symbologies, rotation, inversion;
    with `second_pass`, a global-histogram pass for QR codes when the first reads
    nothing (see the module docstring)."""

    name = "zxing"

    def __init__(
        self, symbologies: Iterable[Symbology] = KIOSK_SYMBOLOGIES, *, second_pass: bool = True
    ) -> None:
        try:
            import zxingcpp
        except ImportError as exc:
            raise DecoderUnavailable(
                self.name, str(exc), "Install the Python package: pip install zxing-cpp"
            ) from exc
        self._zx = zxingcpp
        self.symbologies = frozenset(symbologies)
        formats = [
            getattr(zxingcpp.BarcodeFormat, _ZXING_NAMES[s])
            for s in sorted(self.symbologies)
            if s in _ZXING_NAMES
        ]
        if not formats:
            raise ValueError(f"zxing-cpp reads none of {sorted(self.symbologies)}")
        self._formats = zxingcpp.BarcodeFormats(formats)
        wants_qr = second_pass and Symbology.QR in self.symbologies
        self._second = zxingcpp.BarcodeFormats([zxingcpp.BarcodeFormat.QRCode]) if wants_qr \
            else None

    def decode(self, frame: np.ndarray) -> list[Decoded]:
        gray = to_gray(frame)
        # Plain text mode: the label's own characters (GS1 separators stay as GS), not
        # zxing's "human readable" rendering with parentheses around AIs.
        results = self._zx.read_barcodes(
            gray, formats=self._formats, text_mode=self._zx.TextMode.Plain
        )
        if not results and self._second is not None:
            # One global threshold keeps a crumpled code's modules whole where the
            # local one breaks them up; a single pass, so an empty frame stays cheap.
            results = self._zx.read_barcodes(
                gray, formats=self._second, text_mode=self._zx.TextMode.Plain,
                binarizer=self._zx.Binarizer.GlobalHistogram, try_rotate=False,
                try_downscale=False, try_invert=False,
            )
        return self._decoded(results)

    def _decoded(self, results: Any) -> list[Decoded]:
        out: list[Decoded] = []
        for r in results:
            p = r.position
            corners = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
            points: tuple[Point, ...] = tuple((float(c.x), float(c.y)) for c in corners)
            symbology = _FROM_ZXING.get(r.format.name, Symbology.OTHER)
            out.append(Decoded(r.text, symbology, points))
        return out


# --- pyzbar (libzbar) ------------------------------------------------------------------

_ZBAR_NAMES: dict[Symbology, str] = {
    Symbology.QR: "QRCODE",
    Symbology.CODE_128: "CODE128",
    Symbology.CODE_39: "CODE39",
    Symbology.EAN_13: "EAN13",
    Symbology.EAN_8: "EAN8",
    Symbology.UPC_A: "UPCA",
    Symbology.UPC_E: "UPCE",
    Symbology.ITF: "I25",
}
_FROM_ZBAR: dict[str, Symbology] = {v: k for k, v in _ZBAR_NAMES.items()}


class PyzbarDecoder:
    """pyzbar over the system libzbar. No Data Matrix; guesses text encodings."""

    name = "pyzbar"

    def __init__(self, symbologies: Iterable[Symbology] = KIOSK_SYMBOLOGIES) -> None:
        try:
            from pyzbar import pyzbar
        except ImportError as exc:
            # pyzbar raises ImportError("Unable to find zbar shared library") when the
            # Python package is there but libzbar.so.0 is not.
            fix = (
                "Install the system library: apt-get install libzbar0 (libzbar0t64 on "
                "Debian 13 / Ubuntu 24.04)"
                if "zbar shared library" in str(exc)
                else "Install the Python package: pip install pyzbar"
            )
            raise DecoderUnavailable(self.name, str(exc), fix) from exc
        self._pyzbar = pyzbar
        self.symbologies = frozenset(s for s in symbologies if s in _ZBAR_NAMES)
        self._symbols = [getattr(pyzbar.ZBarSymbol, _ZBAR_NAMES[s]) for s in self.symbologies]
        if not self._symbols:
            raise ValueError(f"zbar reads none of {sorted(symbologies)}")

    def decode(self, frame: np.ndarray) -> list[Decoded]:
        gray = to_gray(frame)
        out: list[Decoded] = []
        for r in self._pyzbar.decode(gray, symbols=self._symbols):
            points = tuple((float(p.x), float(p.y)) for p in r.polygon)
            out.append(Decoded(_text(r.data), _FROM_ZBAR.get(r.type, Symbology.OTHER), points))
        return out


# --- OpenCV ----------------------------------------------------------------------------


class OpenCvQrDecoder:
    """`cv2.QRCodeDetector` (or `cv2.QRCodeDetectorAruco`): QR only, no extra library."""

    symbologies = frozenset({Symbology.QR})

    def __init__(self, aruco: bool = False) -> None:
        factory: Callable[[], Any] | None = (
            getattr(cv2, "QRCodeDetectorAruco", None) if aruco else cv2.QRCodeDetector
        )
        if factory is None:
            raise DecoderUnavailable(
                "opencv-aruco",
                f"cv2.QRCodeDetectorAruco is missing from OpenCV {cv2.__version__}",
                "Upgrade opencv-python-headless to 4.8 or newer",
            )
        self.name = "opencv-aruco" if aruco else "opencv"
        self._detector = factory()
        # The str variant raises UnicodeDecodeError on a non-UTF-8 payload; the bytes
        # variant (OpenCV 4.11+) lets us decide how to render it.
        self._bytes_api = hasattr(self._detector, "detectAndDecodeBytesMulti")

    def decode(self, frame: np.ndarray) -> list[Decoded]:
        gray = to_gray(frame)
        try:
            if self._bytes_api:
                ok, payloads, corners, _ = self._detector.detectAndDecodeBytesMulti(gray)
                texts = [_text(bytes(p)) for p in payloads] if ok else []
            else:
                ok, texts, corners, _ = self._detector.detectAndDecodeMulti(gray)
        except (cv2.error, UnicodeDecodeError) as exc:
            # OpenCV raises on QR modes it does not implement (e.g. ECI, Kanji) and on
            # non-UTF-8 text: for a kiosk that is "not read", not a failure.
            log.debug("OpenCV could not decode a QR code: %s", type(exc).__name__)
            return []
        if not ok or corners is None:
            return []
        out: list[Decoded] = []
        for text, quad in zip(texts, corners, strict=False):
            # An empty payload means "found a QR-like pattern but could not decode it".
            if text:
                points = tuple((float(x), float(y)) for x, y in quad)
                out.append(Decoded(text, Symbology.QR, points))
        return out


# --- factory ---------------------------------------------------------------------------

DEFAULT_DECODER = "zxing"
# Tried in this order by "auto": best decode rate and empty-frame cost first.
_AUTO_ORDER = ("zxing", "pyzbar", "opencv")


def _build(name: str, symbologies: Iterable[Symbology]) -> Decoder:
    if name == "zxing":
        return ZxingDecoder(symbologies)
    if name == "pyzbar":
        return PyzbarDecoder(symbologies)
    if name in ("opencv", "opencv-aruco"):
        return OpenCvQrDecoder(aruco=name == "opencv-aruco")
    raise UnknownDecoder(name, decoder_names())


def decoder_names() -> list[str]:
    return list(DECODER_NAMES)


def make_decoder(
    name: str = "auto", symbologies: Iterable[Symbology] = KIOSK_SYMBOLOGIES
) -> Decoder:
    """Build a decoder by name; "auto" takes the first installed one of zxing, pyzbar,
    opencv (in that order, see the module docstring for why).

    Raises UnknownDecoder for a bad name and DecoderUnavailable when the named library
    (or, for "auto", every library) is missing.
    """
    wanted = frozenset(symbologies)
    if name != "auto":
        return _build(name, wanted)
    failures: list[DecoderUnavailable] = []
    for candidate in _AUTO_ORDER:
        try:
            decoder = _build(candidate, wanted)
        except DecoderUnavailable as exc:
            log.warning("%s", exc)
            failures.append(exc)
            continue
        if candidate != DEFAULT_DECODER:
            log.warning("using fallback decoder %s", candidate)
        return decoder
    raise DecoderUnavailable(
        "auto", "; ".join(f.reason for f in failures), "Install zxing-cpp: pip install zxing-cpp"
    )


def available_decoders() -> dict[str, str]:
    """Each decoder name mapped to "ok" or the reason it cannot be built (for diagnostics)."""
    report: dict[str, str] = {}
    for name in decoder_names()[1:]:
        try:
            _build(name, KIOSK_SYMBOLOGIES)
        except DecoderUnavailable as exc:
            report[name] = f"{exc.reason} ({exc.fix})"
        else:
            report[name] = "ok"
    return report
