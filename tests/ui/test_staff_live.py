"""Courier and technician screens against the real flows, cache and simulated board."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from kiosk.flows.views import FlowKind
from tests.ui.live import (
    COURIER_BADGE,
    COURIER_ID,
    COURIER_PIN,
    TECH_ID,
    TECH_PIN,
    WAIT_MS,
    LiveKiosk,
)

pytestmark = [pytest.mark.ui, pytest.mark.integration]



def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def on(qtbot, k: LiveKiosk, page: str, screen: str | None = None) -> None:
    def shown() -> bool:
        current = k.window.current_page
        if current is None or current.name != page:
            return False
        return screen is None or str(getattr(current.view, "screen", "")) == screen

    qtbot.waitUntil(shown, timeout=WAIT_MS)


def type_digits(qtbot, keypad, digits: str) -> None:
    for digit in digits:
        click(qtbot, keypad.keys[digit])


def test_courier_visit_deposit_and_log_out(qtbot, kiosk) -> None:
    pid = kiosk.announce("XP-LBL-7001", size="M")
    idle = kiosk.window.pages["idle"]
    assert idle.service.isVisible()
    click(qtbot, idle.service)
    on(qtbot, kiosk, "courier_login", "login")
    login = kiosk.window.pages["courier_login"]

    # Back out once, switch to Russian, come back: a wrong PIN says how many tries are left.
    click(qtbot, login.back)
    on(qtbot, kiosk, "idle")
    click(qtbot, idle.languages.buttons["ru"])
    click(qtbot, idle.service)
    on(qtbot, kiosk, "courier_login", "login")
    type_digits(qtbot, login.keypad, COURIER_ID)
    click(qtbot, login.entry.pin_field)
    type_digits(qtbot, login.keypad, "0000")
    assert login.entry.pin_field.label_text().endswith("●●●●")
    click(qtbot, login.submit)
    on(qtbot, kiosk, "courier_login", "login_failed")
    QApplication.processEvents()
    assert login.status.text() == "Не получилось. Осталось 4 попытки."
    assert login.entry.pin_text == ""  # a refused PIN is not kept on screen
    kiosk.window.set_language("en")

    # The badge, read by the camera, logs the courier in.
    kiosk.modes.submit_scan(COURIER_BADGE)
    on(qtbot, kiosk, "courier_menu", "menu")
    menu = kiosk.window.pages["courier_menu"]
    qtbot.waitUntil(lambda: menu.title.text() == "Hello, Demo Courier", timeout=WAIT_MS)
    click(qtbot, menu.deposit)
    on(qtbot, kiosk, "courier_deposit", "deposit_scan")

    kiosk.modes.submit_scan("XP-LBL-7001")
    on(qtbot, kiosk, "courier_deposit", "deposit_open")
    deposit = kiosk.window.pages["courier_deposit"]
    door = deposit.door.door_label.text()
    assert door and kiosk.door_is_open(door)
    assert deposit.primary.label_text() == "Parcel does not fit"
    kiosk.close_door(door)
    on(qtbot, kiosk, "courier_deposit", "deposit_scan")
    qtbot.waitUntil(lambda: deposit.tally.rowCount() == 1, timeout=WAIT_MS)
    assert (deposit.tally.cell_text(0, 0), deposit.tally.cell_text(0, 1)) == ("XP-LBL-7001", door)
    assert kiosk.parcel_state(pid) == "stored"

    # A label that was never announced is refused with what to do.
    kiosk.modes.submit_scan("XP-LBL-9999")
    on(qtbot, kiosk, "courier_deposit", "deposit_refused")
    assert deposit.title.text() == "This parcel is not announced for this locker"

    click(qtbot, deposit.first)  # Menu
    on(qtbot, kiosk, "courier_menu", "menu")
    assert menu.summary.text() == "Deposited on this visit: 1 parcel."
    click(qtbot, menu.logout)
    on(qtbot, kiosk, "idle")
    qtbot.waitUntil(lambda: kiosk.modes.mode is FlowKind.pickup, timeout=WAIT_MS)


def test_technician_gesture_map_open_a_door_and_diagnostics(qtbot, kiosk) -> None:
    pid = kiosk.add_parcel("55556666", "B02")  # a customer's parcel waits behind B02
    brand = kiosk.window.brand
    for _ in range(kiosk.window.settings.technician_taps):
        click(qtbot, brand)
    on(qtbot, kiosk, "technician_login", "login")
    login = kiosk.window.pages["technician_login"]
    click(qtbot, login.id_buttons[TECH_ID])
    type_digits(qtbot, login.keypad, TECH_PIN)
    click(qtbot, login.submit)
    on(qtbot, kiosk, "technician_map", "map")
    page = kiosk.window.pages["technician_map"]
    qtbot.waitUntil(lambda: page.grid.cell_rect("B02") is not None, timeout=WAIT_MS)
    QApplication.processEvents()

    rect = page.grid.cell_rect("B02")
    assert rect is not None
    qtbot.mouseClick(page.grid, Qt.MouseButton.LeftButton, pos=QPoint(*map(int, (
        rect.center().x(), rect.center().y()))))
    # The detail follows the live readings: the door reads closed once the board answered.
    qtbot.waitUntil(lambda: page.detail.text().startswith(
        "B02, size M: door closed, occupied"),
                    timeout=WAIT_MS)
    click(qtbot, page.buttons["open_one"])
    on(qtbot, kiosk, "technician_doors", "confirm")
    doors = kiosk.window.pages["technician_doors"]
    assert doors.title.text() == "Open door B02?"
    assert "B02 holds a customer's parcel" in doors.body.text()
    click(qtbot, doors.confirm)
    on(qtbot, kiosk, "technician_doors", "opened")
    qtbot.waitUntil(lambda: doors.table.rowCount() == 1, timeout=WAIT_MS)
    assert (doors.table.cell_text(0, 0), doors.table.cell_text(0, 1)) == ("B02", "opened")
    assert kiosk.door_is_open("B02")
    assert kiosk.parcel_state(pid) == "stored"  # opening from diagnostics changes no parcel
    click(qtbot, doors.confirm)  # back to the map
    on(qtbot, kiosk, "technician_map", "map")

    click(qtbot, page.buttons["bus"])
    on(qtbot, kiosk, "technician_info", "bus_scan")
    info = kiosk.window.pages["technician_info"]
    # B02 still stands open: the scan waits for it and says so, then runs by itself.
    assert info.body.text().startswith("Waiting for door B02 to close")
    kiosk.close_door("B02")
    qtbot.waitUntil(lambda: info.table.rowCount() >= 1, timeout=WAIT_MS)
    assert info.table.cell_text(0, 1) == "yes"
    click(qtbot, info.back)
    on(qtbot, kiosk, "technician_map", "map")

    click(qtbot, page.buttons["frames"])
    on(qtbot, kiosk, "technician_info", "frame_log")
    assert info.table.rowCount() > 0
    click(qtbot, info.back)
    on(qtbot, kiosk, "technician_map", "map")

    click(qtbot, page.buttons["sync"])
    on(qtbot, kiosk, "technician_info", "sync_status")
    click(qtbot, info.extra)  # sync now
    qtbot.waitUntil(lambda: kiosk.sync_requests == [True], timeout=WAIT_MS)
    click(qtbot, info.back)
    on(qtbot, kiosk, "technician_map", "map")

    click(qtbot, page.buttons["export"])
    on(qtbot, kiosk, "technician_info", "export_done")
    assert "expresspoint-export-" in info.body.text()

    click(qtbot, info.back)
    on(qtbot, kiosk, "technician_map", "map")
    click(qtbot, page.buttons["camera"])
    on(qtbot, kiosk, "camera_test")
    click(qtbot, kiosk.window.pages["camera_test"].back)
    on(qtbot, kiosk, "technician_map")
    click(qtbot, page.buttons["logout"])
    on(qtbot, kiosk, "idle")


def type_label(qtbot, entry, text: str) -> None:
    for ch in text:
        click(qtbot, entry.keys[ch])


def test_a_typed_label_a_size_fallback_and_nothing_to_collect(qtbot, kiosk) -> None:
    for n, cid in enumerate(("A01", "B01", "C01")):  # every S compartment is taken
        kiosk.add_parcel(f"1111000{n}", cid)
    pid = kiosk.announce("XP-LBL-7002", size="S")
    kiosk.announce("XP-LBL-7003", size="L")
    click(qtbot, kiosk.window.pages["idle"].service)
    on(qtbot, kiosk, "courier_login", "login")
    login = kiosk.window.pages["courier_login"]
    type_digits(qtbot, login.keypad, COURIER_ID)
    click(qtbot, login.entry.pin_field)
    type_digits(qtbot, login.keypad, COURIER_PIN)
    click(qtbot, login.submit)
    on(qtbot, kiosk, "courier_menu", "menu")
    menu = kiosk.window.pages["courier_menu"]
    # The menu says what waits here.
    assert menu.expected.text() == "To deposit here: 2 parcels expected."
    assert menu.to_collect.text() == "To collect: 0 parcels."
    assert menu.free.text() == "Free compartments: M 6   L 3"

    click(qtbot, menu.deposit)
    on(qtbot, kiosk, "courier_deposit", "deposit_scan")
    deposit = kiosk.window.pages["courier_deposit"]
    assert deposit.second.label_text() == "Type the label"
    click(qtbot, deposit.second)
    assert deposit.typing and deposit.keyboard.isVisible()
    # A typo is refused exactly like a scanned label; the keyboard keeps what was typed.
    type_label(qtbot, deposit.keyboard, "XP-LBL-7020")
    click(qtbot, deposit.keyboard.submit)
    on(qtbot, kiosk, "courier_deposit", "deposit_refused")
    assert not deposit.typing
    assert deposit.title.text() == "This parcel is not announced for this locker"
    click(qtbot, deposit.second)  # type the label again
    assert deposit.keyboard.text == "XP-LBL-7020"
    click(qtbot, deposit.keyboard.keys["backspace"])
    click(qtbot, deposit.keyboard.keys["backspace"])
    type_label(qtbot, deposit.keyboard, "02")
    click(qtbot, deposit.keyboard.submit)

    # No S is free: the larger door is offered, nothing opens until the courier agrees.
    on(qtbot, kiosk, "courier_deposit", "deposit_fallback")
    assert deposit.title.text() == "No S free: use M?"
    door = deposit.door.door_label.text()
    assert door and not kiosk.door_is_open(door)
    assert deposit.primary.label_text() == "Yes, use M"
    click(qtbot, deposit.primary)
    on(qtbot, kiosk, "courier_deposit", "deposit_open")
    assert kiosk.door_is_open(door)
    kiosk.close_door(door)
    on(qtbot, kiosk, "courier_deposit", "deposit_scan")
    assert kiosk.parcel_state(pid) == "stored"
    assert deposit.keyboard.text == ""  # the right label is not kept for the next one

    click(qtbot, deposit.primary)  # done depositing
    on(qtbot, kiosk, "courier_menu", "menu")
    qtbot.waitUntil(lambda: menu.expected.text() == "To deposit here: 1 parcel expected.",
                    timeout=WAIT_MS)
    click(qtbot, menu.collect)
    on(qtbot, kiosk, "courier_collect", "collect_done")
    collect = kiosk.window.pages["courier_collect"]
    assert collect.title.text() == "Nothing to collect"
    click(qtbot, collect.primary)
    on(qtbot, kiosk, "courier_menu", "menu")
    click(qtbot, menu.logout)
    on(qtbot, kiosk, "idle")
