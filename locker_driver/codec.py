"""What every board-family codec offers, and the helpers the codecs share.

A codec is pure data and functions: it builds request frames, tells the bus how long a
reply frame is, validates a reply and matches it to its request. The simulated board
uses the same codec from the other side (parse requests, build replies), so both ends
speak the bytes of the vendor documents.

Each codec declares its family once (name, baud rate, board addresses, lock counts,
the gap between transactions, how it is best polled) as class attributes; the registry
of families is `locker_driver.protocols`. What every family does alike (checksums,
range checks, frame validation, "this family has no bus-wide request") lives here, so
a codec module holds only its own encode and decode.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from locker_driver.errors import ChecksumError, FrameError, WrongReply


class ReplyKind(StrEnum):
    """Whether a board answers an unlock frame."""

    REQUIRED = "required"  # the board always answers; silence means outcome unknown
    OPTIONAL = "optional"  # some firmware answers; wait for it, silence is not an error
    NONE = "none"  # the board never answers; confirm by polling


class RequestKind(StrEnum):
    STATUS = "status"
    STATUS_ALL_BOARDS = "status_all_boards"
    UNLOCK = "unlock"
    UNLOCK_ALL = "unlock_all"
    OTHER = "other"


@dataclass(frozen=True)
class BoardStatus:
    """The raw bits one status reply carried.

    `hooks[i]` is the hook-switch bit of lock i+1 as sent (polarity is applied by the
    bank); `occupancy[i]` the infrared "item present" bit, or None for boards without IR.
    """

    board: int
    hooks: tuple[bool, ...]
    occupancy: tuple[bool, ...] | None = None

    def hook(self, lock: int) -> bool | None:
        return self.hooks[lock - 1] if 1 <= lock <= len(self.hooks) else None

    def occupied(self, lock: int) -> bool | None:
        if self.occupancy is None or not 1 <= lock <= len(self.occupancy):
            return None
        return self.occupancy[lock - 1]


@dataclass(frozen=True)
class ParsedRequest:
    """A request as a board sees it (used by the simulated board)."""

    kind: RequestKind
    board: int | None  # None: addressed to every board
    lock: int | None  # 1-based; None when not applicable or "all locks"
    raw: bytes


class BoardCodec(Protocol):
    """The operations the bus, the bank and the simulator need from a protocol."""

    protocol: str  # the name in kiosk.toml, the CLI and the installer
    default_baudrate: int
    boards: range  # board addresses (DIP switch) on the wire
    max_locks: int  # the most locks one board of the family addresses
    default_locks: int  # locks of the usual board (the simulator's default)
    has_occupancy: bool
    unlock_reply: ReplyKind
    # Silence between transactions, in character times (10 bits each at the baud rate).
    inter_transaction_chars: float
    # "broadcast" where one bus-wide status request is the faster poll of a full bus.
    default_poll_mode: str

    def status_request(self, board: int) -> bytes: ...

    def unlock_request(self, board: int, lock: int) -> bytes: ...

    def is_reply_start(self, byte: int) -> bool: ...

    def reply_length(self, request: bytes) -> int | None:
        """Length of the reply frame to `request`; None when only a quiet gap ends it."""
        ...

    def min_reply_length(self, request: bytes) -> int: ...

    def parse_status_reply(self, request: bytes, frame: bytes) -> BoardStatus:
        """Validate `frame` and match it to `request`.

        Raises FrameError (invalid bytes) or WrongReply (valid, but not the answer).
        """
        ...

    def parse_unlock_reply(self, request: bytes, frame: bytes) -> bool | None:
        """Validate an unlock acknowledgement; returns the lock's hook bit if reported."""
        ...

    def broadcast_status_request(self) -> bytes | None:
        """A status request every board answers in turn; None if the family has none."""
        ...

    def parse_broadcast_reply(self, frame: bytes) -> BoardStatus:
        """One board's answer to the bus-wide status request."""
        ...

    # The board's side, used by the simulator.
    def request_length(self, head: bytes) -> int | None:
        """Length of the request starting at head[0]; None if more bytes are needed.

        Raises FrameError when head[0] cannot start a request.
        """
        ...

    def parse_request(self, frame: bytes) -> ParsedRequest: ...

    def status_reply(
        self, request: ParsedRequest, board: int, hooks: list[bool], occupancy: list[bool]
    ) -> bytes: ...

    def unlock_reply_frame(
        self, request: ParsedRequest, board: int, hooks: list[bool], occupancy: list[bool]
    ) -> bytes | None: ...


# --- shared by the codecs ----------------------------------------------------------


def sum8(data: bytes) -> int:
    """Low byte of the arithmetic sum (Kerong CU16, CU48, CU12)."""
    return sum(data) & 0xFF


def xor8(data: bytes) -> int:
    """XOR of every byte, the "BCC" of 8A boards."""
    out = 0
    for byte in data:
        out ^= byte
    return out


def check_range(what: str, value: int, allowed: range) -> None:
    """Raise ValueError naming `what` unless `value` is in `allowed` (e.g. a board
    address outside the family's DIP-switch range)."""
    if value not in allowed:
        raise ValueError(f"{what} must be {allowed.start}-{allowed.stop - 1}, got {value}")


def check_frame(
    raw: bytes,
    family: str,
    *,
    checksum: Callable[[bytes], int],
    length: int | None = None,
    min_length: int = 2,
    stx: int | None = None,
    etx: int | None = None,
    board: int | None = None,
    what: str = "reply",
) -> None:
    """Validate a frame that ends `[ETX] CHECKSUM` over every byte before it: its
    length (exact, or at least `min_length`), its start and end bytes, its checksum.
    Raises FrameError or ChecksumError naming the family and the board (default:
    the address byte raw[1]; None for a request, which the board side parses)."""
    if board is None and what == "reply" and len(raw) > 1:
        board = raw[1]
    if length is not None and len(raw) != length:
        raise FrameError(board, f"{family} {what} must be {length} bytes, got {len(raw)}")
    if len(raw) < max(min_length, 2):
        raise FrameError(board, f"{family} {what} too short ({len(raw)} bytes): {raw.hex(' ')}")
    if (stx is not None and raw[0] != stx) or (etx is not None and raw[-2] != etx):
        raise FrameError(board, f"{family} {what} lacks STX/ETX: {raw.hex(' ')}")
    expected = checksum(raw[:-1])
    if expected != raw[-1]:
        raise ChecksumError(
            board, f"{family} {what} checksum {raw[-1]:02X}, expected {expected:02X}"
        )


class CodecBase:
    """Defaults a codec class inherits; its family attributes are declared once there.

    A family without a bus-wide status request keeps the defaults below; a family that
    never answers an unlock keeps `unlock_reply_frame` returning None.
    """

    protocol: str
    family: str  # the name in messages, e.g. "CU16"
    default_baudrate: int
    boards: range
    max_locks: int
    default_locks: int
    has_occupancy: bool = False
    unlock_reply: ReplyKind
    inter_transaction_chars: float
    default_poll_mode: str = "per_board"

    def check_board(self, board: int) -> None:
        check_range(f"{self.family} board address", board, self.boards)

    def check_lock(self, lock: int) -> None:
        check_range(f"{self.family} lock", lock, range(1, self.max_locks + 1))

    def min_reply_length(self, request: bytes) -> int:
        length = self.reply_length(request)
        return 1 if length is None else length

    def reply_length(self, request: bytes) -> int | None:
        raise NotImplementedError

    def broadcast_status_request(self) -> bytes | None:
        return None

    def parse_broadcast_reply(self, frame: bytes) -> BoardStatus:
        raise WrongReply(f"{self.family} boards have no bus-wide query")

    def unlock_reply_frame(
        self, request: ParsedRequest, board: int, hooks: list[bool], occupancy: list[bool]
    ) -> bytes | None:
        return None


def bits_lsb_first(data: bytes, count: int) -> tuple[bool, ...]:
    """Bits of `data` read lowest bit of the first byte first (lock 1 first)."""
    return tuple(bool(data[i // 8] >> (i % 8) & 1) for i in range(count))


def pack_lsb_first(bits: list[bool], nbytes: int) -> bytes:
    out = bytearray(nbytes)
    for i, bit in enumerate(bits[: nbytes * 8]):
        if bit:
            out[i // 8] |= 1 << (i % 8)
    return bytes(out)
