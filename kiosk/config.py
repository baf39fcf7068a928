"""The kiosk's configuration file (`/etc/expresspoint/kiosk.toml`, `config/demo.toml`).

Validated once at start-up: any unknown key, wrong type or impossible value stops the
kiosk with one line naming the file and key (see `sync.settings.ConfigError`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kiosk.flows.courier_view import CourierSettings
from kiosk.flows.pickup_view import PickupSettings
from kiosk.flows.remote import RemoteSettings
from locker_driver import PROTOCOLS, BankConfig, LockAddress, Polarity, ReconnectPolicy, Timeouts
from locker_driver import ConfigError as DriverConfigError
from sync.settings import (
    CentralSection,
    ConfigError,
    DatabaseSection,
    Limits,
    LockerSection,
    Range,
    SyncSection,
    field,
    load_toml,
    parse_table,
)

SIZES = ("S", "M", "L", "XL")

# The ranges of the settings classes other rooms define (flows, driver). The lower ends
# of the attempt and lockout keys are safety floors: a config may make the kiosk
# stricter, never switch a limit off.
_ATTEMPTS = Range(1, 20)
_LOCKOUT_BASE = Range(5, 3600)
_LOCKOUT_FACTOR = Range(1, 10)
_LOCKOUT_MAX = Range(60, 86400)
_FAILURE_MEMORY = Range(600, 7 * 86400)
_CONFIRM = Range(0.5, 30)
_POLL = Range(0.02, 5)
_IDLE_POLL = Range(0.05, 30)
LIMITS: Limits = {
    PickupSettings: {
        "code_entry_timeout_s": Range(5, 600),
        "error_timeout_s": Range(2, 600),
        "done_timeout_s": Range(2, 600),
        "reopen_window_s": Range(0, 300),
        "reopen_limit": Range(0, 10),
        "open_confirm_timeout_s": _CONFIRM,
        "door_retry_limit": Range(0, 5),
        "left_open_reminder_s": Range(5, 3600),
        "left_open_alarm_s": Range(10, 86400),
        "poll_interval_s": _POLL,
        "idle_poll_interval_s": _IDLE_POLL,
        "free_attempts": _ATTEMPTS,
        "lockout_base_s": _LOCKOUT_BASE,
        "lockout_factor": _LOCKOUT_FACTOR,
        "lockout_max_s": _LOCKOUT_MAX,
        "failure_memory_s": _FAILURE_MEMORY,
        # An alarm that never comes is a limit switched off.
        "alarm_after_denied": Range(1, 100),
    },
    CourierSettings: {
        "login_timeout_s": Range(10, 600),
        "session_timeout_s": Range(30, 3600),
        "open_confirm_timeout_s": _CONFIRM,
        "poll_interval_s": _POLL,
        "idle_poll_interval_s": _IDLE_POLL,
        "free_attempts": _ATTEMPTS,
        "lockout_base_s": _LOCKOUT_BASE,
        "lockout_factor": _LOCKOUT_FACTOR,
        "lockout_max_s": _LOCKOUT_MAX,
        "failure_memory_s": _FAILURE_MEMORY,
    },
    RemoteSettings: {
        # 0 turns remote openings off; past 60 an hour the cap no longer protects.
        "max_opens_per_hour": Range(0, 60),
        # Remote service-state changes: 0 turns them off; past 60 an hour, no cap.
        "max_state_changes_per_hour": Range(0, 60),
        "commands_per_step": Range(1, 50),
        "open_confirm_timeout_s": _CONFIRM,
        "results_kept": Range(1, 1000),
    },
    Timeouts: {
        "reply_s": Range(0.005, 10),
        "quiet_gap_s": Range(0, 1),
        "inter_transaction_s": Range(0, 1),
        "late_reply_guard_s": Range(0, 5),
    },
    ReconnectPolicy: {
        "interval_s": Range(0, 600),
        "attempts": Range(1, 100),
        "cooldown_s": Range(0, 3600),
    },
}


@dataclass(frozen=True, kw_only=True)
class BoardSection:
    """The lock bank on one serial port; the doors' wiring comes from [layout]."""

    # A pyserial URL: /dev/serial/by-id/..., /dev/ttyUSB0, socket://host:port (BU bridge).
    port: str = field(check=lambda v: None if v else "give the serial port URL of the lock board")
    # Any family of the driver's registry of board protocols.
    protocol: str = field("cu16", check=lambda v: None if v in PROTOCOLS else (
        f"expected one of {', '.join(map(repr, PROTOCOLS))}, got {v!r}"))
    baudrate: int | None = field(None, range=Range(1200, 921600))
    # Which hook-switch reading means "door closed": depends on NO/NC wiring.
    polarity: Literal["closed_when_set", "closed_when_clear"] = "closed_when_set"
    timeouts: Timeouts = dataclasses.field(default_factory=Timeouts)
    reconnect: ReconnectPolicy = dataclasses.field(default_factory=ReconnectPolicy)
    status_retries: int = field(1, range=Range(0, 10))
    poll_mode: Literal["auto", "per_board", "broadcast"] = "auto"
    # RS-485 direction lines: only for adapters that need them (they fail on a pty).
    rts: bool | None = None
    dtr: bool | None = None
    rs485: bool = False
    exclusive: bool = True


@dataclass(frozen=True, kw_only=True)
class ColumnSection:
    """One column of compartments, listed top to bottom; ids are <name><row:02>."""

    name: str = field(check=lambda v: None if v.isalnum() else "letters and digits only")
    board: int = field(range=Range(0, 31))
    sizes: list[str] = field(
        check=lambda v: (
            None
            if v and all(s in SIZES for s in v)
            else f"a non-empty list of sizes from {', '.join(SIZES)}"
        )
    )
    first_lock: int = field(1, range=Range(1, 255))
    # Rows that a seated person can reach (1 = top); parcels flagged "accessible" go there.
    accessible_rows: list[int] = field(default_factory=list, range=Range(1, 64))


@dataclass(frozen=True, kw_only=True)
class LayoutSection:
    columns: list[ColumnSection] = field(check=lambda v: None if v else "at least one column")


@dataclass(frozen=True, kw_only=True)
class CompartmentSpec:
    id: str
    board: int
    lock: int
    size: str
    column: int
    row: int
    accessible: bool


@dataclass(frozen=True, kw_only=True)
class CameraSection:
    # An integer index, a /dev/video path, or an image/video file for demos and tests.
    source: str = "0"
    decoder: Literal["auto", "zxing", "pyzbar", "opencv"] = "auto"
    enabled: bool = True
    # Where the camera sits relative to the screen: the "scan here" arrow points there.
    side: Literal["top", "left", "right", "bottom"] = "top"


@dataclass(frozen=True, kw_only=True)
class ScannerSection:
    # "serial:/dev/serial/by-id/..." (USB-CDC scanners) or "hid:/dev/input/by-id/...-kbd"
    # (keyboard-wedge scanners, read directly so they never type into the UI); "" = none.
    device: str = field("", check=lambda v: None if not v or v.startswith(("serial:", "hid:"))
                        else 'use "serial:<port>" or "hid:/dev/input/..."')


@dataclass(frozen=True, kw_only=True)
class UiSection:
    languages: list[str] = dataclasses.field(default_factory=lambda: ["en", "ru", "zh_CN"])
    default_language: str = "en"
    fullscreen: bool = True
    idle_timeout_s: float = field(60.0, range=Range(5, 3600))
    # Where the technician's "export" writes: the mount point of a USB stick.
    export_dir: str = "/media/usb"


def _pin_record_problem(record: str) -> str | None:
    """A record whose parameters no check could afford (n = 2^30 is a terabyte of
    memory per login) is refused here, not at the first technician login."""
    parts = record.split("$")
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt, digest = bytes.fromhex(parts[4]), bytes.fromhex(parts[5])
    except (ValueError, IndexError):
        return "make it with `expresspoint hash-pin`"
    if (
        len(parts) != 6
        or parts[0] != "scrypt"
        or not (2**10 <= n <= 2**20 and n & (n - 1) == 0)
        or not (1 <= r <= 32 and 1 <= p <= 16 and 128 * n * r <= 2**28)
        or not salt
        or not 16 <= len(digest) <= 64
    ):
        return "make it with `expresspoint hash-pin` (its scrypt parameters are out of range)"
    return None


@dataclass(frozen=True, kw_only=True)
class TechnicianEntry:
    id: str
    name: str = ""
    # "scrypt$n$r$p$salt_hex$hash_hex", made with `expresspoint hash-pin`.
    pin_hash: str = field(check=lambda v: _pin_record_problem(v))


@dataclass(frozen=True, kw_only=True)
class KioskConfig:
    locker: LockerSection
    central: CentralSection
    database: DatabaseSection
    board: BoardSection
    layout: LayoutSection
    sync: SyncSection = dataclasses.field(default_factory=SyncSection)
    camera: CameraSection = dataclasses.field(default_factory=CameraSection)
    scanner: ScannerSection = dataclasses.field(default_factory=ScannerSection)
    ui: UiSection = dataclasses.field(default_factory=UiSection)
    technicians: list[TechnicianEntry] = dataclasses.field(default_factory=list)
    # Timeouts and limits of the flows: every field of these dataclasses is a key.
    pickup: PickupSettings = dataclasses.field(default_factory=PickupSettings)
    courier: CourierSettings = dataclasses.field(default_factory=CourierSettings)
    remote: RemoteSettings = dataclasses.field(default_factory=RemoteSettings)
    # Where this config was read from (set by load_config, not a key in the file).
    source: Path = dataclasses.field(default=Path("kiosk.toml"), metadata={"internal": True})

    def bank_config(self) -> BankConfig:
        """The driver's view of this locker: port, protocol and the wiring of every door."""
        b = self.board
        try:
            return BankConfig(
                port_url=b.port,
                protocol=b.protocol,
                baudrate=b.baudrate,
                polarity=Polarity(b.polarity),
                compartments={s.id: LockAddress(s.board, s.lock) for s in self.compartments()},
                timeouts=b.timeouts,
                reconnect=b.reconnect,
                status_retries=b.status_retries,
                poll_mode=b.poll_mode,
                rts=b.rts,
                dtr=b.dtr,
                rs485=b.rs485,
                exclusive=b.exclusive,
            )
        except DriverConfigError as exc:
            raise ConfigError(self.source, "board", str(exc)) from None

    def compartments(self) -> list[CompartmentSpec]:
        specs: list[CompartmentSpec] = []
        for col_index, column in enumerate(self.layout.columns):
            for row_index, size in enumerate(column.sizes, start=1):
                specs.append(
                    CompartmentSpec(
                        id=f"{column.name}{row_index:02d}",
                        board=column.board,
                        lock=column.first_lock + row_index - 1,
                        size=size,
                        column=col_index,
                        row=row_index,
                        accessible=row_index in column.accessible_rows,
                    )
                )
        return specs


def _check_layout(config: KioskConfig) -> None:
    seen_ids: set[str] = set()
    seen_locks: dict[tuple[int, int], str] = {}
    for spec in config.compartments():
        if spec.id in seen_ids:
            raise ConfigError(
                config.source, "layout.columns", f"compartment {spec.id} appears twice"
            )
        seen_ids.add(spec.id)
        where = (spec.board, spec.lock)
        if where in seen_locks:
            raise ConfigError(
                config.source,
                "layout.columns",
                f"{spec.id} and {seen_locks[where]} both use board {spec.board} lock {spec.lock}",
            )
        seen_locks[where] = spec.id
    if config.ui.default_language not in config.ui.languages:
        raise ConfigError(config.source, "ui.default_language", "must be one of ui.languages")
    for name, section in (("pickup", config.pickup), ("courier", config.courier)):
        if section.lockout_max_s < section.lockout_base_s:
            raise ConfigError(
                config.source, f"{name}.lockout_max_s", f"must be at least {name}.lockout_base_s"
            )
    if config.pickup.left_open_alarm_s < config.pickup.left_open_reminder_s:
        raise ConfigError(config.source, "pickup.left_open_alarm_s",
                          "must be at least pickup.left_open_reminder_s")


def load_config(path: str | Path) -> KioskConfig:
    path = Path(path)
    table = load_toml(path)
    config = parse_table(KioskConfig, {**table}, file=path, limits=LIMITS)
    config = dataclasses.replace(config, source=path)
    _check_layout(config)
    config.bank_config()  # the driver's own checks (board and lock ranges per protocol)
    return config
