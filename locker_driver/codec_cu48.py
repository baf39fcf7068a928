"""Kerong CU48 (19200 8N1): requests `02 ADDR LOCKNUM CMD 03 SUM`.

ADDR is the board 0-9 (0x0A: every board), LOCKNUM 0x00-0x2F (0x30: all 48 locks),
SUM the low byte of the sum of the bytes before it. 0x50 asks for status and is
answered with 12 bytes `02 ADDR xx 65 D1..D6 03 SUM`, D1-D6 the 48 hook bits, lock 1
in the lowest bit of D1. 0x51 unlocks and is never answered.
"""

from __future__ import annotations

from locker_driver.codec import (
    BoardStatus,
    ParsedRequest,
    ReplyKind,
    RequestKind,
    bits_lsb_first,
    pack_lsb_first,
)
from locker_driver.errors import ChecksumError, FrameError, WrongReply

STX = 0x02
ETX = 0x03
BROADCAST = 0x0A
ALL_LOCKS = 0x30
CMD_STATUS = 0x50
CMD_UNLOCK = 0x51
REPLY_STATUS = 0x65
REQUEST_LENGTH = 6
REPLY_LENGTH = 12
LOCKS = 48
BOARDS = range(0, 10)


def checksum(data: bytes) -> int:
    return sum(data) & 0xFF


def request(addr: int, locknum: int, cmd: int) -> bytes:
    body = bytes([STX, addr, locknum, cmd, ETX])
    return body + bytes([checksum(body)])


def _check_board(board: int) -> None:
    if board not in BOARDS:
        raise ValueError(f"CU48 board address must be 0-9, got {board}")


def status_request(board: int) -> bytes:
    _check_board(board)
    return request(board, 0x00, CMD_STATUS)


def status_all_request() -> bytes:
    return request(BROADCAST, 0x00, CMD_STATUS)


def unlock_request(board: int, lock: int) -> bytes:
    _check_board(board)
    if not 1 <= lock <= LOCKS:
        raise ValueError(f"CU48 lock must be 1-48, got {lock}")
    return request(board, lock - 1, CMD_UNLOCK)


def unlock_all_request(board: int) -> bytes:
    _check_board(board)
    return request(board, ALL_LOCKS, CMD_UNLOCK)


def encode_status_reply(board: int, hooks: list[bool], locknum: int = 0) -> bytes:
    body = bytes([STX, board, locknum, REPLY_STATUS]) + pack_lsb_first(hooks, 6) + bytes([ETX])
    return body + bytes([checksum(body)])


def decode_status_reply(raw: bytes) -> BoardStatus:
    board = raw[1] if len(raw) > 1 else None
    if len(raw) != REPLY_LENGTH:
        raise FrameError(board, f"CU48 reply must be {REPLY_LENGTH} bytes, got {len(raw)}")
    if raw[0] != STX or raw[10] != ETX:
        raise FrameError(board, f"CU48 reply lacks STX/ETX: {raw.hex(' ')}")
    if checksum(raw[:11]) != raw[11]:
        expected = checksum(raw[:11])
        raise ChecksumError(board, f"CU48 checksum {raw[11]:02X}, expected {expected:02X}")
    if raw[3] != REPLY_STATUS:
        raise FrameError(board, f"CU48 reply command {raw[3]:02X} is not 65")
    return BoardStatus(board=raw[1], hooks=bits_lsb_first(raw[4:10], LOCKS), occupancy=None)


class Cu48Codec:
    protocol = "cu48"
    default_baudrate = 19200
    boards = BOARDS
    max_locks = LOCKS
    has_occupancy = False
    unlock_reply = ReplyKind.NONE

    def status_request(self, board: int) -> bytes:
        return status_request(board)

    def unlock_request(self, board: int, lock: int) -> bytes:
        return unlock_request(board, lock)

    def is_reply_start(self, byte: int) -> bool:
        return byte == STX

    def reply_length(self, request: bytes) -> int | None:
        return REPLY_LENGTH

    def min_reply_length(self, request: bytes) -> int:
        return REPLY_LENGTH

    def parse_status_reply(self, request: bytes, frame: bytes) -> BoardStatus:
        status = decode_status_reply(frame)
        if status.board != request[1]:
            asked = request[1]
            raise WrongReply(f"CU48 reply from board {status.board}, asked {asked}", asked)
        return status

    def parse_unlock_reply(self, request: bytes, frame: bytes) -> bool | None:
        raise WrongReply("CU48 boards never answer an unlock", request[1])

    def broadcast_status_request(self) -> bytes | None:
        return status_all_request()

    def parse_broadcast_reply(self, frame: bytes) -> BoardStatus:
        return decode_status_reply(frame)

    def request_length(self, head: bytes) -> int | None:
        if head[0] != STX:
            raise FrameError(None, f"CU48 request cannot start with {head[0]:02X}")
        return REQUEST_LENGTH

    def parse_request(self, frame: bytes) -> ParsedRequest:
        if len(frame) != REQUEST_LENGTH or frame[0] != STX or frame[4] != ETX:
            raise FrameError(None, f"CU48 request malformed: {frame.hex(' ')}")
        if checksum(frame[:5]) != frame[5]:
            raise ChecksumError(None, f"CU48 request checksum wrong: {frame.hex(' ')}")
        addr, locknum, cmd = frame[1], frame[2], frame[3]
        board = None if addr == BROADCAST else addr
        if cmd == CMD_STATUS:
            kind = RequestKind.STATUS if board is not None else RequestKind.STATUS_ALL_BOARDS
            lock = None
        elif cmd == CMD_UNLOCK:
            kind = RequestKind.UNLOCK_ALL if locknum == ALL_LOCKS else RequestKind.UNLOCK
            lock = None if locknum == ALL_LOCKS else locknum + 1
        else:
            kind, lock = RequestKind.OTHER, None
        return ParsedRequest(kind=kind, board=board, lock=lock, raw=bytes(frame))

    def status_reply(
        self, request: ParsedRequest, board: int, hooks: list[bool], occupancy: list[bool]
    ) -> bytes:
        return encode_status_reply(board, hooks, request.raw[2])

    def unlock_reply_frame(
        self, request: ParsedRequest, board: int, hooks: list[bool], occupancy: list[bool]
    ) -> bytes | None:
        return None


CODEC = Cu48Codec()
