"""The lock bank the kiosk uses: compartments by id, unlock and read door states.

One bank is one serial port with its bus worker. Door states come only from what a
board answered: a board that does not answer gives UNKNOWN for its compartments, never
CLOSED. An unlock is never re-sent by the driver.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial

from locker_driver.bus import Bus, Priority
from locker_driver.codec import BoardCodec, BoardStatus, ReplyKind
from locker_driver.config import BankConfig
from locker_driver.errors import (
    BoardNotAnswering,
    DriverError,
    FrameError,
    LineNoisy,
    PortError,
    UnknownCompartment,
    WrongReply,
)
from locker_driver.link import Expect, Link
from locker_driver.port import PortSettings, PortStatus
from locker_driver.protocols import codec_for
from locker_driver.records import BoardStats, FrameRecord
from locker_driver.states import CompartmentReading, DoorState, LockAddress, UnlockResult

log = logging.getLogger(__name__)

DEFAULT_SCAN_TIMEOUT_S = 0.3


@dataclass(frozen=True)
class UnlockReport:
    """The unlock result with its reason: `error` is set for NOT_SENT/OUTCOME_UNKNOWN;
    `door` is the door state in the board's acknowledgement, if it sent one (it is read
    right after the pulse, so OPEN is rare; confirm by polling)."""

    compartment_id: str
    address: LockAddress
    result: UnlockResult
    error: DriverError | None = None
    door: DoorState | None = None


@dataclass
class _PollNoise:
    """Shared by the jobs of one poll or scan: once the line proved noisy, the boards
    still queued are not asked (the bus is one line: they would hear the same noise),
    so the call ends after one transaction's deadline, not one per board."""

    error: LineNoisy | None = None


@dataclass(frozen=True)
class BoardInfo:
    """A board address probed by `scan()`."""

    board: int
    answered: bool
    latency_s: float | None
    locks: int | None  # lock bits in its status reply
    error: str | None = None


class LockerBank:
    """Thread-safe handle on one bank of lock boards.

    `LockerBank.open(config)` starts it; use it as a context manager or call close().
    """

    def __init__(self, config: BankConfig, *, clock: Callable[[], float] = time.monotonic):
        self.config = config
        self.codec: BoardCodec = codec_for(config.protocol)
        t = config.effective_timeouts
        settings = PortSettings(
            url=config.port_url,
            baudrate=config.effective_baudrate,
            read_poll_s=min(t.quiet_gap_s / 2, 0.01),
            exclusive=config.exclusive,
            rts=config.rts,
            dtr=config.dtr,
            rs485=config.rs485,
        )
        self._bus = Bus(
            settings, t, config.reconnect, frame_log_size=config.frame_log_size, clock=clock
        )
        # Learned lengths of status replies that have no length field (8A), per board.
        # Only the bus worker thread touches this.
        self._reply_lengths: dict[int, int] = {}
        # The last status each board gave when asked by its own request or confirmed;
        # a bus-wide answer that differs is asked again (see _broadcast_job). Bus
        # worker thread only.
        self._confirmed: dict[int, BoardStatus] = {}
        # Boards whose last status read failed: a failure is logged once per streak,
        # not at every poll (the kiosk polls each board several times a second).
        self._failing: set[int] = set()
        self._failing_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        config: BankConfig,
        *,
        require_port: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> LockerBank:
        """Open the port and start the bus worker.

        With require_port (default) a port that cannot be opened raises PortBusy or
        PortUnavailable now; without it the bank starts anyway, reports UNKNOWN and
        NOT_SENT, and keeps trying to reopen the port.
        """
        bank = cls(config, clock=clock)
        bank.start(require_port=require_port)
        return bank

    def start(self, *, require_port: bool = True) -> None:
        self._bus.start(require_port=require_port)

    def close(self) -> None:
        self._bus.close()

    def __enter__(self) -> LockerBank:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- compartments ---------------------------------------------------------------

    @property
    def compartments(self) -> dict[str, LockAddress]:
        return dict(self.config.compartments)

    def address_of(self, compartment_id: str) -> LockAddress:
        try:
            return self.config.compartments[compartment_id]
        except KeyError:
            raise UnknownCompartment(compartment_id) from None

    # --- unlock ---------------------------------------------------------------------

    def unlock(self, compartment_id: str) -> UnlockResult:
        """Fire the lock once. Never re-sent: on OUTCOME_UNKNOWN confirm by reading."""
        return self.unlock_report(compartment_id).result

    def unlock_report(self, compartment_id: str) -> UnlockReport:
        address = self.address_of(compartment_id)
        job = partial(self._unlock_job, compartment_id, address)
        return self._bus.submit(Priority.UNLOCK, job).result()

    def unlock_lock(self, address: LockAddress) -> UnlockReport:
        """Fire a lock by address, configured or not (bench and technician work)."""
        if address.board not in self.codec.boards or not 1 <= address.lock <= self.codec.max_locks:
            raise ValueError(f"{address} is not addressable on {self.codec.protocol} boards")
        label = self._label(address)
        return self._bus.submit(Priority.UNLOCK, partial(self._unlock_job, label, address)).result()

    def _label(self, address: LockAddress) -> str:
        for cid, addr in self.config.compartments.items():
            if addr == address:
                return cid
        return f"{address.board}:{address.lock}"

    def _unlock_job(self, compartment_id: str, address: LockAddress, link: Link) -> UnlockReport:
        request = self.codec.unlock_request(address.board, address.lock)
        expect = Expect(
            kind=self.codec.unlock_reply,
            parse=partial(self.codec.parse_unlock_reply, request),
            is_start=self.codec.is_reply_start,
            length=self.codec.reply_length(request),
            min_length=self.codec.min_reply_length(request),
        )
        try:
            hook = link.exchange(request, address.board, expect)
        except DriverError as exc:
            result = UnlockResult.OUTCOME_UNKNOWN if link.write_started else UnlockResult.NOT_SENT
            log.warning("unlock %s (%s): %s: %s", compartment_id, address, result, exc)
            return UnlockReport(compartment_id, address, result, error=exc)
        door = None if hook is None else self.config.polarity.door(hook)
        log.info("unlock %s (%s) sent", compartment_id, address)
        return UnlockReport(compartment_id, address, UnlockResult.SENT, door=door)

    # --- status ---------------------------------------------------------------------

    def read_states(
        self, compartments: Iterable[str] | None = None
    ) -> dict[str, CompartmentReading]:
        """Poll the boards of the given compartments (default: all configured) and return
        one reading per compartment. A board that fails gives UNKNOWN for all of its
        compartments; occupied is None without IR sensors or after a failed read."""
        wanted = (
            dict(self.config.compartments)
            if compartments is None
            else {cid: self.address_of(cid) for cid in compartments}
        )
        boards = sorted({a.board for a in wanted.values()})
        statuses: dict[int, BoardStatus | None] = {}
        if self.config.effective_poll_mode == "broadcast" and len(boards) > 1:
            job = partial(self._broadcast_job, boards)
            try:
                answered = self._bus.submit(Priority.STATUS, job).result()
            except (PortError, LineNoisy) as exc:
                log.warning("status of every board unknown: %s", exc)
                answered = {}
            statuses = {b: answered.get(b) for b in boards}
            stats = self._bus.stats()
            for board, status in statuses.items():
                missing = stats[board].last_error if board in stats else None
                self._track(board, None if status else (missing or "no answer"))
        else:
            noise = _PollNoise()
            futures = {
                b: self._bus.submit(Priority.STATUS, partial(self._status_job, b, noise=noise))
                for b in boards
            }
            for board, future in futures.items():
                statuses[board] = self._status_result(board, future)
        out: dict[str, CompartmentReading] = {}
        for cid, addr in wanted.items():
            out[cid] = self._reading(statuses[addr.board], addr)
        return out

    def read_board(self, board: int) -> BoardStatus:
        """The raw status bits of one board (raises the board's error)."""
        return self._bus.submit(Priority.STATUS, partial(self._status_job, board)).result()

    def _status_result(self, board: int, future: Future[BoardStatus]) -> BoardStatus | None:
        try:
            status = future.result()
        except (BoardNotAnswering, FrameError, PortError) as exc:
            self._track(board, str(exc))
            return None
        self._track(board, None)
        return status

    def _track(self, board: int, error: str | None) -> None:
        """Log a board's failure once per streak, and when it answers again."""
        with self._failing_lock:
            was_failing = board in self._failing
            (self._failing.add if error else self._failing.discard)(board)
        if error and not was_failing:
            log.warning("status of board %d unknown: %s", board, error)
        elif error:
            log.debug("status of board %d still unknown: %s", board, error)
        elif was_failing:
            log.warning("board %d answers again", board)

    def _reading(self, status: BoardStatus | None, addr: LockAddress) -> CompartmentReading:
        if status is None:
            return CompartmentReading(DoorState.UNKNOWN, None)
        hook = status.hook(addr.lock)
        if hook is None:
            return CompartmentReading(DoorState.UNKNOWN, None)
        return CompartmentReading(self.config.polarity.door(hook), status.occupied(addr.lock))

    def _status_expect(self, request: bytes, board: int) -> Expect[BoardStatus]:
        length = self.codec.reply_length(request)
        learn = length is None and self.config.learn_reply_length

        def parse(frame: bytes) -> BoardStatus:
            status = self.codec.parse_status_reply(request, frame)
            if learn:
                self._reply_lengths[board] = len(frame)
            return status

        if learn:
            length = self._reply_lengths.get(board)
        return Expect(
            kind=ReplyKind.REQUIRED,
            parse=parse,
            is_start=self.codec.is_reply_start,
            length=length,
            min_length=self.codec.min_reply_length(request),
        )

    def _broadcast_job(self, boards: list[int], link: Link) -> dict[int, BoardStatus]:
        request = self.codec.broadcast_status_request()
        assert request is not None  # checked by BankConfig
        configured = set(self.config.boards)

        def parse(frame: bytes) -> BoardStatus:
            status = self.codec.parse_broadcast_reply(frame)
            if status.board not in configured:
                raise WrongReply(f"board {status.board} is not in the configuration")
            return status

        expect = Expect(
            kind=ReplyKind.REQUIRED,
            parse=parse,
            is_start=self.codec.is_reply_start,
            length=self.codec.reply_length(request),
            min_length=self.codec.min_reply_length(request),
        )
        # Boards answer in turn, lowest address first, once each. A frame that claims
        # an address already heard, or a lower one than the last, is two boards on one
        # DIP address or a corrupted address byte: either frame may be the truth, so
        # that board reads UNKNOWN rather than another board's doors.
        found: dict[int, BoardStatus] = {}
        latencies: dict[int, float] = {}
        suspect: set[int] = set()
        last = -1
        for status, latency in link.exchange_many(request, expect, len(configured)):
            board = status.board
            if board in found or board in suspect or board <= last:
                suspect.add(board)
                found.pop(board, None)
                continue
            found[board], latencies[board], last = status, latency, board
        for board, latency in latencies.items():
            if board in found:
                link.stats.reply(board, latency)
        # A frame's address is all that says whose doors it carries: a board at the
        # wrong address whose rightful owner is silent cannot be told apart. So a
        # change is believed only once the board confirms it to its own request, which
        # costs one transaction per change; a bus whose doors stay put is one request.
        for board, status in list(found.items()):
            if self._confirmed.get(board) == status:
                continue
            try:
                found[board] = self._status_job(board, link)
            except (BoardNotAnswering, FrameError) as exc:
                del found[board]
                log.debug("board %d did not confirm its bus-wide answer: %s", board, exc)
        for board in sorted(suspect):
            link.stats.failure(
                board, "wrong_address",
                f"board {board}: an answer to the bus-wide status request claims this address "
                "twice or out of turn; check that no two boards share a DIP-switch address",
            )
        for board in boards:
            if board in found or board in suspect:
                continue
            if link.noise is not None:
                link.stats.failure(board, "frame_errors", f"board {board}: {link.noise.detail}")
            else:
                link.stats.failure(
                    board, "timeouts",
                    f"board {board}: no answer to the bus-wide status request; check the "
                    "board's power, its DIP-switch address and the A/B wiring",
                )
        if not found and link.noise is not None:
            raise link.noise
        return {b: s for b, s in found.items() if b in boards}

    def _status_job(
        self,
        board: int,
        link: Link,
        timeout_s: float | None = None,
        *,
        noise: _PollNoise | None = None,
    ) -> BoardStatus:
        request = self.codec.status_request(board)
        if noise is not None and noise.error is not None:
            skipped = LineNoisy(board, f"not asked: {noise.error}")
            link.stats.failure(board, "frame_errors", str(skipped))
            raise skipped
        # A garbled reply is worth asking again; a silent board is not asked again
        # until the next poll, so one dead board does not stall the others. A noisy
        # line is not asked again either: it would only double the time to UNKNOWN.
        for attempt in range(self.config.status_retries + 1):
            try:
                status = link.exchange(request, board, self._status_expect(request, board),
                                       timeout_s)
            except LineNoisy as exc:
                if noise is not None:
                    noise.error = exc
                raise
            except FrameError:
                self._reply_lengths.pop(board, None)  # frame it by quiet gap again
                if attempt == self.config.status_retries:
                    raise
                continue
            assert status is not None  # REQUIRED replies are never None
            self._confirmed[board] = status
            return status
        raise AssertionError("unreachable")

    # --- diagnostics ----------------------------------------------------------------

    def scan(
        self, boards: Iterable[int] | None = None, *, timeout_s: float = DEFAULT_SCAN_TIMEOUT_S
    ) -> list[BoardInfo]:
        """Probe board addresses (default: every address of the protocol) with a status
        request. Returns the boards that answered, plus configured boards that did not.

        Raises LineNoisy when the line never went quiet during a probe: what answers
        cannot be told on such a line, so the scan stops there and says why."""
        addresses = list(self.codec.boards if boards is None else boards)
        configured = set(self.config.boards)
        out: list[BoardInfo] = []
        for board in addresses:
            future = self._bus.submit(Priority.SCAN, partial(self._probe_job, board, timeout_s))
            info = future.result()
            if info.answered or board in configured:
                out.append(info)
        return out

    def _probe_job(self, board: int, timeout_s: float, link: Link) -> BoardInfo:
        request = self.codec.status_request(board)
        try:
            expect = self._status_expect(request, board)
            status = link.exchange(request, board, expect, timeout_s)
        except LineNoisy as exc:
            raise LineNoisy(None, f"scan stopped at board {board}: {exc.detail}") from exc
        except (BoardNotAnswering, FrameError) as exc:
            return BoardInfo(board, False, None, None, str(exc))
        assert status is not None
        latency = link.stats.snapshot()[board].last_latency_s
        return BoardInfo(board, True, latency, len(status.hooks))

    def stats(self) -> dict[int, BoardStats]:
        """Per-board reply latency and error counters since the bank opened."""
        return self._bus.stats()

    def frame_log(self) -> list[FrameRecord]:
        """The last frames on the line (config.frame_log_size), oldest first."""
        return self._bus.frame_log()

    def port_status(self) -> PortStatus:
        return self._bus.port_status()
