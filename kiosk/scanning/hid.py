"""Keyboard-wedge scanners: telling a scanner's burst of keys from a person typing.

A USB HID scanner "types" the code, typically 1-10 ms per key, then Enter. A person
needs 60 ms or more between keys. `HidLineAssembler` is pure: it gets each key with
its time (or asks an injected clock) and returns what it decided, so it is tested
without sleeping and used the same way from a Qt event filter or an evdev reader.

Qt use: an event filter on the main window calls `feed(event.text())` for key presses
and consumes them; a 20 ms QTimer calls `poll()`. SCAN lines go to the flow, TYPED text
is handed to the focused widget (a hardware keypad, if the kiosk has one).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.scanning.errors import ScanTooLong
from kiosk.scanning.model import MAX_SCAN_CHARS, Symbology

log = logging.getLogger(__name__)


class LineKind(StrEnum):
    SCAN = "scan"
    TYPED = "typed"


@dataclass(frozen=True, slots=True)
class HidLine:
    kind: LineKind
    text: str
    started_at: float
    ended_at: float

    def __repr__(self) -> str:  # the text may be a pickup code: never in a log
        return f"HidLine({self.kind}, <{len(self.text)} chars>)"


END_KEYS = frozenset({"\r", "\n"})


class HidLineAssembler:
    """Groups keys into scanner lines and typed text by the gaps between them.

    - keys less than `max_gap_s` apart form one burst;
    - a burst of at least `min_length` characters ended by Enter is a SCAN;
    - with `require_terminator=False`, a burst of `min_length`+ that simply stops for
      `max_gap_s` is a SCAN too (scanners configured without a suffix);
    - anything else is TYPED, released once the typist has paused for `max_gap_s`
      (call `poll()` regularly so a lone key press is not held back);
    - a burst longer than `max_length` (default MAX_SCAN_CHARS) is dropped up to its
      end, counted in `too_long` and logged as `ScanTooLong` with a short excerpt: a
      scanner that types a huge payload never hands it on.
    """

    def __init__(
        self,
        *,
        max_gap_s: float = 0.05,
        min_length: int = 4,
        require_terminator: bool = True,
        max_length: int = MAX_SCAN_CHARS,
        clock: Callable[[], float] = time.monotonic,
        name: str = "hid",
    ) -> None:
        if max_gap_s <= 0 or min_length < 1:
            raise ValueError("max_gap_s must be positive and min_length at least 1")
        self.max_gap_s = max_gap_s
        self.min_length = min_length
        self.require_terminator = require_terminator
        self._clock = clock
        self.max_length = max_length
        self.name = name
        self.too_long = 0
        self._chars: list[str] = []
        self._overflow = False  # inside an overlong burst: drop up to its end
        self._first_at = 0.0
        self._last_at = 0.0

    def feed(self, key: str, ts: float | None = None) -> list[HidLine]:
        """One key press (a single character; "\\r" or "\\n" for Enter)."""
        now = self._clock() if ts is None else ts
        out = self.poll(now)
        if key in END_KEYS:
            if self._overflow:
                self._overflow = False
                return out
            if len(self._chars) >= self.min_length:
                out.append(self._take(LineKind.SCAN, now))
            else:
                self._chars.append("\n")
                out.append(self._take(LineKind.TYPED, now))
            return out
        self._last_at = now
        if self._overflow:
            return out
        if not self._chars:
            self._first_at = now
        self._chars.extend(key)
        if len(self._chars) > self.max_length:
            self.too_long += 1
            error = ScanTooLong(self.name, len(self._chars), "".join(self._chars),
                                self.max_length)
            log.warning("%s", error)
            self._chars.clear()
            self._overflow = True
        return out

    def poll(self, ts: float | None = None) -> list[HidLine]:
        """Releases a burst that ended more than `max_gap_s` ago."""
        now = self._clock() if ts is None else ts
        if self._overflow and now - self._last_at > self.max_gap_s:
            self._overflow = False  # the overlong burst has ended
        if not self._chars or now - self._last_at <= self.max_gap_s:
            return []
        if not self.require_terminator and len(self._chars) >= self.min_length:
            return [self._take(LineKind.SCAN, self._last_at)]
        return [self._take(LineKind.TYPED, self._last_at)]

    @property
    def pending(self) -> int:
        """Characters held back while deciding (for tests and diagnostics)."""
        return len(self._chars)

    def _take(self, kind: LineKind, ended_at: float) -> HidLine:
        line = HidLine(kind, "".join(self._chars), self._first_at, ended_at)
        self._chars.clear()
        return line


# AIM symbology identifiers ("]Q1" ...) that many scanners can prefix to each code; with
# them on, a hand-held scanner tells a QR badge from a Code 128 label, as the camera does.
_AIM_PREFIXES: dict[str, Symbology] = {
    "]Q": Symbology.QR,
    "]d": Symbology.DATA_MATRIX,
    "]C": Symbology.CODE_128,
    "]A": Symbology.CODE_39,
    "]E": Symbology.EAN_13,
    "]I": Symbology.ITF,
}


def split_aim_identifier(text: str) -> tuple[Symbology, str]:
    """(symbology, payload) of a scanner line; UNKNOWN and the text unchanged when the
    line carries no AIM identifier. EAN-8 and UPC share "]E" and come out as EAN-13."""
    if len(text) >= 3 and text[:2] in _AIM_PREFIXES:
        return _AIM_PREFIXES[text[:2]], text[3:]
    return Symbology.UNKNOWN, text
