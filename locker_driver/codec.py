"""What every board-family codec offers, and the registry that picks one by name.

A codec is pure data and functions: it builds request frames, tells the bus how long a
reply frame is, validates a reply and matches it to its request. The simulated board
uses the same codec from the other side (parse requests, build replies), so both ends
speak the bytes of the vendor documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


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

    protocol: str
    default_baudrate: int
    boards: range
    max_locks: int
    has_occupancy: bool
    unlock_reply: ReplyKind

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


PROTOCOLS = ("cu16", "8a", "cu48")


def codec_for(protocol: str) -> BoardCodec:
    """The codec of a protocol name ("cu16", "8a" or "cu48")."""
    from locker_driver import codec_8a, codec_cu16, codec_cu48

    codecs: dict[str, BoardCodec] = {
        "cu16": codec_cu16.CODEC,
        "8a": codec_8a.CODEC,
        "cu48": codec_cu48.CODEC,
    }
    try:
        return codecs[protocol]
    except KeyError:
        from locker_driver.errors import ConfigError

        raise ConfigError(
            f"unknown board protocol {protocol!r}; use one of {', '.join(PROTOCOLS)}"
        ) from None


def bits_lsb_first(data: bytes, count: int) -> tuple[bool, ...]:
    """Bits of `data` read lowest bit of the first byte first (lock 1 first)."""
    return tuple(bool(data[i // 8] >> (i % 8) & 1) for i in range(count))


def pack_lsb_first(bits: list[bool], nbytes: int) -> bytes:
    out = bytearray(nbytes)
    for i, bit in enumerate(bits[: nbytes * 8]):
        if bit:
            out[i // 8] |= 1 << (i % 8)
    return bytes(out)
