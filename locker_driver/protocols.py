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


if __name__ == "__main__":
    # For shell scripts (the installer's --board-protocol check): one name per line.
    print("\n".join(PROTOCOLS))
