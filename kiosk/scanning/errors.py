"""Typed errors of the scanning package; each message says what to do next."""

from __future__ import annotations


class ScanningError(Exception):
    """Base class for everything the scanning package raises on purpose."""


class DecoderUnavailable(ScanningError):
    """A decoder's library (or the system library it loads) is not installed."""

    def __init__(self, name: str, reason: str, fix: str) -> None:
        self.name = name
        self.reason = reason
        self.fix = fix
        super().__init__(f"decoder {name!r} is unavailable: {reason}. {fix}")


class UnknownDecoder(ScanningError):
    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"unknown decoder {name!r}; choose one of: {', '.join(known)}")


class SourceUnavailable(ScanningError):
    """A file source was pointed at something that holds no usable image or video."""

    def __init__(self, target: str, reason: str) -> None:
        self.target = target
        super().__init__(f"cannot read frames from {target}: {reason}")


class ScannerPortError(ScanningError):
    """A hardware scanner's port could not be opened or read."""

    def __init__(self, target: str, reason: str) -> None:
        self.target = target
        super().__init__(
            f"scanner at {target} is unavailable: {reason}. Check the cable and the "
            "device path (ls -l /dev/serial/by-id /dev/input/by-id) and that the kiosk "
            "user may read it (group dialout / input)."
        )


class ScanTooLong(ScanningError):
    """A scan longer than any code the kiosk reads: dropped at its source, so a huge QR
    or scanner payload never reaches the flows, the events or the logs whole."""

    def __init__(self, source: str, length: int, text: str, limit: int) -> None:
        self.source = source
        self.length = length
        self.limit = limit
        self.excerpt = excerpt(text)
        super().__init__(
            f"{source}: a scan longer than the {limit} characters of any code the kiosk "
            f"reads was dropped ({length} seen); it began {self.excerpt!r}"
        )


def excerpt(text: str, limit: int = 16) -> str:
    """The first `limit` characters of untrusted text with everything outside printable
    ASCII escaped, so a log line stays one short, harmless line."""
    head = text[:limit].encode("unicode_escape").decode("ascii")
    return head + ("..." if len(text) > limit else "")


class InvalidFrame(ScanningError, ValueError):
    """An image that no decoder can take (wrong dtype or channel count)."""

    def __init__(self, shape: tuple[int, ...], dtype: str) -> None:
        super().__init__(
            f"cannot decode an image of shape {shape} and dtype {dtype}: pass a uint8 "
            "grey (H, W) or BGR/BGRA (H, W, 3|4) array, as cv2.imread or VideoCapture give"
        )
