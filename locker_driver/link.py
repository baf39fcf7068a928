"""One transaction at a time on the line: flush, write, collect a reply frame, drain.

Framing: a reply whose length the protocol fixes is complete when that many bytes have
arrived (however the USB adapter splits them); a reply of unknown length (8A query-all)
is complete after a quiet gap. Before every request stale input is flushed; a leading
copy of our own request (local echo on 2-wire RS-485) is skipped; bytes that cannot
start a frame are dropped; a well-formed frame that does not answer the request (another
address, a late reply) is logged and skipped. After a timeout or a bad frame the line
must stay quiet for the late-reply guard before the next request, so a late reply is
never taken as the next answer.

Every transaction ends by its deadline whatever the line does: the deadline is checked
after every read, not only when a read comes back empty, so a line that never stops
sending (random bytes, a stream of 0x02, a second master) ends the transaction with
`LineNoisy` instead of holding the bus, and the drain after a failure is bounded too.
"""

from __future__ import annotations

import logging
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import serial

from locker_driver.codec import ReplyKind
from locker_driver.config import Timeouts
from locker_driver.errors import (
    BoardNotAnswering,
    BoardTimeout,
    DriverError,
    FrameError,
    LineNoisy,
    PortError,
    WrongAddressReply,
    WrongReply,
)
from locker_driver.port import PortHolder, classify
from locker_driver.records import FrameDirection, FrameLog, StatsBook

log = logging.getLogger(__name__)

T = TypeVar("T")
_IO_ERRORS = (serial.SerialException, OSError, termios.error)
_MAX_BUFFER = 4096
# Bytes that answered nothing, still arriving at the deadline, above this count make a
# noisy line rather than a late or slow reply (the longest reply frame is 12 bytes).
_NOISE_BYTES = 32


class _Discards:
    """Bytes dropped while looking for a frame, logged as one record per run: a noisy
    line would otherwise push every real frame out of the technician's frame log."""

    SHOWN = 64

    def __init__(self, frames: FrameLog, board: int | None) -> None:
        self.frames = frames
        self.board = board
        self.data = bytearray()
        self.count = 0
        self.note = ""

    def add(self, data: bytes, note: str) -> None:
        if len(self.data) < self.SHOWN:
            self.data += data[: self.SHOWN - len(self.data)]
        self.count += len(data)
        if note != "noise" or not self.note:
            self.note = note

    def flush(self) -> None:
        if self.count:
            note = self.note
            if self.count > len(self.data):
                note += f" ({self.count} bytes, first {len(self.data)} shown)"
            self.frames.add(FrameDirection.RX, bytes(self.data), self.board, note)
        self.data.clear()
        self.count = 0
        self.note = ""


@dataclass(frozen=True)
class Expect(Generic[T]):
    """What reply a request wants: whether one comes, its length, how to parse it."""

    kind: ReplyKind
    parse: Callable[[bytes], T]
    is_start: Callable[[int], bool]
    length: int | None = None  # None: a quiet gap ends the frame
    min_length: int = 1


class Link:
    """Runs transactions on the port held by `holder`. Used by one thread only."""

    def __init__(
        self,
        holder: PortHolder,
        timeouts: Timeouts,
        frames: FrameLog,
        stats: StatsBook,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.holder = holder
        self.timeouts = timeouts
        self.frames = frames
        self.stats = stats
        self._clock = clock
        self._sleep = sleep
        self.write_started = False
        self.echo_seen = False  # learned: this adapter reads back what it sends
        # Set by exchange_many when the line was still noisy at its deadline.
        self.noise: LineNoisy | None = None

    def exchange(
        self, request: bytes, board: int, expect: Expect[T], timeout_s: float | None = None
    ) -> T | None:
        """Send `request` and return the parsed reply (None when none is due).

        Raises PortError (write_started tells whether bytes may have left),
        BoardNotAnswering / BoardTimeout, or FrameError. Never re-sends.
        """
        self.write_started = False
        timeout = timeout_s if timeout_s is not None else self.timeouts.reply_s
        try:
            port = self.holder.get()
            self._flush_stale(port, board)
            self.write_started = True
            port.write(request)
            port.flush()
            sent_at = self._clock()
            self.frames.add(FrameDirection.TX, request, board)
            if expect.kind is ReplyKind.NONE:
                self.stats.reply(board, None)
                return None
            try:
                [(value, arrived)] = self._collect(port, request, board, expect, sent_at + timeout)
            except LineNoisy as exc:
                # Draining a line that never goes quiet would only hold the bus longer;
                # the next request flushes whatever is buffered. Even a board that may
                # not acknowledge gets no benefit of the doubt here: the unlock frame
                # may have collided with the noise.
                self._record_failure(board, exc)
                raise
            except (BoardNotAnswering, FrameError) as exc:
                self._drain(port, board, timeout)
                if expect.kind is ReplyKind.OPTIONAL:
                    # Firmware that does not acknowledge is not a fault.
                    self.stats.reply(board, None)
                    return None
                self._record_failure(board, exc)
                raise
            self.stats.reply(board, arrived - sent_at)
            return value
        except _IO_ERRORS as exc:
            error = classify(self.holder.settings.url, exc)
            if self.write_started:
                self.frames.add(FrameDirection.TX, request, board, f"port failed: {exc}")
            self.stats.failure(board, "port_errors", str(error))
            self.holder.lost(exc)
            raise error from exc
        except PortError as exc:
            self.stats.failure(board, "port_errors", str(exc))
            raise
        finally:
            self._pause()

    def exchange_many(
        self, request: bytes, expect: Expect[T], want: int, timeout_s: float | None = None
    ) -> list[tuple[T, float]]:
        """Send a bus-wide request that every board answers in turn; collect up to `want`
        replies, each with its latency. Boards that stay silent are simply missing from
        the result (the caller decides what that means). Raises PortError only."""
        self.write_started = False
        self.noise = None
        timeout = timeout_s if timeout_s is not None else self.timeouts.reply_s
        try:
            port = self.holder.get()
            self._flush_stale(port, None)
            self.write_started = True
            port.write(request)
            port.flush()
            sent_at = self._clock()
            self.frames.add(FrameDirection.TX, request, None, "to every board")
            try:
                found = self._collect(port, request, None, expect, sent_at + timeout, want)
            except LineNoisy as exc:
                self.noise, found = exc, []
            except (BoardNotAnswering, FrameError):
                found = []
            if len(found) < want and self.noise is None:
                self._drain(port, None, timeout)
            return [(value, at - sent_at) for value, at in found]
        except _IO_ERRORS as exc:
            error = classify(self.holder.settings.url, exc)
            self.holder.lost(exc)
            raise error from exc
        finally:
            self._pause()

    def _pause(self) -> None:
        """The gap between transactions, so boards turn the line around."""
        if self.timeouts.inter_transaction_s:
            self._sleep(self.timeouts.inter_transaction_s)

    def _record_failure(self, board: int, exc: DriverError) -> None:
        if isinstance(exc, WrongAddressReply):
            counter = "wrong_address"
        elif isinstance(exc, BoardTimeout):
            counter = "timeouts"
        else:
            counter = "frame_errors"
        self.stats.failure(board, counter, str(exc))

    def _read_chunk(self, port: serial.SerialBase) -> bytes:
        waiting = port.in_waiting
        return bytes(port.read(waiting if waiting else 1))

    def _flush_stale(self, port: serial.SerialBase, board: int | None) -> None:
        waiting = port.in_waiting
        stale = bytes(port.read(waiting)) if waiting else b""
        port.reset_input_buffer()
        if stale:
            self.frames.add(FrameDirection.RX, stale, None, "stale, discarded")

    def _collect(
        self,
        port: serial.SerialBase,
        request: bytes,
        board: int | None,
        expect: Expect[T],
        deadline: float,
        want: int = 1,
    ) -> list[tuple[T, float]]:
        """Read until `want` frames answer the request, each with its arrival time.

        With want > 1 (a bus-wide request, board None) the wait also ends once the line
        has been quiet for the late-reply guard after the last answer: boards answer in
        turn, so the silent ones are not coming. With want == 1 failures raise.
        """
        discards = _Discards(self.frames, board)
        try:
            return self._collect_frames(port, request, board, expect, deadline, want, discards)
        finally:
            discards.flush()

    def _collect_frames(
        self,
        port: serial.SerialBase,
        request: bytes,
        board: int | None,
        expect: Expect[T],
        deadline: float,
        want: int,
        discards: _Discards,
    ) -> list[tuple[T, float]]:
        single = want == 1
        found: list[tuple[T, float]] = []
        guard = max(self.timeouts.late_reply_guard_s, self.timeouts.quiet_gap_s)
        buf = bytearray()
        echo_checked = False
        started = last_rx = self._clock()
        received = answered = 0
        problem: FrameError | None = None
        wrong: WrongReply | None = None
        while True:
            chunk = self._read_chunk(port)
            now = self._clock()
            if chunk:
                buf += chunk
                last_rx = now
                received += len(chunk)
                if len(buf) > _MAX_BUFFER:
                    discards.add(bytes(buf), "flood of bytes that form no frame")
                    raise self._noisy(board, received - answered, now - started, wrong)
            elif not single and found and not buf and now - last_rx >= guard:
                return found
            if not echo_checked:
                echo_checked = self._skip_echo(buf, request, board, expect)
            while echo_checked and buf:
                skip = 0
                while skip < len(buf) and not expect.is_start(buf[skip]):
                    skip += 1
                if skip:
                    discards.add(bytes(buf[:skip]), "noise")
                    del buf[:skip]
                    continue
                if expect.length is not None:
                    if len(buf) < expect.length:
                        break
                    frame = bytes(buf[: expect.length])
                    consumed = expect.length
                elif len(buf) >= expect.min_length and not chunk and (
                    now - last_rx >= self.timeouts.quiet_gap_s
                ):
                    frame = bytes(buf)
                    consumed = len(buf)
                else:
                    break
                try:
                    value = expect.parse(frame)
                except WrongReply as exc:
                    discards.flush()
                    self.frames.add(FrameDirection.RX, frame, board, f"not for this request: {exc}")
                    wrong = exc
                    del buf[:consumed]
                    continue
                except FrameError as exc:
                    problem = exc
                    # Maybe the start byte was noise: resynchronise one byte further.
                    discards.add(frame[:1], f"bad frame: {exc.detail}")
                    del buf[:1]
                    continue
                discards.flush()
                self.frames.add(FrameDirection.RX, frame, board if single else _board_of(value))
                del buf[:consumed]
                answered += consumed
                found.append((value, now))
                if len(found) == want:
                    if buf:
                        self.frames.add(FrameDirection.RX, bytes(buf), board, "trailing, discarded")
                    return found
            # Checked after every read, busy line or not: noise must not hold the bus.
            if now >= deadline:
                junk = received - answered
                if junk > _NOISE_BYTES and now - last_rx < guard:
                    if buf:
                        discards.add(bytes(buf), "noise")
                    noisy = self._noisy(board, junk, now - started, wrong)
                    if not single and found:
                        self.noise = noisy
                        return found
                    raise noisy
                if not single:
                    return found
                raise self._failure(board, bytes(buf), problem, wrong)
            # A board that already answered (badly, or from the wrong address) and then
            # went quiet will not send another frame: fail now, not at the deadline.
            if (problem or wrong) and not buf and not chunk and now - last_rx >= guard:
                if not single:
                    return found
                raise self._failure(board, b"", problem, wrong)

    def _skip_echo(
        self, buf: bytearray, request: bytes, board: int | None, expect: Expect[T]
    ) -> bool:
        """Drop a leading copy of the request; False while the buffer is still a prefix."""
        if len(buf) < len(request):
            return not request.startswith(bytes(buf))
        if buf.startswith(request):
            try:
                expect.parse(request)
                could_be_reply = expect.length in (None, len(request))
            except (FrameError, WrongReply):
                could_be_reply = False
            # An 8A unlock is answered with the very same 5 bytes: only an adapter that
            # is known to echo makes the first copy an echo.
            if not could_be_reply or self.echo_seen:
                self.echo_seen = True
                self.frames.add(FrameDirection.RX, request, board, "echo")
                del buf[: len(request)]
        return True

    def _noisy(
        self, board: int | None, junk: int, elapsed_s: float, wrong: WrongReply | None
    ) -> LineNoisy:
        heard = f"; frames for other requests too ({wrong})" if wrong is not None else ""
        return LineNoisy(
            board,
            f"no reply: the line never went quiet ({junk} bytes that answer nothing in "
            f"{elapsed_s:.2f} s{heard}); {LineNoisy.ADVICE}",
        )

    def _failure(
        self,
        board: int | None,
        leftover: bytes,
        problem: FrameError | None,
        wrong: WrongReply | None,
    ) -> DriverError:
        if leftover:
            self.frames.add(FrameDirection.RX, leftover, board, "incomplete, discarded")
        if problem is not None:
            return FrameError(
                board,
                f"bad reply ({problem.detail}); check the baud rate, the A/B wiring and the "
                "bus termination",
            )
        if wrong is not None:
            return WrongAddressReply(
                board,
                f"no reply from this address, but {wrong}; check that no two boards share a "
                "DIP-switch address",
            )
        if leftover:
            return FrameError(
                board,
                f"incomplete reply {leftover.hex(' ')}; check the cable and the baud rate",
            )
        return BoardTimeout(
            board,
            f"no reply within {self.timeouts.reply_s:g} s; check the board's power, its "
            "DIP-switch address, the A/B wiring and the baud rate",
        )

    def _drain(self, port: serial.SerialBase, board: int | None, timeout_s: float) -> None:
        # A short probe (scan) expects fast boards: its guard need not exceed its timeout.
        guard = max(min(self.timeouts.late_reply_guard_s, timeout_s), self.timeouts.quiet_gap_s)
        start = quiet_since = self._clock()
        # A late reply is a few bytes: a line still busy after twice the guard is noise,
        # and waiting longer would only hold the bus.
        limit = start + 2 * guard
        drained = bytearray()
        while True:
            chunk = self._read_chunk(port)
            now = self._clock()
            if chunk:
                if len(drained) < _MAX_BUFFER:
                    drained += chunk
                quiet_since = now
            if now - quiet_since >= guard or now >= limit:
                break
        if drained:
            self.frames.add(FrameDirection.RX, bytes(drained), board, "drained after failure")


def _board_of(value: object) -> int | None:
    board = getattr(value, "board", None)
    return board if isinstance(board, int) else None
