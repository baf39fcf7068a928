"""Kerong KR-CU16 (also sold as KU16 / DS16): `STX ADDR CMD [DATA] ETX SUM`.

SUM is the low byte of the sum of every byte before it. ADDR's high nibble is the board
(DIP switch 0-9), the low nibble the lock (0x0-0xF = locks 1-16); 0xF0 is every board.
Replies are 9 bytes: `02 ADDR CMD D1 D2 D3 D4 03 SUM`, D1/D2 the hook bits of locks 1-8
and 9-16, D3/D4 the infrared "item present" bits, lowest lock in the lowest bit.
"""

from __future__ import annotations

from dataclasses import dataclass

from locker_driver.codec import (
    BoardStatus,
    CodecBase,
    ParsedRequest,
    ReplyKind,
    RequestKind,
    bits_lsb_first,
    check_frame,
    check_range,
    pack_lsb_first,
    sum8,
)
from locker_driver.errors import FrameError, WrongReply

STX = 0x02
ETX = 0x03
BROADCAST = 0xF0

CMD_STATUS = 0x30
CMD_UNLOCK = 0x31
CMD_STATUS_ALL = 0x32
CMD_UNLOCK_ALL = 0x33
CMD_PULSE = 0x37
CMD_DELAYED_UNLOCK = 0x39
CMD_BAUD = 0x40

REPLY_STATUS = 0x35
REPLY_STATUS_ALL = 0x36
REPLY_PULSE = 0x38
REPLY_LENGTH = 9
LOCKS = 16
BOARDS = range(0, 10)

# Requests are 5 bytes, except these commands that carry data.
_REQUEST_LENGTHS = {CMD_DELAYED_UNLOCK: 6, CMD_BAUD: 6}
BAUD_CODES = {9600: 0, 19200: 1, 57600: 2, 115200: 3}


checksum = sum8


def frame(addr: int, cmd: int, data: bytes = b"") -> bytes:
    body = bytes([STX, addr, cmd]) + data + bytes([ETX])
    return body + bytes([checksum(body)])


def _check_board(board: int) -> None:
    check_range("CU16 board address", board, BOARDS)


def _check_lock(lock: int) -> None:
    check_range("CU16 lock", lock, range(1, LOCKS + 1))


def status_request(board: int) -> bytes:
    _check_board(board)
    return frame(board << 4, CMD_STATUS)


def unlock_request(board: int, lock: int) -> bytes:
    _check_board(board)
    _check_lock(lock)
    return frame(board << 4 | (lock - 1), CMD_UNLOCK)


def status_all_request() -> bytes:
    return frame(BROADCAST, CMD_STATUS_ALL)


def unlock_all_request(board: int) -> bytes:
    _check_board(board)
    return frame(board << 4, CMD_UNLOCK_ALL)


def query_pulse_request(board: int) -> bytes:
    _check_board(board)
    return frame(board << 4, CMD_PULSE)


def set_pulse_request(board: int, pulse_ms: int) -> bytes:
    """Set the unlock pulse (10 ms steps). The board then saves for over 500 ms."""
    _check_board(board)
    if not 10 <= pulse_ms <= 0xFFFF * 10:
        raise ValueError(f"pulse must be 10-655350 ms, got {pulse_ms}")
    units = pulse_ms // 10
    return frame(board << 4, CMD_PULSE, bytes([units >> 8, units & 0xFF]))


def delayed_unlock_request(board: int, seconds: int) -> bytes:
    _check_board(board)
    if not 0 <= seconds <= 250:
        raise ValueError(f"delay must be 0-250 s, got {seconds}")
    return frame(board << 4, CMD_DELAYED_UNLOCK, bytes([seconds]))


def baud_request(board: int, baudrate: int) -> bytes:
    _check_board(board)
    try:
        code = BAUD_CODES[baudrate]
    except KeyError:
        raise ValueError(f"CU16 baud rate must be one of {sorted(BAUD_CODES)}") from None
    return frame(board << 4, CMD_BAUD, bytes([code]))


@dataclass(frozen=True)
class Reply:
    addr: int
    cmd: int
    data: bytes  # D1-D4

    @property
    def board(self) -> int:
        return self.addr >> 4


def decode_reply(raw: bytes) -> Reply:
    """Validate a 9-byte reply frame (start, end, length, checksum)."""
    board = raw[1] >> 4 if len(raw) > 1 else None
    check_frame(raw, "CU16", checksum=checksum, length=REPLY_LENGTH, stx=STX, etx=ETX,
                board=board)
    return Reply(addr=raw[1], cmd=raw[2], data=bytes(raw[3:7]))


def encode_reply(addr: int, cmd: int, data: bytes) -> bytes:
    if len(data) != 4:
        raise ValueError("CU16 reply data is 4 bytes")
    return frame(addr, cmd, data)


def status_of(reply: Reply) -> BoardStatus:
    return BoardStatus(
        board=reply.board,
        hooks=bits_lsb_first(reply.data[0:2], LOCKS),
        occupancy=bits_lsb_first(reply.data[2:4], LOCKS),
    )


class Cu16Codec(CodecBase):
    protocol = "cu16"
    family = "CU16"
    default_baudrate = 19200
    boards = BOARDS
    max_locks = LOCKS
    default_locks = LOCKS
    has_occupancy = True
    # The spec gives no reply to 0x31; field firmware sends a 0x35 status frame.
    unlock_reply = ReplyKind.OPTIONAL
    # Kerong gives no turnaround time: 3.5 character times is the RS-485 convention
    # (Modbus RTU's inter-frame silence), 1.8 ms at 19200 baud.
    inter_transaction_chars = 3.5
    # The 0x32 request is answered by every board in turn, with the same 0x36 frame:
    # a full bus in one transaction (bench/board.py: about 2.4x faster for 10 boards).
    default_poll_mode = "broadcast"

    def status_request(self, board: int) -> bytes:
        return status_request(board)

    def unlock_request(self, board: int, lock: int) -> bytes:
        return unlock_request(board, lock)

    def is_reply_start(self, byte: int) -> bool:
        return byte == STX

    def reply_length(self, request: bytes) -> int | None:
        return REPLY_LENGTH

    def _match(self, request: bytes, raw: bytes, cmd: int) -> Reply:
        reply = decode_reply(raw)
        asked = request[1] >> 4
        if reply.cmd != cmd:
            raise WrongReply(f"CU16 reply command {reply.cmd:02X}, expected {cmd:02X}", asked)
        if reply.board != asked:
            raise WrongReply(f"CU16 reply from board {reply.board}, asked {asked}", asked)
        return reply

    def parse_status_reply(self, request: bytes, frame: bytes) -> BoardStatus:
        return status_of(self._match(request, frame, REPLY_STATUS))

    def parse_unlock_reply(self, request: bytes, frame: bytes) -> bool | None:
        status = status_of(self._match(request, frame, REPLY_STATUS))
        return status.hook((request[1] & 0x0F) + 1)

    def broadcast_status_request(self) -> bytes | None:
        return status_all_request()

    def parse_broadcast_reply(self, frame: bytes) -> BoardStatus:
        reply = decode_reply(frame)
        if reply.cmd != REPLY_STATUS_ALL:
            raise WrongReply(f"CU16 reply command {reply.cmd:02X}, expected 36")
        return status_of(reply)

    def request_length(self, head: bytes) -> int | None:
        if head[0] != STX:
            raise FrameError(None, f"CU16 request cannot start with {head[0]:02X}")
        if len(head) < 3:
            return None
        if head[2] == CMD_PULSE:
            # Query is 5 bytes, set is 7: ETX position tells them apart.
            if len(head) < 4:
                return None
            return 5 if head[3] == ETX else 7
        return _REQUEST_LENGTHS.get(head[2], 5)

    def parse_request(self, frame: bytes) -> ParsedRequest:
        check_frame(frame, "CU16", checksum=checksum, min_length=5, stx=STX, etx=ETX,
                    what="request")
        addr, cmd = frame[1], frame[2]
        board = None if addr == BROADCAST else addr >> 4
        kinds = {
            CMD_STATUS: RequestKind.STATUS,
            CMD_UNLOCK: RequestKind.UNLOCK,
            CMD_STATUS_ALL: RequestKind.STATUS_ALL_BOARDS,
            CMD_UNLOCK_ALL: RequestKind.UNLOCK_ALL,
        }
        kind = kinds.get(cmd, RequestKind.OTHER)
        lock = (addr & 0x0F) + 1 if kind is RequestKind.UNLOCK else None
        if kind is RequestKind.STATUS_ALL_BOARDS:
            board = None
        return ParsedRequest(kind=kind, board=board, lock=lock, raw=bytes(frame))

    def status_reply(
        self, request: ParsedRequest, board: int, hooks: list[bool], occupancy: list[bool]
    ) -> bytes:
        cmd = REPLY_STATUS_ALL if request.kind is RequestKind.STATUS_ALL_BOARDS else REPLY_STATUS
        data = pack_lsb_first(hooks, 2) + pack_lsb_first(occupancy, 2)
        return encode_reply(board << 4, cmd, data)

    def unlock_reply_frame(
        self, request: ParsedRequest, board: int, hooks: list[bool], occupancy: list[bool]
    ) -> bytes | None:
        data = pack_lsb_first(hooks, 2) + pack_lsb_first(occupancy, 2)
        return encode_reply(board << 4, REPLY_STATUS, data)


CODEC = Cu16Codec()
