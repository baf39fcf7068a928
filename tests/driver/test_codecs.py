"""Codecs against every example frame of the vendor documents (lock-boards.md)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from locker_driver import codec_8a, codec_cu16, codec_cu48
from locker_driver.codec import ParsedRequest, RequestKind
from locker_driver.errors import ChecksumError, ConfigError, FrameError, WrongReply
from locker_driver.protocols import PROTOCOLS, codec_for

pytestmark = pytest.mark.unit


def h(text: str) -> bytes:
    return bytes.fromhex(text)


class TestCu16:
    def test_status_request_board_0(self) -> None:
        assert codec_cu16.status_request(0) == h("02 00 30 03 35")

    def test_status_request_board_1_has_the_correct_checksum(self) -> None:
        # A published frame table carries 3E here; the sum rule gives 45.
        assert codec_cu16.status_request(1) == h("02 10 30 03 45")

    def test_unlock_lock_3_board_0(self) -> None:
        assert codec_cu16.unlock_request(0, 3) == h("02 02 31 03 38")

    def test_status_all_boards(self) -> None:
        assert codec_cu16.status_all_request() == h("02 F0 32 03 27")

    def test_pulse_query_and_set(self) -> None:
        assert codec_cu16.query_pulse_request(0) == h("02 00 37 03 3C")
        assert codec_cu16.set_pulse_request(0, 1000) == h("02 00 37 00 64 03 A0")

    def test_status_reply_lock_1_hooked_and_occupied(self) -> None:
        status = codec_cu16.CODEC.parse_status_reply(
            h("02 00 30 03 35"), h("02 00 35 01 00 01 00 03 3C")
        )
        assert status.board == 0
        assert status.hook(1) is True and not any(status.hooks[1:])
        assert status.occupied(1) is True and status.occupied(2) is False

    def test_bus_wide_replies(self) -> None:
        first = codec_cu16.status_of(codec_cu16.decode_reply(h("02 00 36 00 03 01 00 03 3F")))
        second = codec_cu16.status_of(codec_cu16.decode_reply(h("02 10 36 01 00 00 08 03 54")))
        assert first.board == 0
        assert [i + 1 for i, b in enumerate(first.hooks) if b] == [9, 10]
        assert first.occupied(1) is True
        assert second.board == 1
        assert [i + 1 for i, b in enumerate(second.hooks) if b] == [1]
        assert second.occupied(12) is True

    def test_pulse_reply_decodes(self) -> None:
        reply = codec_cu16.decode_reply(h("02 00 38 0F 00 00 37 03 83"))
        assert reply.cmd == 0x38
        assert reply.data[2:] == h("00 37")  # 0x0037 x 10 ms = 550 ms

    def test_encode_reply_matches_spec(self) -> None:
        assert codec_cu16.encode_reply(0x00, 0x35, h("01 00 01 00")) == h(
            "02 00 35 01 00 01 00 03 3C"
        )

    def test_bad_checksum_is_a_checksum_error(self) -> None:
        with pytest.raises(ChecksumError, match="checksum"):
            codec_cu16.decode_reply(h("02 00 35 01 00 01 00 03 3D"))

    def test_reply_from_another_board_does_not_match(self) -> None:
        with pytest.raises(WrongReply, match="board 1"):
            codec_cu16.CODEC.parse_status_reply(
                h("02 00 30 03 35"), codec_cu16.encode_reply(0x10, 0x35, h("01 00 00 00"))
            )
        with pytest.raises(WrongReply, match="command 36"):
            codec_cu16.CODEC.parse_status_reply(
                h("02 00 30 03 35"), h("02 00 36 00 03 01 00 03 3F")
            )

    def test_unlock_ack_reports_the_lock_hook(self) -> None:
        bit = codec_cu16.CODEC.parse_unlock_reply(
            h("02 02 31 03 38"), codec_cu16.encode_reply(0x00, 0x35, h("04 00 00 00"))
        )
        assert bit is True

    def test_request_lengths_seen_by_the_board(self) -> None:
        codec = codec_cu16.CODEC
        assert codec.request_length(h("02 00")) is None
        assert codec.request_length(h("02 00 30")) == 5
        assert codec.request_length(h("02 00 37 03")) == 5
        assert codec.request_length(h("02 00 37 00")) == 7
        assert codec.request_length(h("02 00 40")) == 6

    def test_parse_request_unlock(self) -> None:
        req = codec_cu16.CODEC.parse_request(h("02 02 31 03 38"))
        assert (req.kind, req.board, req.lock) == (RequestKind.UNLOCK, 0, 3)

    def test_out_of_range_arguments(self) -> None:
        with pytest.raises(ValueError, match="0-9"):
            codec_cu16.status_request(10)
        with pytest.raises(ValueError, match="1-16"):
            codec_cu16.unlock_request(0, 17)


class TestCu48:
    def test_status_request(self) -> None:
        assert codec_cu48.status_request(0) == h("02 00 00 50 03 55")

    def test_broadcast_status(self) -> None:
        assert codec_cu48.status_all_request() == h("02 0A 00 50 03 5F")

    def test_unlock_frames(self) -> None:
        assert codec_cu48.unlock_request(0, 1) == h("02 00 00 51 03 56")
        assert codec_cu48.unlock_all_request(0) == h("02 00 30 51 03 86")
        assert codec_cu48.request(0x0A, 0x30, 0x51) == h("02 0A 30 51 03 90")

    def test_status_reply_locks_1_2_3_47_48(self) -> None:
        status = codec_cu48.CODEC.parse_status_reply(
            h("02 00 00 50 03 55"), h("02 00 00 65 07 00 00 00 00 C0 03 31")
        )
        assert [i + 1 for i, b in enumerate(status.hooks) if b] == [1, 2, 3, 47, 48]
        assert status.occupancy is None

    def test_encode_status_reply_matches_spec(self) -> None:
        hooks = [n in (1, 2, 3, 47, 48) for n in range(1, 49)]
        assert codec_cu48.encode_status_reply(0, hooks) == h(
            "02 00 00 65 07 00 00 00 00 C0 03 31"
        )

    def test_truncated_reply(self) -> None:
        with pytest.raises(FrameError, match="12 bytes"):
            codec_cu48.decode_status_reply(h("02 00 00 65 07 00 00 00"))

    def test_parse_unlock_all_request(self) -> None:
        req = codec_cu48.CODEC.parse_request(h("02 00 30 51 03 86"))
        assert (req.kind, req.board, req.lock) == (RequestKind.UNLOCK_ALL, 0, None)


class TestEightA:
    def test_unlock(self) -> None:
        assert codec_8a.unlock_request(1, 1) == h("8A 01 01 11 9B")

    def test_open_all(self) -> None:
        assert codec_8a.unlock_all_request(1) == h("8A 01 00 11 9A")

    def test_query_one_and_all(self) -> None:
        assert codec_8a.query_request(1, 1) == h("80 01 01 33 B3")
        assert codec_8a.query_all_request(1) == h("80 01 00 33 B2")

    def test_batch_and_hold(self) -> None:
        assert codec_8a.batch_unlock_request(1, [2, 10, 18]) == h("90 01 02 02 02 93")
        assert codec_8a.hold_request(1, 1, on=True) == h("9A 01 01 11 8B")

    def test_query_one_replies(self) -> None:
        req = h("80 01 01 33 B3")
        assert codec_8a.decode_channel_reply(req, h("80 01 01 11 91")) is True
        assert codec_8a.decode_channel_reply(req, h("80 01 01 00 80")) is False

    def test_unlock_reply(self) -> None:
        assert codec_8a.CODEC.parse_unlock_reply(h("8A 01 01 11 9B"), h("8A 01 01 00 8A")) is False

    def test_query_all_reply_of_an_8_channel_board(self) -> None:
        status = codec_8a.CODEC.parse_status_reply(h("80 01 00 33 B2"), h("80 01 00 00 00 33 B2"))
        assert status.board == 1
        assert len(status.hooks) == 24 and not any(status.hooks)

    def test_channels_1_to_8_sit_just_before_33(self) -> None:
        raw = codec_8a.encode_query_all_reply(1, [True] + [False] * 22 + [True])
        assert raw[2:5] == h("80 00 01")
        status = codec_8a.decode_query_all(h("80 01 00 33 B2"), raw)
        assert status.hook(1) is True and status.hook(24) is True and status.hook(2) is False

    def test_wrong_channel_does_not_match(self) -> None:
        with pytest.raises(WrongReply, match="channel 2"):
            codec_8a.decode_channel_reply(h("8A 01 01 11 9B"), codec_8a.frame(0x8A, 1, 2, 0x11))

    def test_bad_bcc(self) -> None:
        with pytest.raises(ChecksumError):
            codec_8a.decode_query_all(h("80 01 00 33 B2"), h("80 01 00 00 01 33 B2"))

    def test_unknown_state_byte(self) -> None:
        with pytest.raises(FrameError, match="neither"):
            codec_8a.decode_channel_reply(h("80 01 01 33 B3"), codec_8a.frame(0x80, 1, 1, 0x42))


def test_unknown_protocol_names_the_choices() -> None:
    with pytest.raises(ConfigError, match="cu16, 8a, cu48"):
        codec_for("cu12")


# Properties: decoding random bytes never crashes with anything but a typed error, and
# what the simulated board encodes the driver decodes back to the same bits.

@pytest.mark.parametrize("protocol", PROTOCOLS)
@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=40))
def test_decoding_random_bytes_only_raises_typed_errors(protocol: str, data: bytes) -> None:
    codec = codec_for(protocol)
    board = codec.boards[0]
    lock = 1
    for request in (codec.status_request(board), codec.unlock_request(board, lock)):
        for parse in (codec.parse_status_reply, codec.parse_unlock_reply):
            with contextlib.suppress(FrameError, WrongReply):
                parse(request, data)
    if data:
        try:
            length = codec.request_length(data)
            if length is not None and len(data) >= length:
                codec.parse_request(data[:length])
        except FrameError:
            pass


@pytest.mark.parametrize("protocol", PROTOCOLS)
@settings(max_examples=60, deadline=None)
@given(bits=st.data())
def test_status_round_trip(protocol: str, bits: st.DataObject) -> None:
    codec = codec_for(protocol)
    locks = codec.max_locks if protocol != "8a" else 24
    board = bits.draw(st.sampled_from(list(codec.boards)))
    hooks = bits.draw(st.lists(st.booleans(), min_size=locks, max_size=locks))
    occupancy = bits.draw(st.lists(st.booleans(), min_size=locks, max_size=locks))
    request = codec.status_request(board)
    seen = codec.parse_request(request)
    assert seen.board == board
    reply = codec.status_reply(seen, board, hooks, occupancy)
    assert codec.reply_length(request) in (None, len(reply))
    status = codec.parse_status_reply(request, reply)
    assert list(status.hooks[:locks]) == hooks
    if codec.has_occupancy:
        assert status.occupancy is not None and list(status.occupancy) == occupancy


@pytest.mark.parametrize("protocol", PROTOCOLS)
@settings(max_examples=60, deadline=None)
@given(bits=st.data())
def test_unlock_request_round_trip(protocol: str, bits: st.DataObject) -> None:
    codec = codec_for(protocol)
    board = bits.draw(st.sampled_from(list(codec.boards)))
    lock = bits.draw(st.integers(1, codec.max_locks))
    raw = codec.unlock_request(board, lock)
    assert codec.request_length(raw[:1] if protocol == "8a" else raw) == len(raw)
    parsed: ParsedRequest = codec.parse_request(raw)
    assert (parsed.kind, parsed.board, parsed.lock) == (RequestKind.UNLOCK, board, lock)


def test_broadcast_requests_and_replies() -> None:
    assert codec_cu16.CODEC.broadcast_status_request() == h("02 F0 32 03 27")
    assert codec_cu48.CODEC.broadcast_status_request() == h("02 0A 00 50 03 5F")
    assert codec_8a.CODEC.broadcast_status_request() is None
    second = codec_cu16.CODEC.parse_broadcast_reply(h("02 10 36 01 00 00 08 03 54"))
    assert (second.board, second.hook(1), second.occupied(12)) == (1, True, True)
    with pytest.raises(WrongReply, match="expected 36"):
        codec_cu16.CODEC.parse_broadcast_reply(h("02 00 35 01 00 01 00 03 3C"))
