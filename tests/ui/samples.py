"""Hand-built pickup views, one per screen state, for rendering every screen."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.flows.pickup_view import DoorProblem, MalformedReason, PickupScreen, PickupView
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
    "unknown_code": _v(PickupScreen.unknown_code, attempts_left=3, retry_entry=True),
    "problem_not_open": _v(PickupScreen.problem_reported, doors=(A06,), door=A06,
                           door_number=1, door_count=1,
                           problem=DoorProblem.door_didnt_open, problem_reference="K7Q2MX"),
    "problem_missing": _v(PickupScreen.problem_reported, doors=(A06,), door=A06,
                          door_number=1, door_count=1,
                          problem=DoorProblem.parcel_missing, problem_reference="K7Q2MX"),
    "problem_damaged": _v(PickupScreen.problem_reported, doors=(A06,), door=A06,
                          door_number=1, door_count=1,
                          problem=DoorProblem.parcel_damaged, problem_reference="K7Q2MX"),
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


# -- courier and technician -------------------------------------------------------------
from kiosk.flows.courier_view import (  # noqa: E402
    CollectItem,
    CollectStatus,
    CourierScreen,
    CourierView,
    DepositRefusal,
    Mismatch,
    TallyItem,
    Waiting,
)
from kiosk.flows.technician_view import (  # noqa: E402
    BoardRow,
    FrameRow,
    HeldParcel,
    OpenAction,
    OpenResult,
    SyncInfo,
    TechnicianScreen,
    TechnicianView,
)
from kiosk.flows.technician_view import MapCell as TechCell  # noqa: E402

B01 = DoorPlace("B01", 1, 0)
D04 = DoorPlace("D04", 3, 3)
TALLY = tuple(
    TallyItem(f"P{i:03d}", f"XP-LBL-{1000 + i}", DoorPlace(f"B{i:02d}", 1, i - 1), "M")
    for i in range(1, 6)
)
COLLECT = (
    CollectItem(A06, ("P201",), ("XP-LBL-2001",), ("expired",), CollectStatus.collected),
    CollectItem(C02, ("P202", "P203"), ("XP-LBL-2002", "XP-LBL-2003"),
                ("expired", "cancelled"), CollectStatus.pending),
    CollectItem(D04, ("P204",), ("XP-LBL-2004",), ("cancelled",), CollectStatus.door_failed),
)


def _c(screen: CourierScreen, **kw: object) -> CourierView:
    base: dict[str, object] = {"courier_id": "1001", "courier_name": "Demo Courier",
                               "locker_map": BANK}
    base.update(kw)
    return CourierView(screen=screen, **base)  # type: ignore[arg-type]


COURIER_SAMPLES: dict[str, CourierView] = {
    "courier_login": CourierView(screen=CourierScreen.login),
    "courier_login_failed": CourierView(screen=CourierScreen.login_failed, attempts_left=3),
    "courier_locked_out": CourierView(screen=CourierScreen.locked_out, lockout_remaining_s=300),
    "courier_menu": _c(CourierScreen.menu, tally=TALLY, faults=(D04,), waiting=Waiting(
        expected=12, to_collect=3, free_by_size=(("S", 2), ("M", 5), ("L", 1), ("XL", 1)))),
    "courier_menu_full": _c(CourierScreen.menu, waiting=Waiting(expected=1)),
    "deposit_scan": _c(CourierScreen.deposit_scan, tally=TALLY, last_deposit=TALLY[-1]),
    "deposit_refused": _c(CourierScreen.deposit_refused,
                          refusal=DepositRefusal.unknown_parcel, parcel_barcode="XP-LBL-9"),
    "deposit_open": _c(CourierScreen.deposit_open, door=B01, parcel_barcode="XP-LBL-1006",
                       parcel_size="M", compartment_size="L", tally=TALLY),
    "no_compartment": _c(CourierScreen.no_compartment, parcel_size="XL"),
    "deposit_fallback": _c(CourierScreen.deposit_fallback, door=D04, parcel_barcode="XP-LBL-7",
                           parcel_size="M", compartment_size="L"),
    "collect_list": _c(CourierScreen.collect_list, collect=COLLECT),
    "collect_open": _c(CourierScreen.collect_open, collect=COLLECT, collect_index=1, door=C02),
    "collect_confirm": _c(CourierScreen.collect_confirm, collect=COLLECT, collect_index=1,
                          door=C02),
    "collect_done": _c(CourierScreen.collect_done, collect=COLLECT, collected_count=1),
    "collect_nothing": _c(CourierScreen.collect_done),
    "collect_label_refused": _c(CourierScreen.collect_list, collect=COLLECT,
                                label_refused="XP-LBL-9999"),
    "check_result": _c(CourierScreen.check_result, occupancy_supported=True, mismatches=(
        Mismatch(A06, True, False), Mismatch(C02, False, True))),
    "courier_out_of_service": _c(CourierScreen.out_of_service),
    "courier_not_ready": _c(CourierScreen.not_ready),
}

_STATES = ("free", "occupied", "occupied", "fault", "out_of_service", "free")
TECH_CELLS = tuple(
    TechCell(d, "M", _STATES[d.row % len(_STATES)],
             "open" if d.label == "B03" else "unknown" if d.label == "D06" else "closed",
             d.row % 2 == 1)
    for d in _DOORS
)
_AT = datetime(2026, 11, 25, 12, 0, 5, tzinfo=UTC)


def _t(screen: TechnicianScreen, **kw: object) -> TechnicianView:
    base: dict[str, object] = {"technician_id": "T01", "locker_map": BANK, "cells": TECH_CELLS}
    base.update(kw)
    return TechnicianView(screen=screen, **base)  # type: ignore[arg-type]


TECH_SAMPLES: dict[str, TechnicianView] = {
    "tech_login": TechnicianView(screen=TechnicianScreen.login),
    "tech_login_failed": TechnicianView(screen=TechnicianScreen.login_failed, attempts_left=1),
    "tech_map": _t(TechnicianScreen.map),
    "tech_confirm": _t(TechnicianScreen.confirm, action=OpenAction.all, targets=_DOORS),
    "tech_confirm_held": _t(TechnicianScreen.confirm, action=OpenAction.column,
                            targets=_DOORS[6:12], held=(
                                HeldParcel(_DOORS[7], "P301", "stored"),
                                HeldParcel(_DOORS[9], "P302", "expired"))),
    "tech_opening": _t(TechnicianScreen.opening, action=OpenAction.column,
                       targets=_DOORS[:6], results=(OpenResult(_DOORS[0], "opened"),
                                                    OpenResult(_DOORS[1], "pending"))),
    "tech_opened": _t(TechnicianScreen.opened, targets=_DOORS[:3], results=(
        OpenResult(_DOORS[0], "opened"), OpenResult(_DOORS[1], "already_open"),
        OpenResult(_DOORS[2], "jammed"))),
    "bus_scan": _t(TechnicianScreen.bus_scan, port_connected=True, boards=(
        BoardRow(1, True, 12.5, 16, None, 420, 1, 11.8),
        BoardRow(2, False, None, None, "no reply", 3, 3, None))),
    "bus_scan_waiting": _t(TechnicianScreen.bus_scan, scan_waiting=(_DOORS[8],)),
    "frame_log": _t(TechnicianScreen.frame_log, frames=tuple(
        FrameRow(_AT, "tx" if i % 2 == 0 else "rx",
                 "8A 01 00 33 B8" if i % 2 == 0 else "8A 01 00 11 00 00 9A", 1,
                 "status" if i % 2 == 0 else "reply") for i in range(12))),
    "sync_status": _t(TechnicianScreen.sync_status, software_version="0.1.0", sync=SyncInfo(
        online=False, last_success_at=_AT, last_error="connection refused",
        last_error_at=_AT, offline_since=_AT, outbox_depth=17, rejected_events=0,
        clock_skew_s=-1.4, last_heartbeat_at=_AT),
        config_summary=(("locker", "L-MAIN"), ("board", "cu16 on /dev/ttyUSB0"))),
    "export_done": _t(TechnicianScreen.export_done,
                      export_path="/media/usb/expresspoint-export-20261125T120005Z"),
    "export_failed": _t(TechnicianScreen.export_failed,
                        export_error="/media/usb: No such file or directory"),
}
