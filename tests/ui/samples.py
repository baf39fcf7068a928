"""Hand-built pickup views, one per screen state, for rendering every screen."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.flows.pickup_view import MalformedReason, PickupScreen, PickupView
from kiosk.flows.views import DoorPlace, LockerMap

BANK = LockerMap.of([])  # replaced below with a 4x6 bank
_DOORS = tuple(
    DoorPlace(f"{'ABCD'[c]}{r + 1:02d}", c, r) for c in range(4) for r in range(6)
)
BANK = LockerMap(4, 6, _DOORS)
A06 = DoorPlace("A06", 0, 5)
C02 = DoorPlace("C02", 2, 1)
SUPPORT = "+1 555 0100 · expresspoint.example/help"


def _v(screen: PickupScreen, **kw: object) -> PickupView:
    return PickupView(screen=screen, support_contact=SUPPORT, locker_name="Main Street", **kw)


SAMPLES: dict[str, PickupView] = {
    "idle": _v(PickupScreen.idle),
    "idle_offline": _v(PickupScreen.idle, offline=True),
    "code_entry": _v(PickupScreen.code_entry, entry="123456"),
    "code_entry_countdown": _v(PickupScreen.code_entry, entry="12", timeout_remaining_s=7),
    "checking": _v(PickupScreen.checking),
    "door_opening": _v(PickupScreen.door_opening, locker_map=BANK, doors=(A06,), door=A06,
                       door_number=1, door_count=1),
    "door_open": _v(PickupScreen.door_open, locker_map=BANK, doors=(A06,), door=A06,
                    door_number=1, door_count=1, offline=True),
    "door_open_two": _v(PickupScreen.door_open, locker_map=BANK, doors=(A06, C02), door=C02,
                        door_number=2, door_count=2),
    "door_left_open": _v(PickupScreen.door_left_open, locker_map=BANK, doors=(A06,), door=A06,
                         door_number=1, door_count=1, left_open_alarm=True),
    "done": _v(PickupScreen.done, locker_map=BANK, doors=(A06,), door=A06, door_number=1,
               door_count=1, reopen_remaining_s=12, timeout_remaining_s=9),
    "unknown_code": _v(PickupScreen.unknown_code),
    "malformed_code": _v(PickupScreen.malformed_code,
                         malformed_reason=MalformedReason.wrong_length),
    "malformed_qr": _v(PickupScreen.malformed_code, malformed_reason=MalformedReason.foreign_qr),
    "not_yet_arrived": _v(PickupScreen.not_yet_arrived),
    "expired": _v(PickupScreen.expired, deadline=datetime(2026, 11, 25, 18, 0, tzinfo=UTC)),
    "already_picked_up": _v(PickupScreen.already_picked_up),
    "cancelled": _v(PickupScreen.cancelled),
    "wrong_locker": _v(PickupScreen.wrong_locker, other_locker_id="L-0042",
                       other_locker_name="Central Station, hall B"),
    "door_failed_retry": _v(PickupScreen.door_failed, doors=(A06,), door=A06, door_number=1,
                            door_count=1, retry_available=True),
    "door_failed_next": _v(PickupScreen.door_failed, doors=(A06, C02), door=A06,
                           door_number=1, door_count=2),
    "locked_out": _v(PickupScreen.locked_out, lockout_remaining_s=270),
    "out_of_service": _v(PickupScreen.out_of_service),
}
