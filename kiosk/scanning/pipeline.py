"""From frames to scans: a worker thread decodes the newest frame of a source, drops
repeats of a code that is still being held up, and hands new codes to `on_scan`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

import numpy as np

from kiosk.scanning.decoders import Decoder, make_decoder
from kiosk.scanning.errors import ScanTooLong
from kiosk.scanning.frames import FrameSource
from kiosk.scanning.model import (
    KIOSK_SYMBOLOGIES,
    MAX_SCAN_CHARS,
    PURPOSE_SYMBOLOGIES,
    Decoded,
    DecodeStats,
    ScanPurpose,
    ScanResult,
    Symbology,
)

log = logging.getLogger(__name__)

ScanCallback = Callable[[ScanResult], None]
DecoderFactory = Callable[[frozenset[Symbology]], Decoder]


class Deduplicator:
    """Says whether a payload is new, or the same code still in front of the camera.

    A code is reported again only after it was out of sight for `window_s` seconds: the
    window restarts at every sighting, so a phone held up for a minute triggers once.
    """

    def __init__(self, window_s: float = 3.0, clock: Callable[[], float] = time.monotonic):
        if window_s < 0:
            raise ValueError("window_s must not be negative")
        self.window_s = window_s
        self._clock = clock
        self._last_seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def is_new(self, text: str) -> bool:
        """Records a sighting; True when the code was not in sight within the window."""
        now = self._clock()
        with self._lock:
            self._forget_old(now)
            fresh = text not in self._last_seen
            self._last_seen[text] = now
        return fresh

    def refresh(self, text: str) -> None:
        """Records a sighting of a code already reported (and still in sight), without
        making a new code known: used while reporting is paused."""
        now = self._clock()
        with self._lock:
            self._forget_old(now)
            if text in self._last_seen:
                self._last_seen[text] = now

    def _forget_old(self, now: float) -> None:
        # Codes that left the picture long ago go, so memory stays small.
        for old in [t for t, at in self._last_seen.items() if now - at > self.window_s]:
            del self._last_seen[old]

    def reset(self) -> None:
        """Forget everything: the next sighting of any code is reported."""
        with self._lock:
            self._last_seen.clear()


class ScanPipeline:
    """Decodes frames from `source` in its own thread and reports new codes.

    - `on_scan` runs on the pipeline's worker thread: forward it (a Qt signal, a queue)
      and return quickly; an exception in it is logged and does not stop scanning;
    - the worker always takes the newest frame, so a slow decoder skips frames instead
      of falling behind;
    - `pause()` stops reporting but keeps the source (live preview) and decoding
      running: a code reported before and still held up through a paused screen is not
      reported again on `resume()`, while a code that first appeared during the pause
      is reported at once;
    - the pipeline starts and stops its source unless `owns_source=False`;
    - `set_purpose(ScanPurpose.CUSTOMER)` makes the decoder look for QR codes only,
      `ScanPurpose.STAFF` for badges and every label symbology; the decoders come from
      `decoders(symbologies)` (default: `make_decoder("auto", ...)`), built once each.
    """

    def __init__(
        self,
        source: FrameSource,
        on_scan: ScanCallback,
        decoder: Decoder | None = None,
        *,
        dedup_window_s: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
        owns_source: bool = True,
        stats_window: int = 50,
        decoders: DecoderFactory | None = None,
        purpose: ScanPurpose | None = None,
    ) -> None:
        self.source = source
        self._decoders: DecoderFactory = decoders or (lambda s: make_decoder("auto", s))
        self._by_symbologies: dict[frozenset[Symbology], Decoder] = {}
        self._purpose: ScanPurpose | None = None
        self._purpose_lock = threading.Lock()
        if decoder is not None and purpose is not None:
            raise ValueError("give a decoder or a purpose, not both")
        if decoder is None:
            wanted = PURPOSE_SYMBOLOGIES[purpose] if purpose is not None else KIOSK_SYMBOLOGIES
            decoder = self._decoder_for(wanted)
        self.decoder: Decoder = decoder
        self._purpose = purpose
        self._on_scan = on_scan
        self._clock = clock
        self._owns_source = owns_source
        self.dedup = Deduplicator(dedup_window_s, clock)
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._counts = {
            "decoded": 0, "with_symbol": 0, "reported": 0, "dupes": 0, "errors": 0,
            "too_long": 0,
        }
        self.max_scan_chars = MAX_SCAN_CHARS
        self._times: deque[tuple[float, float]] = deque(maxlen=stats_window)  # (at, ms)
        self._last_error = ""

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        if self._owns_source:
            self.source.start()
        self._thread = threading.Thread(
            target=self._run, name=f"scan:{self.source.name}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stops the worker (and the source it owns); returns within about `timeout` s."""
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                log.warning("scan worker for %s is still decoding a frame", self.source.name)
        self._thread = None
        if self._owns_source:
            self.source.stop(timeout)

    def pause(self) -> None:
        self._paused.set()

    def resume(self) -> None:
        # Dedup memory is kept: a phone still held up after the door screen must not
        # open a second flow. Call `dedup.reset()` to accept the same code at once.
        self._paused.clear()

    def set_decoder(self, decoder: Decoder) -> None:
        """Swap the decoder from any thread; it is used from the next frame on."""
        self.decoder = decoder

    def set_purpose(self, purpose: ScanPurpose) -> None:
        """Look for what this purpose scans, from the next frame on; any thread, as
        often as the kiosk likes (the same purpose again changes nothing). A customer's
        QR-only decoder is several times faster per frame than one that also looks for
        every 1D label symbology (bench/decode.py)."""
        purpose = ScanPurpose(purpose)
        with self._purpose_lock:
            if purpose is self._purpose:
                return
            self.decoder = self._decoder_for(PURPOSE_SYMBOLOGIES[purpose])
            self._purpose = purpose
        log.info("scanning for %s codes with %s", purpose, self.decoder.name)

    @property
    def purpose(self) -> ScanPurpose | None:
        with self._purpose_lock:
            return self._purpose

    def _decoder_for(self, symbologies: frozenset[Symbology]) -> Decoder:
        decoder = self._by_symbologies.get(symbologies)
        if decoder is None:
            decoder = self._by_symbologies[symbologies] = self._decoders(symbologies)
        return decoder

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def paused(self) -> bool:
        return self._paused.is_set()

    # -- for screens --------------------------------------------------------------------

    def latest_frame(self) -> np.ndarray | None:
        """The newest camera image (BGR or grey as the source delivers), for a preview."""
        frame = self.source.latest_frame()
        return None if frame is None else frame.image

    def stats(self) -> DecodeStats:
        with self._lock:
            counts = dict(self._counts)
            times = list(self._times)
            last_error = self._last_error
        durations = [ms for _, ms in times]
        fps = 0.0
        recent = bool(times) and self._clock() - times[-1][0] < 2.0  # not a stalled camera
        if recent and len(times) >= 2 and times[-1][0] > times[0][0]:
            fps = (len(times) - 1) / (times[-1][0] - times[0][0])
        return DecodeStats(
            decoder=self.decoder.name,
            source=self.source.name,
            source_state=self.source.state,
            frames_decoded=counts["decoded"],
            frames_with_symbol=counts["with_symbol"],
            scans_reported=counts["reported"],
            duplicates_suppressed=counts["dupes"],
            decode_errors=counts["errors"],
            scans_too_long=counts["too_long"],
            last_decode_ms=durations[-1] if durations else 0.0,
            mean_decode_ms=sum(durations) / len(durations) if durations else 0.0,
            max_decode_ms=max(durations, default=0.0),
            decode_fps=fps,
            last_error=last_error,
        )

    # -- worker -------------------------------------------------------------------------

    def _short_enough(self, found: list[Decoded]) -> list[Decoded]:
        kept = []
        for symbol in found:
            if len(symbol.text) <= self.max_scan_chars:
                kept.append(symbol)
                continue
            error = ScanTooLong(self.source.name, len(symbol.text), symbol.text,
                                self.max_scan_chars)
            with self._lock:
                self._counts["too_long"] += 1
                repeat = self._last_error == str(error)
                self._last_error = str(error)
            # The same code held up is seen 30 times a second: log it once.
            (log.debug if repeat else log.warning)("%s", error)
        return kept

    def _run(self) -> None:
        last_seq = 0
        while not self._stop.is_set():
            frame = self.source.wait_frame(last_seq, timeout=0.2)
            if frame is None:
                continue
            last_seq = frame.seq
            decoder = self.decoder  # one decoder per frame, even if swapped meanwhile
            started = time.perf_counter()
            try:
                found = decoder.decode(frame.image)
            except Exception as exc:
                # A frame the decoder chokes on must not end scanning; it is counted
                # and shown on the camera test screen. The same error on every frame
                # is logged once, not 30 times a second.
                error = f"{type(exc).__name__}: {exc}"
                if error != self._last_error:
                    log.exception("decoder %s failed on a frame", decoder.name)
                with self._lock:
                    self._counts["errors"] += 1
                    self._last_error = error
                continue
            ms = (time.perf_counter() - started) * 1000.0
            with self._lock:
                self._counts["decoded"] += 1
                self._counts["with_symbol"] += bool(found)
                self._times.append((self._clock(), ms))
            found = self._short_enough(found)
            if self._paused.is_set():
                for symbol in found:
                    self.dedup.refresh(symbol.text)
                continue
            for symbol in found:
                if not self.dedup.is_new(symbol.text):
                    with self._lock:
                        self._counts["dupes"] += 1
                    continue
                with self._lock:
                    self._counts["reported"] += 1
                result = ScanResult(
                    symbol.text, symbol.symbology, self.source.name, frame.ts, ms, symbol.points
                )
                try:
                    self._on_scan(result)
                except Exception:
                    log.exception("on_scan callback failed for %r", result)
