"""The registry of board protocols: every place that lists the families reads it here.

A family is added by writing its codec module (a `CodecBase` subclass that declares its
name, baud rate, board addresses and lock counts once) and naming that module in
`_CODEC_MODULES`. The bank, the simulator, the CLI, the kiosk's config check, the
benchmarks and the installer (`python -m locker_driver.protocols`) all follow.
"""

from __future__ import annotations

import importlib
from types import MappingProxyType

from locker_driver.codec import BoardCodec
from locker_driver.errors import ConfigError

# Codec modules of locker_driver, in the order the families are listed to people.
_CODEC_MODULES = ("codec_cu16", "codec_8a", "codec_cu48")


def _load() -> dict[str, BoardCodec]:
    codecs: dict[str, BoardCodec] = {}
    for name in _CODEC_MODULES:
        codec: BoardCodec = importlib.import_module(f"locker_driver.{name}").CODEC
        if codec.protocol in codecs:
            raise RuntimeError(f"two codecs declare the protocol name {codec.protocol!r}")
        codecs[codec.protocol] = codec
    return codecs


CODECS = MappingProxyType(_load())
PROTOCOLS: tuple[str, ...] = tuple(CODECS)
DEFAULT_LOCKS = MappingProxyType({name: c.default_locks for name, c in CODECS.items()})


def codec_for(protocol: str) -> BoardCodec:
    """The codec of a protocol name (one of PROTOCOLS)."""
    try:
        return CODECS[protocol]
    except KeyError:
        raise ConfigError(
            f"unknown board protocol {protocol!r}; use one of {', '.join(PROTOCOLS)}"
        ) from None


def describe_frame(protocol: str, raw: bytes, *, sent: bool) -> str:
    """A line a technician can read for one frame of the frame log: what a request
    asks (`sent`), or what a reply says, e.g. "status of board 1: open 2, 7; occupied
    3". Frames that are not of this protocol say so; nothing here raises on bytes."""
    from locker_driver.codec import RequestKind
    from locker_driver.errors import FrameError, WrongReply

    codec = codec_for(protocol)
    if sent:
        try:
            request = codec.parse_request(raw)
        except (FrameError, IndexError):
            return f"not a {protocol} request"
        where = "every board" if request.board is None else f"board {request.board}"
        return {
            RequestKind.STATUS: f"status of {where}",
            RequestKind.STATUS_ALL_BOARDS: "status of every board",
            RequestKind.UNLOCK: f"unlock {where} lock {request.lock}",
            RequestKind.UNLOCK_ALL: f"unlock every lock of {where}",
        }.get(request.kind, f"other command to {where}")
    for board in codec.boards:
        try:
            status = codec.parse_status_reply(codec.status_request(board), raw)
        except (FrameError, WrongReply, IndexError):
            continue
        return _status_text(status)
    try:
        return _status_text(codec.parse_broadcast_reply(raw))
    except (FrameError, WrongReply, IndexError):
        pass
    if len(raw) > 2 and raw[1] in codec.boards and 1 <= raw[2] <= codec.max_locks:
        try:
            hook = codec.parse_unlock_reply(codec.unlock_request(raw[1], raw[2]), raw)
        except (FrameError, WrongReply, IndexError, ValueError):
            hook = None
        else:
            bit = "" if hook is None else f", feedback contact {'set' if hook else 'clear'}"
            return f"unlock of board {raw[1]} lock {raw[2]} acknowledged{bit}"
    return f"not a {protocol} reply"


def _status_text(status: object) -> str:
    from locker_driver.codec import BoardStatus

    assert isinstance(status, BoardStatus)
    # Raw bits: which way "set" means open depends on the bank's polarity setting.
    hooks = [str(i + 1) for i, bit in enumerate(status.hooks) if bit]
    text = f"status of board {status.board}: hook bits set on " + (", ".join(hooks) or "none")
    if status.occupancy is not None:
        items = [str(i + 1) for i, bit in enumerate(status.occupancy) if bit]
        text += "; item present in " + (", ".join(items) or "none")
    return text


if __name__ == "__main__":
    # For shell scripts (the installer's --board-protocol check): one name per line.
    print("\n".join(PROTOCOLS))

