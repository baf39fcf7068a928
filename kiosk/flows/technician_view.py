"""Screens, view snapshot and settings of the technician (diagnostics) flow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kiosk.flows.views import EMPTY_MAP, DoorPlace, FlowKind, LockerMap


class TechnicianScreen(StrEnum):
    login = "login"
    login_failed = "login_failed"  # `attempts_left`
    locked_out = "locked_out"  # `lockout_remaining_s`
    map = "map"  # live map: `cells`
    confirm = "confirm"  # "open these N doors?": `action`, `targets`
    opening = "opening"  # doors opening one after another: `results` so far
    opened = "opened"  # every target handled: `results`
    bus_scan = "bus_scan"  # `boards`
    frame_log = "frame_log"  # `frames`
    sync_status = "sync_status"  # `sync`
    export_done = "export_done"  # `export_path`
    export_failed = "export_failed"  # `export_error`
    out_of_service = "out_of_service"  # lock board unreachable
    logged_out = "logged_out"


class OpenAction(StrEnum):
    one = "one"
    column = "column"
    all = "all"


@dataclass(frozen=True)
class MapCell:
    door: DoorPlace
    size: str
    state: str  # compartment state: free, occupied, reserved, out_of_service, fault
    door_state: str  # open, closed, unknown (last reading)
    occupied: bool | None  # occupancy sensor, None without one
    # The central service says it is full and neither a sensor nor a technician has
    # confirmed it: it opens for the technician only (confirm_contents / confirm_empty).
    unverified: bool = False


@dataclass(frozen=True)
class OpenResult:
    door: DoorPlace
    outcome: str  # opened, already_open, jammed, not_sent, pending


@dataclass(frozen=True)
class HeldParcel:
    """A parcel behind a door the technician is about to open."""

    door: DoorPlace
    parcel_id: str
    state: str  # stored (a customer's), expired / cancelled (for a courier to collect)


@dataclass(frozen=True)
class BoardRow:
    board: int
    answered: bool
    latency_ms: float | None
    locks: int | None
    error: str | None
    transactions: int = 0
    errors: int = 0
    mean_latency_ms: float | None = None


@dataclass(frozen=True)
class FrameRow:
    at: datetime
    direction: str  # tx, rx
    hex: str
    board: int | None
    note: str


@dataclass(frozen=True)
class SyncInfo:
    online: bool
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    offline_since: datetime | None
    outbox_depth: int
    rejected_events: int
    clock_skew_s: float | None
    last_heartbeat_at: datetime | None


@dataclass(frozen=True)
class TechnicianView:
    screen: TechnicianScreen = TechnicianScreen.login
    technician_id: str | None = None
    locker_map: LockerMap = EMPTY_MAP
    cells: tuple[MapCell, ...] = ()
    action: OpenAction | None = None
    targets: tuple[DoorPlace, ...] = ()
    held: tuple[HeldParcel, ...] = ()  # confirm: parcels behind the doors to open
    scan_waiting: tuple[DoorPlace, ...] = ()  # bus_scan: open doors the scan waits for
    results: tuple[OpenResult, ...] = ()
    boards: tuple[BoardRow, ...] = ()
    port_connected: bool | None = None
    frames: tuple[FrameRow, ...] = ()
    sync: SyncInfo | None = None
    sync_requested: bool = False
    export_path: str | None = None
    export_error: str | None = None
    software_version: str = ""
    config_summary: tuple[tuple[str, str], ...] = ()
    attempts_left: int | None = None
    lockout_remaining_s: int | None = None
    timeout_remaining_s: int | None = None
    offline: bool = False

    @property
    def flow(self) -> FlowKind:
        return FlowKind.technician

    @property
    def ended(self) -> bool:
        return self.screen is TechnicianScreen.logged_out


@dataclass(frozen=True)
class TechnicianSettings:
    # (technician id, PIN record made by `expresspoint hash-pin`: scrypt$n$r$p$salt$hash)
    technicians: tuple[tuple[str, str], ...] = ()
    login_timeout_s: float = 60.0
    session_timeout_s: float = 300.0
    open_confirm_timeout_s: float = 4.0
    poll_interval_s: float = 0.25
    idle_poll_interval_s: float = 0.5  # the live map
    scan_addresses: tuple[int, ...] | None = None  # None: every address of the protocol
    scan_timeout_s: float = 0.3
    frame_rows: int = 100
    log_files: tuple[str, ...] = ()  # copied by export next to the audit trail
    software_version: str = ""
    config_summary: tuple[tuple[str, str], ...] = ()  # no secrets: shown as is
    # PIN failures per technician id (kiosk-wide: twice as many). One attempt between
    # lockouts that double up to a day, remembered for a month: guessing a 4-digit PIN
    # takes years (docs/security.md).
    free_attempts: int = 3
    lockout_base_s: float = 60.0
    lockout_factor: float = 2.0
    lockout_max_s: float = 86400.0
    failure_memory_s: float = 30 * 86400.0
