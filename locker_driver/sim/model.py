"""A stateful bank of simulated lock boards that answers real request frames.

It speaks the same bytes as the hardware (through the same codecs): locks fire, doors
swing open when their lock fires and stay open until closed by hand, occupancy sensors,
jammed locks, stuck sensors, boards that lose power, and the reply faults of
`FaultPlan`. Transports (the in-process `locksim://` URL, a pty, a TCP port) turn the
returned `Emission`s into bytes on a line.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from locker_driver.codec import BoardCodec, ParsedRequest, RequestKind
from locker_driver.errors import FrameError
from locker_driver.protocols import codec_for
from locker_driver.sim.faults import FaultKind, FaultPlan
from locker_driver.states import DoorState, Polarity

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class Emission:
    """Bytes a board puts on the line, `delay_s` after the request was received."""

    data: bytes
    delay_s: float
    note: str = ""


@dataclass
class SimBoard:
    address: int
    locks: int
    doors_open: list[bool] = field(default_factory=list)
    occupied: list[bool] = field(default_factory=list)
    jammed: set[int] = field(default_factory=set)
    stuck: dict[int, DoorState] = field(default_factory=dict)
    powered: bool = True
    fired: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.doors_open = [False] * self.locks
        self.occupied = [False] * self.locks


class SimulatedBank:
    """Boards on one simulated bus. Every public method is thread-safe.

    `boards` is a count (addresses from the protocol's first address up) or an explicit
    list of addresses. Lock numbers are 1-based, as printed on the board.
    """

    def __init__(
        self,
        protocol: str = "cu16",
        boards: int | Iterable[int] = 1,
        *,
        locks_per_board: int | None = None,
        polarity: Polarity | str = Polarity.CLOSED_WHEN_SET,
        reply_latency_s: float = 0.0,
        late_reply_s: float = 0.05,
        split_gap_s: float = 0.002,
        seed: int | None = None,
    ) -> None:
        self.codec: BoardCodec = codec_for(protocol)
        self.protocol = protocol
        self.polarity = Polarity(polarity)
        addresses = (
            list(self.codec.boards[:boards]) if isinstance(boards, int) else list(boards)
        )
        for addr in addresses:
            if addr not in self.codec.boards:
                raise ValueError(f"board address {addr} is not valid for {protocol}")
        locks = locks_per_board or self.codec.default_locks
        if not 1 <= locks <= self.codec.max_locks:
            raise ValueError(f"{protocol} boards have 1-{self.codec.max_locks} locks")
        self.boards: dict[int, SimBoard] = {a: SimBoard(a, locks) for a in addresses}
        self.reply_latency_s = reply_latency_s
        self.late_reply_s = late_reply_s
        self.split_gap_s = split_gap_s
        self.faults = FaultPlan(seed)
        self.baudrate = self.codec.default_baudrate
        self.unplugged = False
        self.unplug_on_next_write = False
        self._lock = threading.RLock()
        self._rx = bytearray()
        # Valid request frames the bus carried, and (board, lock) of every unlock a
        # powered board acted on, in order: what tests count to prove "never twice".
        self.requests_seen = 0
        self.unlock_frames: list[tuple[int, int]] = []
        self._url_name: str | None = None

    # --- physical world ---------------------------------------------------------------

    def _board(self, board: int, lock: int | None = None) -> SimBoard:
        try:
            b = self.boards[board]
        except KeyError:
            raise ValueError(f"no simulated board at address {board}") from None
        if lock is not None and not 1 <= lock <= b.locks:
            raise ValueError(f"board {board} has locks 1-{b.locks}, not {lock}")
        return b

    def close_door(self, board: int, lock: int) -> None:
        with self._lock:
            self._board(board, lock).doors_open[lock - 1] = False

    def force_open(self, board: int, lock: int) -> None:
        """Open a door without any command (the board's button, or a crowbar)."""
        with self._lock:
            self._board(board, lock).doors_open[lock - 1] = True

    open_door = force_open

    def set_occupied(self, board: int, lock: int, occupied: bool = True) -> None:
        with self._lock:
            self._board(board, lock).occupied[lock - 1] = occupied

    def jam(self, board: int, lock: int, jammed: bool = True) -> None:
        """A jammed lock fires but its door stays shut."""
        with self._lock:
            b = self._board(board, lock)
            (b.jammed.add if jammed else b.jammed.discard)(lock)

    def stick_sensor(self, board: int, lock: int, reads: DoorState | str | None) -> None:
        """Make the hook switch read OPEN or CLOSED whatever the door does (None: heal)."""
        with self._lock:
            b = self._board(board, lock)
            if reads is None:
                b.stuck.pop(lock, None)
            else:
                state = DoorState(reads)
                if state is DoorState.UNKNOWN:
                    raise ValueError("a stuck sensor reads open or closed")
                b.stuck[lock] = state

    def power(self, board: int, on: bool) -> None:
        """A board without power neither answers nor fires; doors stay as they are."""
        with self._lock:
            self._board(board).powered = on

    def unplug(self) -> None:
        """The USB adapter disappears (in-process `locksim://` transport only)."""
        with self._lock:
            self.unplugged = True

    def unplug_during_next_write(self) -> None:
        """The adapter disappears while the host is writing its next frame (in-process
        transport only): the write fails and the frame never reaches a board."""
        with self._lock:
            self.unplug_on_next_write = True

    def replug(self) -> None:
        with self._lock:
            self.unplugged = False

    def door_open(self, board: int, lock: int) -> bool:
        with self._lock:
            return self._board(board, lock).doors_open[lock - 1]

    def fired_count(self, board: int, lock: int) -> int:
        """How many times the lock actually fired (unlock frames acted on)."""
        with self._lock:
            return self._board(board, lock).fired.get(lock, 0)

    def door_truth(self, board: int, lock: int) -> DoorState:
        """What an honest driver must report (stuck sensors included)."""
        with self._lock:
            b = self._board(board, lock)
            if lock in b.stuck:
                return b.stuck[lock]
            return DoorState.OPEN if b.doors_open[lock - 1] else DoorState.CLOSED

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {
                "protocol": self.protocol,
                "boards": {
                    str(a): {
                        "powered": b.powered,
                        "open": [i + 1 for i, o in enumerate(b.doors_open) if o],
                        "occupied": [i + 1 for i, o in enumerate(b.occupied) if o],
                        "jammed": sorted(b.jammed),
                        "stuck": {str(k): v.value for k, v in b.stuck.items()},
                        "fired": {str(k): v for k, v in sorted(b.fired.items())},
                    }
                    for a, b in self.boards.items()
                },
            }

    # --- the wire -----------------------------------------------------------------------

    def feed(self, data: bytes) -> list[Emission]:
        """Bytes from the host; returns what the boards put on the line in answer."""
        out: list[Emission] = []
        with self._lock:
            self._rx += data
            while self._rx:
                try:
                    length = self.codec.request_length(bytes(self._rx))
                except FrameError:
                    del self._rx[0]  # noise on the line: boards resynchronise on a start byte
                    continue
                if length is None or len(self._rx) < length:
                    break
                raw = bytes(self._rx[:length])
                del self._rx[:length]
                out.extend(self.handle(raw))
        return out

    def handle(self, raw: bytes) -> list[Emission]:
        """One complete request frame."""
        with self._lock:
            try:
                request = self.codec.parse_request(raw)
            except FrameError as exc:
                log.debug("simulated board ignores a bad frame: %s", exc)
                return []
            self.requests_seen += 1
            if request.kind is RequestKind.STATUS_ALL_BOARDS:
                out: list[Emission] = []
                for n, addr in enumerate(sorted(self.boards)):
                    for e in self._answer(request, addr):
                        out.append(Emission(e.data, e.delay_s + n * 0.001, e.note))
                return out
            if request.board is None or request.board not in self.boards:
                return []
            return self._answer(request, request.board)

    def _answer(self, request: ParsedRequest, addr: int) -> list[Emission]:
        board = self.boards[addr]
        if not board.powered:
            return []
        if request.kind is RequestKind.UNLOCK and request.lock is not None:
            if not 1 <= request.lock <= board.locks:
                return []
            self._fire(board, request.lock)
            reply = self.codec.unlock_reply_frame(request, addr, *self._bits(board))
        elif request.kind is RequestKind.UNLOCK_ALL:
            for lock in range(1, board.locks + 1):
                self._fire(board, lock)
            reply = self.codec.unlock_reply_frame(request, addr, *self._bits(board))
        elif request.kind in (RequestKind.STATUS, RequestKind.STATUS_ALL_BOARDS):
            if request.lock is not None and request.lock > board.locks:
                return []
            reply = self.codec.status_reply(request, addr, *self._bits(board))
        else:
            return []
        return self._with_faults(request, addr, reply)

    def _fire(self, board: SimBoard, lock: int) -> None:
        board.fired[lock] = board.fired.get(lock, 0) + 1
        self.unlock_frames.append((board.address, lock))
        if lock not in board.jammed:
            board.doors_open[lock - 1] = True

    def _bits(self, board: SimBoard) -> tuple[list[bool], list[bool]]:
        hooks = []
        for lock in range(1, board.locks + 1):
            stuck = board.stuck.get(lock)
            closed = (stuck is DoorState.CLOSED) if stuck else not board.doors_open[lock - 1]
            hooks.append(self.polarity.hook_bit(closed))
        return hooks, list(board.occupied)

    def _with_faults(
        self, request: ParsedRequest, addr: int, reply: bytes | None
    ) -> list[Emission]:
        faults = self.faults.draw(addr)
        out: list[Emission] = []
        if FaultKind.ECHO in faults:
            out.append(Emission(request.raw, 0.0, "echo"))
        if reply is None or FaultKind.NO_REPLY in faults:
            return out
        delay = self.reply_latency_s
        if FaultKind.WRONG_ADDRESS in faults:
            reply = self._readdress(request, addr, reply)
        if FaultKind.CORRUPT_CHECKSUM in faults:
            reply = reply[:-1] + bytes([reply[-1] ^ 0x5A])
        if FaultKind.LATE_REPLY in faults:
            delay += self.late_reply_s
        if FaultKind.GARBAGE in faults:
            noise = bytes(self.faults.rng.randrange(256) for _ in range(3))
            out.append(Emission(noise, delay, "garbage"))
        if FaultKind.TRUNCATED_REPLY in faults and len(reply) > 1:
            reply = reply[: self.faults.rng.randrange(1, len(reply))]
        if FaultKind.SPLIT_REPLY in faults and len(reply) > 1:
            cut = self.faults.rng.randrange(1, len(reply))
            out.append(Emission(reply[:cut], delay, "split 1/2"))
            out.append(Emission(reply[cut:], delay + self.split_gap_s, "split 2/2"))
        else:
            out.append(Emission(reply, delay))
        return out

    def _readdress(self, request: ParsedRequest, addr: int, reply: bytes) -> bytes:
        other = next(a for a in self.codec.boards if a != addr)
        hooks, occ = self._bits(self.boards[addr])
        if request.kind is RequestKind.UNLOCK:
            fake = self.codec.unlock_reply_frame(request, other, hooks, occ)
        else:
            fake = self.codec.status_reply(request, other, hooks, occ)
        return fake if fake is not None else reply

    # --- in-process transport ---------------------------------------------------------

    @property
    def url(self) -> str:
        """A `locksim://` URL that `serial.serial_for_url` opens onto this bank."""
        from locker_driver.sim import protocol_locksim

        with self._lock:
            if self._url_name is None:
                self._url_name = protocol_locksim.attach(self)
            return f"locksim://{self._url_name}"

    def close(self) -> None:
        from locker_driver.sim import protocol_locksim

        with self._lock:
            if self._url_name is not None:
                protocol_locksim.detach(self._url_name)
                self._url_name = None

    def __enter__(self) -> SimulatedBank:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
