"""Configuration of one lock bank (one serial port), validated when it is built.

The kiosk builds it from the `[board]` and `[layout]` tables of its TOML file
(`kiosk/config.py`); every error names the key so the technician knows what to fix.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType

from locker_driver.errors import ConfigError
from locker_driver.protocols import PROTOCOLS, codec_for
from locker_driver.states import LockAddress, Polarity

BITS_PER_CHAR = 10  # start bit, 8 data bits, stop bit (8N1)


@dataclass(frozen=True)
class Timeouts:
    """Bus timing, in seconds.

    reply_s: how long to wait for a reply (8A boards answer an unlock after ~500 ms).
    quiet_gap_s: silence that ends a frame of unknown length; USB adapters deliver in
        bursts up to 16 ms apart, so keep it above 20 ms on real hardware.
    inter_transaction_s: pause between transactions so boards turn the line around;
        None (the default): the board family's gap in character times at the bank's
        baud rate (`BankConfig.inter_transaction_s`).
    late_reply_guard_s: after a timeout or a bad frame, how long the line must stay
        quiet before the next request, so a late reply is drained, not taken as the
        next answer.
    """

    reply_s: float = 1.5
    quiet_gap_s: float = 0.025
    inter_transaction_s: float | None = None
    late_reply_guard_s: float = 0.25

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None and f.name == "inter_transaction_s":
                continue
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise ConfigError(f"timeouts.{f.name} must be a number of seconds, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ConfigError(f"timeouts.{f.name} must be >= 0 seconds, got {value!r}")
        if self.reply_s <= 0:
            raise ConfigError("timeouts.reply_s must be > 0 seconds")
        if self.quiet_gap_s <= 0:
            raise ConfigError("timeouts.quiet_gap_s must be > 0 seconds")


@dataclass(frozen=True)
class ReconnectPolicy:
    """After the port disappears: `attempts` tries `interval_s` apart, then a cooldown."""

    interval_s: float = 5.0
    attempts: int = 5
    cooldown_s: float = 60.0

    def __post_init__(self) -> None:
        if self.interval_s < 0 or self.cooldown_s < 0:
            raise ConfigError("reconnect intervals must be >= 0 seconds")
        if self.attempts < 1:
            raise ConfigError("reconnect.attempts must be at least 1")


@dataclass(frozen=True)
class BankConfig:
    """One serial port, one protocol, and the compartments wired to it.

    compartments maps a compartment id (the label on the door, e.g. "A07"; opaque to
    the driver) to the lock it is wired to. RTS/DTR/RS-485 mode are only touched when
    set here: a pty or a TCP bridge rejects them.

    learn_reply_length: 8A query-all replies carry no length, so the first one from a
    board is ended by the quiet gap; its length is then used to end later replies as
    soon as their last byte arrives (a reply that does not fit is read again by gap).

    poll_mode: "auto" (the default) is the family's best poll of a full bus (CU16:
    broadcast, the others per board); "per_board" asks each board in turn; "broadcast"
    (CU16, CU48) sends one
    bus-wide request that every board answers in turn: fewer bytes on the wire, but one
    silent board holds the poll until the line has been quiet for the late-reply guard.
    """

    port_url: str
    protocol: str
    compartments: Mapping[str, LockAddress]
    polarity: Polarity = Polarity.CLOSED_WHEN_SET
    timeouts: Timeouts = field(default_factory=Timeouts)
    baudrate: int | None = None
    reconnect: ReconnectPolicy = field(default_factory=ReconnectPolicy)
    status_retries: int = 1
    rts: bool | None = None
    dtr: bool | None = None
    rs485: bool = False
    exclusive: bool = True
    frame_log_size: int = 200
    learn_reply_length: bool = True
    poll_mode: str = "auto"

    def __post_init__(self) -> None:
        if not isinstance(self.port_url, str) or not self.port_url.strip():
            raise ConfigError("port_url must name a serial port, e.g. /dev/serial/by-id/...")
        if self.protocol not in PROTOCOLS:
            raise ConfigError(
                f"protocol {self.protocol!r} is not supported; use one of {', '.join(PROTOCOLS)}"
            )
        try:
            object.__setattr__(self, "polarity", Polarity(self.polarity))
        except ValueError:
            choices = ", ".join(p.value for p in Polarity)
            raise ConfigError(f"polarity {self.polarity!r} must be one of {choices}") from None
        if self.baudrate is not None and (
            not isinstance(self.baudrate, int) or self.baudrate <= 0
        ):
            raise ConfigError(f"baudrate must be a positive integer, got {self.baudrate!r}")
        if self.status_retries < 0:
            raise ConfigError("status_retries must be >= 0")
        if self.frame_log_size < 1:
            raise ConfigError("frame_log_size must be >= 1")
        if self.poll_mode not in ("auto", "per_board", "broadcast"):
            raise ConfigError(
                f"poll_mode {self.poll_mode!r} must be auto, per_board or broadcast"
            )
        codec = codec_for(self.protocol)
        if self.poll_mode == "broadcast" and codec.broadcast_status_request() is None:
            raise ConfigError(f"poll_mode broadcast: {self.protocol} boards have no bus-wide query")
        object.__setattr__(
            self, "compartments", MappingProxyType(dict(self._checked_compartments()))
        )

    def _checked_compartments(self) -> dict[str, LockAddress]:
        codec = codec_for(self.protocol)
        if not self.compartments:
            raise ConfigError("compartments is empty: map at least one compartment id to a lock")
        seen: dict[LockAddress, str] = {}
        out: dict[str, LockAddress] = {}
        for cid, addr in self.compartments.items():
            if not isinstance(cid, str) or not cid:
                raise ConfigError(f"compartment id {cid!r} must be a non-empty string")
            if not isinstance(addr, LockAddress):
                raise ConfigError(f"compartments.{cid} must be a LockAddress, got {addr!r}")
            if addr.board not in codec.boards:
                raise ConfigError(
                    f"compartments.{cid}: board {addr.board} is outside {self.protocol} "
                    f"addresses {codec.boards.start}-{codec.boards.stop - 1}; "
                    "check the board's DIP switches"
                )
            if not 1 <= addr.lock <= codec.max_locks:
                raise ConfigError(
                    f"compartments.{cid}: lock {addr.lock} is outside 1-{codec.max_locks} "
                    f"for {self.protocol} boards"
                )
            if addr in seen:
                raise ConfigError(
                    f"compartments {seen[addr]} and {cid} are both wired to {addr}"
                )
            seen[addr] = cid
            out[cid] = addr
        return out

    @property
    def effective_baudrate(self) -> int:
        return self.baudrate or codec_for(self.protocol).default_baudrate

    @property
    def effective_poll_mode(self) -> str:
        if self.poll_mode == "auto":
            return codec_for(self.protocol).default_poll_mode
        return self.poll_mode

    @property
    def inter_transaction_s(self) -> float:
        """The pause between transactions: as configured, or the family's gap in
        character times (10 bits each) at the effective baud rate."""
        if self.timeouts.inter_transaction_s is not None:
            return self.timeouts.inter_transaction_s
        chars = codec_for(self.protocol).inter_transaction_chars
        return chars * BITS_PER_CHAR / self.effective_baudrate

    @property
    def effective_timeouts(self) -> Timeouts:
        """`timeouts` with the inter-transaction gap resolved, for the bus."""
        return replace(self.timeouts, inter_transaction_s=self.inter_transaction_s)

    @property
    def boards(self) -> list[int]:
        return sorted({a.board for a in self.compartments.values()})
