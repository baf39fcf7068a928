"""Generic "8A/80" lock boards (2-50 channels, 9600 8N1): `HEAD BOARD CHANNEL FUNC BCC`.

BCC is the XOR of every byte before it. Boards are addressed 1-31 by DIP switch and
channels are 1-based on the wire (0 = all). Unlock `8A B C 11` is answered `8A B C SS`
with SS 11 or 00 (the feedback contact). Query-all `80 B 00 33` is answered
`80 B <status bytes> 33 BCC`; the byte just before 33 holds channels 1-8, so groups go
highest first, and the number of status bytes is taken from the frame (an 8-channel
board sends 3). That reply has no length field: a quiet gap ends it.
"""

from __future__ import annotations

from locker_driver.codec import (
    BoardStatus,
    CodecBase,
    ParsedRequest,
    ReplyKind,
    RequestKind,
    check_frame,
    check_range,
    xor8,
)
from locker_driver.errors import FrameError, WrongReply

HEAD_UNLOCK = 0x8A
HEAD_QUERY = 0x80
HEAD_BATCH = 0x90
HEAD_HOLD_ON = 0x9A
HEAD_HOLD_OFF = 0x9B
FUNC_UNLOCK = 0x11
FUNC_QUERY = 0x33
STATE_SET = 0x11
STATE_CLEAR = 0x00
BOARDS = range(1, 32)
MAX_CHANNELS = 64
MIN_STATUS_BYTES = 3


bcc = xor8


def frame(*body: int) -> bytes:
    raw = bytes(body)
    return raw + bytes([bcc(raw)])


def _check(board: int, channel: int, allow_all: bool = False) -> None:
    check_range("8A board address", board, BOARDS)
    check_range("8A channel", channel, range(0 if allow_all else 1, MAX_CHANNELS + 1))


def unlock_request(board: int, channel: int) -> bytes:
    _check(board, channel)
    return frame(HEAD_UNLOCK, board, channel, FUNC_UNLOCK)


def unlock_all_request(board: int) -> bytes:
    _check(board, 0, allow_all=True)
    return frame(HEAD_UNLOCK, board, 0, FUNC_UNLOCK)


def query_request(board: int, channel: int) -> bytes:
    _check(board, channel)
    return frame(HEAD_QUERY, board, channel, FUNC_QUERY)


def query_all_request(board: int) -> bytes:
    _check(board, 0, allow_all=True)
    return frame(HEAD_QUERY, board, 0, FUNC_QUERY)


def batch_unlock_request(board: int, channels: list[int]) -> bytes:
    """Fire several channels in one frame: a bitmask, highest channel group first."""
    for channel in channels:
        _check(board, channel)
    nbytes = max(MIN_STATUS_BYTES, (max(channels, default=1) + 7) // 8)
    groups = bytearray(nbytes)
    for channel in channels:
        groups[nbytes - 1 - (channel - 1) // 8] |= 1 << ((channel - 1) % 8)
    return frame(HEAD_BATCH, board, *groups)


def hold_request(board: int, channel: int, on: bool) -> bytes:
    _check(board, channel)
    return frame(HEAD_HOLD_ON if on else HEAD_HOLD_OFF, board, channel, FUNC_UNLOCK)


def _validate(raw: bytes) -> None:
    check_frame(raw, "8A", checksum=bcc, min_length=5)


def _state_bit(state: int, board: int) -> bool:
    if state == STATE_SET:
        return True
    if state == STATE_CLEAR:
        return False
    raise FrameError(board, f"8A state byte {state:02X} is neither 11 nor 00")


def decode_channel_reply(request: bytes, raw: bytes) -> bool:
    """A 5-byte unlock or single-channel query reply; returns the feedback bit."""
    _validate(raw)
    if len(raw) != 5:
        raise FrameError(raw[1], f"8A channel reply must be 5 bytes, got {len(raw)}")
    if raw[0] != request[0]:
        raise WrongReply(f"8A reply header {raw[0]:02X}, expected {request[0]:02X}", request[1])
    if raw[1] != request[1]:
        raise WrongReply(f"8A reply from board {raw[1]}, asked {request[1]}", request[1])
    if raw[2] != request[2]:
        raise WrongReply(f"8A reply for channel {raw[2]}, asked {request[2]}", request[1])
    return _state_bit(raw[3], raw[1])


def decode_query_all(request: bytes, raw: bytes) -> BoardStatus:
    _validate(raw)
    board = raw[1]
    if raw[0] != HEAD_QUERY:
        raise WrongReply(f"8A reply header {raw[0]:02X}, expected 80", request[1])
    if raw[-2] != FUNC_QUERY:
        raise FrameError(board, f"8A query-all reply does not end in 33: {raw.hex(' ')}")
    if board != request[1]:
        raise WrongReply(f"8A reply from board {board}, asked {request[1]}", request[1])
    groups = raw[2:-2]  # highest group first
    if len(groups) < MIN_STATUS_BYTES:
        # Boards send at least 3 status bytes. A shorter "reply" is most likely our own
        # query echoed back (it passes the XOR check), so it must not count as status.
        raise FrameError(board, f"8A query-all reply with {len(groups)} status byte(s)")
    hooks = tuple(
        bool(groups[len(groups) - 1 - i // 8] >> (i % 8) & 1) for i in range(len(groups) * 8)
    )
    return BoardStatus(board=board, hooks=hooks, occupancy=None)


def encode_query_all_reply(board: int, hooks: list[bool]) -> bytes:
    nbytes = max(MIN_STATUS_BYTES, (len(hooks) + 7) // 8)
    groups = bytearray(nbytes)
    for i, bit in enumerate(hooks):
        if bit:
            groups[nbytes - 1 - i // 8] |= 1 << (i % 8)
    return frame(HEAD_QUERY, board, *groups, FUNC_QUERY)


class EightACodec(CodecBase):
    protocol = "8a"
    family = "8A"
    default_baudrate = 9600
    boards = BOARDS
    max_locks = MAX_CHANNELS
    default_locks = 24  # the common 24-channel board; the wire addresses up to 64
    has_occupancy = False
    unlock_reply = ReplyKind.REQUIRED
    # Open-Locker's measured 5 ms between transactions at 9600 baud.
    inter_transaction_chars = 4.8

    def status_request(self, board: int) -> bytes:
        return query_all_request(board)

    def unlock_request(self, board: int, lock: int) -> bytes:
        return unlock_request(board, lock)

    def is_reply_start(self, byte: int) -> bool:
        return byte in (HEAD_UNLOCK, HEAD_QUERY)

    def reply_length(self, request: bytes) -> int | None:
        if request[0] == HEAD_QUERY and request[2] == 0:
            return None
        return 5

    def min_reply_length(self, request: bytes) -> int:
        return 4 + MIN_STATUS_BYTES if self.reply_length(request) is None else 5

    def parse_status_reply(self, request: bytes, frame: bytes) -> BoardStatus:
        return decode_query_all(request, frame)

    def parse_unlock_reply(self, request: bytes, frame: bytes) -> bool | None:
        return decode_channel_reply(request, frame)

    def request_length(self, head: bytes) -> int | None:
        if head[0] not in (HEAD_UNLOCK, HEAD_QUERY, HEAD_HOLD_ON, HEAD_HOLD_OFF):
            raise FrameError(None, f"8A request cannot start with {head[0]:02X}")
        return 5

    def parse_request(self, frame: bytes) -> ParsedRequest:
        check_frame(frame, "8A", checksum=bcc, length=5, what="request")
        head, board, channel = frame[0], frame[1], frame[2]
        if head == HEAD_UNLOCK:
            kind = RequestKind.UNLOCK if channel else RequestKind.UNLOCK_ALL
        elif head == HEAD_QUERY:
            kind = RequestKind.STATUS
        else:
            kind = RequestKind.OTHER
        return ParsedRequest(kind=kind, board=board, lock=channel or None, raw=bytes(frame))

    def status_reply(
        self, request: ParsedRequest, board: int, hooks: list[bool], occupancy: list[bool]
    ) -> bytes:
        if request.lock:
            state = STATE_SET if hooks[request.lock - 1] else STATE_CLEAR
            return frame(HEAD_QUERY, board, request.lock, state)
        return encode_query_all_reply(board, hooks)

    def unlock_reply_frame(
        self, request: ParsedRequest, board: int, hooks: list[bool], occupancy: list[bool]
    ) -> bytes | None:
        channel = request.lock or 0
        state = STATE_SET if channel and hooks[channel - 1] else STATE_CLEAR
        return frame(HEAD_UNLOCK, board, channel, state)


CODEC = EightACodec()
