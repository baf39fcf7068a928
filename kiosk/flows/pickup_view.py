"""Screens, view snapshot and settings of the customer pickup flow.

The UI maps each `PickupScreen` value to a screen and translates it with the view's
parameters; the flow holds no user-facing strings. Names here are stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from kiosk.flows.views import EMPTY_MAP, DoorPlace, FlowKind, LockerMap


class PickupScreen(StrEnum):
    idle = "idle"  # attract screen: scan here / type your code
    code_entry = "code_entry"  # keypad; `entry` holds the digits typed so far
    checking = "checking"  # code being hashed and looked up (working state)
    door_opening = "door_opening"  # unlock sent, waiting for the door sensor
    door_open = "door_open"  # door open: take the parcel, close the door
    done = "done"  # all doors closed: thank you (reopen offered for a while)
    # Errors: each names what happened; the UI adds what to do next.
    unknown_code = "unknown_code"  # no parcel for this code here
    malformed_code = "malformed_code"  # not 8 digits / not our QR (`malformed_reason`)
    not_yet_arrived = "not_yet_arrived"  # announced, not deposited yet
    expired = "expired"  # deadline passed (`deadline`), returned or about to be
    already_picked_up = "already_picked_up"
    cancelled = "cancelled"
    wrong_locker = "wrong_locker"  # QR names another locker (`other_locker_*`)
    door_failed = "door_failed"  # door did not open; `retry_available` once, then fault
    door_left_open = "door_left_open"  # open too long: reminder; `left_open_alarm` after
    locked_out = "locked_out"  # too many wrong codes (`lockout_remaining_s`)
    out_of_service = "out_of_service"  # lock board unavailable
    # The customer reported a problem at the door (`problem`); the central service has
    # been told and the screen says what happens next (`problem_reference`).
    problem_reported = "problem_reported"

    @property
    def is_error(self) -> bool:
        return self in _ERROR_SCREENS


_ERROR_SCREENS = frozenset({
    PickupScreen.unknown_code, PickupScreen.malformed_code, PickupScreen.not_yet_arrived,
    PickupScreen.expired, PickupScreen.already_picked_up, PickupScreen.cancelled,
    PickupScreen.wrong_locker, PickupScreen.door_failed, PickupScreen.door_left_open,
    PickupScreen.locked_out, PickupScreen.out_of_service,
})


class DoorProblem(StrEnum):
    """What a customer can report from the door screen."""

    door_didnt_open = "door_didnt_open"
    parcel_missing = "parcel_missing"
    parcel_damaged = "parcel_damaged"


class MalformedReason(StrEnum):
    empty = "empty"
    not_digits = "not_digits"
    wrong_length = "wrong_length"
    foreign_qr = "foreign_qr"  # a QR code that is not an ExpressPoint pickup code


@dataclass(frozen=True)
class PickupView:
    """Everything a pickup screen needs to render, as of one moment."""

    screen: PickupScreen = PickupScreen.idle
    # The locker map and the doors opened for this code, in opening order.
    locker_map: LockerMap = EMPTY_MAP
    doors: tuple[DoorPlace, ...] = ()
    door: DoorPlace | None = None  # the door this screen is about
    door_number: int = 0  # 1-based position of `door` in `doors` ("door 2 of 3")
    door_count: int = 0
    # Keypad.
    entry: str = field(default="", repr=False)  # digits typed so far (never logged)
    entry_max: int = 8
    malformed_reason: MalformedReason | None = None
    # Message parameters.
    locker_name: str = ""  # this locker
    other_locker_id: str | None = None  # wrong_locker: where the parcel waits
    other_locker_name: str | None = None  # ... and its name, if known
    support_contact: str = ""
    deadline: datetime | None = None  # expired: when the pickup window ended
    lockout_remaining_s: int | None = None  # locked_out: whole seconds to wait
    # unknown_code / wrong_locker: wrong codes still allowed before a pause.
    attempts_left: int | None = None
    retry_entry: bool = False  # unknown_code: "try again" brings the typed digits back
    problem: DoorProblem | None = None  # problem_reported: what was reported
    problem_reference: str = ""  # ... and the reference to quote to support
    retry_available: bool = False  # door_failed: a "try again" button is offered
    left_open_alarm: bool = False  # door_left_open: the alarm has been raised
    reopen_remaining_s: int | None = None  # done: "reopen door" offered this long
    # Chrome.
    timeout_remaining_s: int | None = None  # back to idle in N s (last 10 s only)
    offline: bool = False  # sync is down: small badge, pickup keeps working

    @property
    def flow(self) -> FlowKind:
        return FlowKind.pickup

    @property
    def ended(self) -> bool:
        return False  # the customer flow is the kiosk's home: it never ends


@dataclass(frozen=True)
class PickupSettings:
    """Timeouts and limits of the pickup flow (seconds). The kiosk config maps onto it."""

    code_entry_timeout_s: float = 45.0  # keypad idle -> idle (typed digits cleared)
    error_timeout_s: float = 20.0  # any error screen -> idle
    done_timeout_s: float = 15.0  # thank-you screen -> idle
    reopen_window_s: float = 15.0  # "reopen door" offered this long after closing
    reopen_limit: int = 2  # reopens per pickup
    open_confirm_timeout_s: float = 4.0  # door sensor must show open within this
    door_retry_limit: int = 1  # customer retries before the compartment is marked fault
    left_open_reminder_s: float = 60.0  # door open this long -> reminder screen
    left_open_alarm_s: float = 180.0  # ... this long -> compartment.left_open alarm
    poll_interval_s: float = 0.25  # door reads while a door moves or stands open
    idle_poll_interval_s: float = 1.0  # door reads otherwise (forced-open watch)
    support_contact: str = ""
    # Wrong-code rate limit, per kiosk.
    free_attempts: int = 5  # wrong codes allowed before the first lockout
    lockout_base_s: float = 30.0  # first lockout
    lockout_factor: float = 2.0  # each further lockout is this much longer
    lockout_max_s: float = 900.0
    failure_memory_s: float = 3600.0  # wrong codes older than this are forgotten
    alarm_after_denied: int = 10  # wrong codes (since forgotten) that raise security.alarm
