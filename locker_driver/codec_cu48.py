"""Kerong CU48 (19200 8N1): requests `02 ADDR LOCKNUM CMD 03 SUM`.

ADDR is the board 0-9 (0x0A: every board), LOCKNUM 0x00-0x2F (0x30: all 48 locks),
SUM the low byte of the sum of the bytes before it. 0x50 asks for status and is
answered with 12 bytes `02 ADDR xx 65 D1..D6 03 SUM`, D1-D6 the 48 hook bits, lock 1
in the lowest bit of D1. 0x51 unlocks and is never answered.
"""

from __future__ import annotations

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
BROADCAST = 0x0A
ALL_LOCKS = 0x30
CMD_STATUS = 0x50
CMD_UNLOCK = 0x51
REPLY_STATUS = 0x65
REQUEST_LENGTH = 6
REPLY_LENGTH = 12
LOCKS = 48
BOARDS = range(0, 10)


checksum = sum8


def request(addr: int, locknum: int, cmd: int) -> bytes:
    body = bytes([STX, addr, locknum, cmd, ETX])
    return body + bytes([checksum(body)])


def _check_board(board: int) -> None:
    check_range("CU48 board address", board, BOARDS)


def status_request(board: int) -> bytes:
    _check_board(board)
    return request(board, 0x00, CMD_STATUS)


def status_all_request() -> bytes:
    return request(BROADCAST, 0x00, CMD_STATUS)


def unlock_request(board: int, lock: int) -> bytes:
    _check_board(board)
    check_range("CU48 lock", lock, range(1, LOCKS + 1))
    return request(board, lock - 1, CMD_UNLOCK)


def unlock_all_request(board: int) -> bytes:
    _check_board(board)
    return request(board, ALL_LOCKS, CMD_UNLOCK)


def encode_status_reply(board: int, hooks: list[bool], locknum: int = 0) -> bytes:
    body = bytes([STX, board, locknum, REPLY_STATUS]) + pack_lsb_first(hooks, 6) + bytes([ETX])
    return body + bytes([checksum(body)])


def decode_status_reply(raw: bytes) -> BoardStatus:
    check_frame(raw, "CU48", checksum=checksum, length=REPLY_LENGTH, stx=STX, etx=ETX)
    board = raw[1]
    if raw[3] != REPLY_STATUS:
        raise FrameError(board, f"CU48 reply command {raw[3]:02X} is not 65")
    return BoardStatus(board=raw[1], hooks=bits_lsb_first(raw[4:10], LOCKS), occupancy=None)


class Cu48Codec(CodecBase):
    protocol = "cu48"
    family = "CU48"
    default_baudrate = 19200
    boards = BOARDS
    max_locks = LOCKS
    default_locks = LOCKS
    has_occupancy = False
    unlock_reply = ReplyKind.NONE
    # As for the CU16: no vendor figure, the RS-485 convention of 3.5 character times.
    inter_transaction_chars = 3.5

    def status_request(self, board: int) -> bytes:
        return status_request(board)

    def unlock_request(self, board: int, lock: int) -> bytes:
        return unlock_request(board, lock)

    def is_reply_start(self, byte: int) -> bool:
        return byte == STX

    def reply_length(self, request: bytes) -> int | None:
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
        check_frame(frame, "CU48", checksum=checksum, length=REQUEST_LENGTH, stx=STX, etx=ETX,
                    what="request")
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


CODEC = Cu48Codec()
