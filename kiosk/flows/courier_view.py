"""Screens, view snapshot and settings of the courier flow (login, deposit, collect,
empty-compartment check). Names are stable; the UI translates screen ids."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.flows.views import EMPTY_MAP, DoorPlace, FlowKind, LockerMap


class CourierScreen(StrEnum):
    login = "login"  # scan badge, or courier id + PIN
    login_failed = "login_failed"  # `attempts_left` before a lockout
    locked_out = "locked_out"  # `lockout_remaining_s`
    menu = "menu"  # deposit / collect / check / log out; `tally`, `waiting`
    deposit_scan = "deposit_scan"  # scan the next parcel label; `last_deposit`
    deposit_refused = "deposit_refused"  # `refusal` (+ `parcel_state`)
    deposit_opening = "deposit_opening"  # unlock sent for `door`
    deposit_open = "deposit_open"  # load the parcel, close the door; doesn't fit / no door
    no_compartment = "no_compartment"  # nothing free of this size or larger
    # None of the parcel's size is free: `compartment_size` is offered; the courier
    # accepts (accept_larger) or keeps the parcel (cancel_deposit).
    deposit_fallback = "deposit_fallback"
    collect_list = "collect_list"  # `collect` items to take away; `label_refused`
    collect_opening = "collect_opening"
    collect_open = "collect_open"  # take the parcel(s), confirm, close the door
    collect_confirm = "collect_confirm"  # door closed before confirming: taken or not?
    collect_done = "collect_done"  # every item handled; `collect` shows each outcome
    check_result = "check_result"  # empty-compartment check: `mismatches`
    out_of_service = "out_of_service"  # lock board unreachable
    not_ready = "not_ready"  # no data from the central service yet (before the first sync)
    logged_out = "logged_out"  # session over: the kiosk returns to the customer screens


class DepositRefusal(StrEnum):
    unknown_parcel = "unknown_parcel"  # not announced for this locker (or not synced yet)
    already_stored = "already_stored"
    not_expected = "not_expected"  # picked up, collected, cancelled...: `parcel_state`
    no_compartment = "no_compartment"


class CollectStatus(StrEnum):
    pending = "pending"
    collected = "collected"
    skipped = "skipped"  # the courier did not take it (or skipped the door)
    door_failed = "door_failed"  # the door did not open; compartment marked fault


@dataclass(frozen=True)
class TallyItem:
    parcel_id: str
    barcode: str
    door: DoorPlace
    size: str  # size of the compartment used (may be larger than the parcel's)


@dataclass(frozen=True)
class CollectItem:
    door: DoorPlace
    parcel_ids: tuple[str, ...]
    barcodes: tuple[str, ...]
    reasons: tuple[str, ...]  # parcel states: expired, cancelled
    status: CollectStatus = CollectStatus.pending


@dataclass(frozen=True)
class Mismatch:
    """A compartment whose occupancy sensor disagrees with the cache."""

    door: DoorPlace
    expected_occupied: bool
    reads_occupied: bool


@dataclass(frozen=True)
class Waiting:
    """What waits at this locker, shown on the courier's menu."""

    expected: int = 0  # parcels announced for this locker and not deposited yet
    to_collect: int = 0  # expired or cancelled parcels still inside
    free_by_size: tuple[tuple[str, int], ...] = ()  # free compartments, in size order


@dataclass(frozen=True)
class CourierView:
    screen: CourierScreen = CourierScreen.login
    courier_id: str | None = None
    courier_name: str = ""
    locker_map: LockerMap = EMPTY_MAP
    # Deposit.
    door: DoorPlace | None = None
    parcel_id: str | None = None
    parcel_barcode: str | None = None
    parcel_size: str | None = None
    compartment_size: str | None = None
    refusal: DepositRefusal | None = None
    parcel_state: str | None = None
    last_deposit: TallyItem | None = None
    tally: tuple[TallyItem, ...] = ()
    faults: tuple[DoorPlace, ...] = ()  # doors marked fault during this visit
    waiting: Waiting = Waiting()
    # Collection.
    collect: tuple[CollectItem, ...] = ()
    collect_index: int = 0  # the item being opened (0-based)
    collected_count: int = 0
    label_refused: str | None = None  # a label read on the list that is not to collect
    # Empty-compartment check (also fed by the check after each deposit).
    mismatches: tuple[Mismatch, ...] = ()
    occupancy_supported: bool = False  # the board reports occupancy at all
    # Login and chrome.
    attempts_left: int | None = None
    lockout_remaining_s: int | None = None
    timeout_remaining_s: int | None = None
    offline: bool = False

    @property
    def flow(self) -> FlowKind:
        return FlowKind.courier

    @property
    def ended(self) -> bool:
        return self.screen is CourierScreen.logged_out


@dataclass(frozen=True)
class CourierSettings:
    login_timeout_s: float = 60.0  # login screen untouched -> back to the customer screens
    session_timeout_s: float = 120.0  # no courier action -> logged out (doors closed)
    open_confirm_timeout_s: float = 4.0
    poll_interval_s: float = 0.25
    idle_poll_interval_s: float = 1.0
    size_order: tuple[str, ...] = ("S", "M", "L", "XL")  # smallest first
    # Parcels flagged accessible go to compartments a seated person reaches first;
    # other parcels leave those for them while anything else is free.
    accessible_first: bool = True
    keep_accessible_free: bool = True
    # PIN / badge failures, per kiosk.
    free_attempts: int = 5
    lockout_base_s: float = 60.0
    lockout_factor: float = 2.0
    lockout_max_s: float = 1800.0
    failure_memory_s: float = 3600.0
