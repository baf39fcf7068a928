"""The pickup screens driven against the real flow, cache and (simulated) lock board.

A customer types or scans a code, the door opens on the simulated board behind a real
pty, they close it, reopen it, hit errors and time-outs, in three languages.
"""

from __future__ import annotations

import numpy as np
import pytest
import qrcode
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlmodel import select

from kiosk.flows.pickup_view import DoorProblem
from kiosk.flows.ports import ParcelState
from kiosk.scanning import FileSource, ScanPipeline
from sync import cache as c
from tests.ui.live import LOCKER_ID, WAIT_MS, LiveKiosk

pytestmark = [pytest.mark.ui, pytest.mark.integration]

CODE = "40213377"


def page(k: LiveKiosk) -> str:
    current = k.window.current_page
    return current.name if current else ""


def wait_page(qtbot, k: LiveKiosk, name: str) -> None:
    qtbot.waitUntil(lambda: page(k) == name, timeout=WAIT_MS)


def wait_screen(qtbot, k: LiveKiosk, screen: str) -> None:
    """Wait for a flow screen (several flow screens share one page)."""
    def shown() -> bool:
        current = k.window.current_page
        return current is not None and str(getattr(current.view, "screen", "")) == screen

    qtbot.waitUntil(shown, timeout=WAIT_MS)


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_code(qtbot, k: LiveKiosk, code: str) -> None:
    click(qtbot, k.window.pages["idle"].type_code)
    wait_page(qtbot, k, "code_entry")
    entry = k.window.pages["code_entry"]
    for digit in code:
        click(qtbot, entry.keypad.keys[digit])
    qtbot.waitUntil(lambda: entry.digits == code, timeout=WAIT_MS)
    click(qtbot, entry.submit)


def test_type_a_code_take_the_parcel_close_and_reopen(qtbot, kiosk) -> None:
    pid = kiosk.add_parcel(CODE, "B03")
    type_code(qtbot, kiosk, CODE)
    wait_screen(qtbot, kiosk, "door_open")
    door = kiosk.window.pages["door_open"]
    qtbot.waitUntil(lambda: door.title.text() == "Door B03 is open", timeout=WAIT_MS)
    assert door.door_label.text() == "B03"
    assert door.map.current == "B03"
    assert "Column 2, row 3 from the top" in door.position.text()
    assert kiosk.door_is_open("B03")
    assert kiosk.parcel_state(pid) == "picked_up"

    kiosk.close_door("B03")
    wait_page(qtbot, kiosk, "done")
    done = kiosk.window.pages["done"]
    qtbot.waitUntil(done.reopen.isVisible, timeout=WAIT_MS)
    assert "Reopen door B03" in done.reopen.label_text()
    click(qtbot, done.reopen)
    wait_screen(qtbot, kiosk, "door_open")
    assert kiosk.door_is_open("B03")
    kiosk.close_door("B03")
    wait_page(qtbot, kiosk, "done")
    click(qtbot, done.finish)
    wait_page(qtbot, kiosk, "idle")


def test_a_wrong_code_explains_and_offers_to_try_again(qtbot, kiosk) -> None:
    type_code(qtbot, kiosk, "11112222")
    wait_page(qtbot, kiosk, "error")
    error = kiosk.window.pages["error"]
    assert error.title.text() == "We could not find this code"
    assert "+1 555 0100" in error.help.text()
    click(qtbot, error.primary)
    wait_page(qtbot, kiosk, "code_entry")


def test_scanning_a_qr_code_from_the_camera(qtbot, tmp_path, kiosk_factory) -> None:
    image = np.array(qrcode.make(f"XP1:{LOCKER_ID}:{CODE}").convert("RGB"))[:, :, ::-1].copy()
    source = FileSource(image, fps=20)
    holder: dict[str, LiveKiosk] = {}
    pipeline = ScanPipeline(source, on_scan=lambda r: holder["k"].actions.submit_scan(r.text))
    k = kiosk_factory(frame_source=pipeline.latest_frame)
    holder["k"] = k
    k.add_parcel(CODE, "C01")
    click(qtbot, k.window.pages["idle"].show_camera)
    wait_page(qtbot, k, "scan")
    pipeline.start()
    try:
        # The live preview shows the camera picture while the code is read.
        wait_screen(qtbot, k, "door_open")
    finally:
        pipeline.stop()
    assert k.door_is_open("C01")
    assert k.window.pages["door_open"].door_label.text() == "C01"


def test_scan_preview_shows_frames_or_a_placeholder(qtbot, kiosk_factory) -> None:
    frame = np.full((120, 160, 3), 200, dtype=np.uint8)
    k = kiosk_factory(frame_source=lambda: frame)
    click(qtbot, k.window.pages["idle"].show_camera)
    scan = k.window.pages["scan"]
    qtbot.waitUntil(lambda: scan.preview.has_picture, timeout=WAIT_MS)
    click(qtbot, scan.back)
    wait_page(qtbot, k, "idle")

    blind = kiosk_factory(frame_source=None)
    click(qtbot, blind.window.pages["idle"].show_camera)
    blind_scan = blind.window.pages["scan"]
    blind_scan.preview.refresh()
    assert not blind_scan.preview.has_picture


def test_a_door_that_does_not_open_offers_one_retry(qtbot, kiosk) -> None:
    kiosk.add_parcel(CODE, "A02")
    kiosk.jam("A02")
    type_code(qtbot, kiosk, CODE)
    wait_screen(qtbot, kiosk, "door_opening")
    qtbot.waitUntil(lambda: len(kiosk.sim.unlock_frames) == 1, timeout=WAIT_MS)
    door = kiosk.window.pages["door_open"]
    assert door.title.text() == "Opening door A02…"
    kiosk.clock.advance(10)  # the sensor never reports open
    wait_page(qtbot, kiosk, "error")
    error = kiosk.window.pages["error"]
    qtbot.waitUntil(lambda: error.title.text() == "Door A02 did not open", timeout=WAIT_MS)
    assert error.primary.label_text() == "Try the door again"
    click(qtbot, error.primary)
    qtbot.waitUntil(lambda: len(kiosk.sim.unlock_frames) == 2, timeout=WAIT_MS)
    kiosk.clock.advance(10)
    qtbot.waitUntil(lambda: page(kiosk) == "error" and error.primary.label_text() == "Done",
                    timeout=WAIT_MS)
    assert "reported the fault" in error.body.text()


def test_half_typed_code_is_cleared_on_timeout_with_a_countdown(qtbot, kiosk) -> None:
    click(qtbot, kiosk.window.pages["idle"].type_code)
    wait_page(qtbot, kiosk, "code_entry")
    entry = kiosk.window.pages["code_entry"]
    for digit in "1234":
        click(qtbot, entry.keypad.keys[digit])
    qtbot.waitUntil(lambda: entry.digits == "1234", timeout=WAIT_MS)
    kiosk.clock.advance(kiosk.flow.settings.code_entry_timeout_s - 5)
    countdown = kiosk.window.countdown
    qtbot.waitUntil(countdown.isVisible, timeout=WAIT_MS)
    assert countdown.seconds <= 5
    assert "Back to the start in" in countdown.label.text()
    kiosk.clock.advance(6)
    wait_page(qtbot, kiosk, "idle")
    assert not countdown.isVisible()
    assert entry.display.text() == "···· ····"
    click(qtbot, kiosk.window.pages["idle"].type_code)
    wait_page(qtbot, kiosk, "code_entry")
    assert entry.digits == ""


def test_an_expired_parcels_code_reads_as_a_wrong_one_then_english_after_the_timeout(
        qtbot, kiosk) -> None:
    """A known code that opens nothing tells nothing a wrong code would not: the customer
    of an expired parcel sees the wrong-code screen with the help contact."""
    from datetime import UTC, datetime

    kiosk.add_parcel(CODE, "A01", ParcelState.EXPIRED,
                     pickup_deadline=datetime(2026, 11, 20, 18, 0, tzinfo=UTC))
    click(qtbot, kiosk.window.pages["idle"].languages.buttons["ru"])
    type_code(qtbot, kiosk, CODE)
    wait_page(qtbot, kiosk, "error")
    error = kiosk.window.pages["error"]
    assert error.title.text() == "Мы не нашли такой код"
    assert "20 ноября 2026" not in error.body.text()
    assert "+1 555 0100" in error.help.text()
    kiosk.clock.advance(kiosk.flow.settings.error_timeout_s + 1)
    wait_page(qtbot, kiosk, "idle")
    # The next customer starts in the default language after the attract screen waits.
    kiosk.window._deadline = 0.0
    qtbot.waitUntil(lambda: kiosk.window.languages.current == "en", timeout=WAIT_MS)
    QApplication.processEvents()
    assert kiosk.window.pages["idle"].type_code.label_text() == "Type your code"


def test_wrong_locker_names_the_right_one(qtbot, kiosk) -> None:
    kiosk.actions.submit_scan(f"XP1:L-0042:{CODE}")
    wait_page(qtbot, kiosk, "error")
    error = kiosk.window.pages["error"]
    assert error.title.text() == "Your parcel is in another locker"
    assert "Central Station, hall B (L-0042)" in error.body.text()


def test_the_screen_answers_while_the_flow_thread_is_busy(qtbot, kiosk) -> None:
    """A blocked flow thread (a slow board or database) never freezes the screen: touches
    are queued for the flow and UI pages still change."""
    import threading

    gate = threading.Event()
    kiosk.runner.call(gate.wait, 10)  # the flow thread is stuck in a long call
    try:
        idle = kiosk.window.pages["idle"]
        click(qtbot, idle.type_code)  # queued behind the long call; returns at once
        assert page(kiosk) == "idle"
        click(qtbot, idle.show_camera)  # a UI page still opens
        assert page(kiosk) == "scan"
        click(qtbot, kiosk.window.pages["scan"].back)
        assert page(kiosk) == "idle"
    finally:
        gate.set()
    wait_page(qtbot, kiosk, "code_entry")  # the queued touch reaches the flow afterwards


def test_one_wrong_digit_is_fixed_and_a_damaged_parcel_reported(qtbot, kiosk) -> None:
    kiosk.add_parcel(CODE, "B03")
    assert kiosk.window.help_line.isVisible()  # the help contact on the attract screen
    assert kiosk.window.help_line.text() == "Help: +1 555 0100 · expresspoint.example/help"
    type_code(qtbot, kiosk, CODE[:-1] + "0")
    wait_screen(qtbot, kiosk, "unknown_code")
    error = kiosk.window.pages["error"]
    assert "4 more wrong codes before a short pause." in error.body.text()
    assert error.help.isVisible()
    click(qtbot, error.primary)  # try again: the typed digits come back
    wait_page(qtbot, kiosk, "code_entry")
    entry = kiosk.window.pages["code_entry"]
    qtbot.waitUntil(lambda: entry.digits == CODE[:-1] + "0", timeout=WAIT_MS)
    assert kiosk.window.help_line.isVisible()
    click(qtbot, entry.keypad.keys["backspace"])
    click(qtbot, entry.keypad.keys[CODE[-1]])
    qtbot.waitUntil(lambda: entry.digits == CODE, timeout=WAIT_MS)
    click(qtbot, entry.submit)
    wait_screen(qtbot, kiosk, "door_open")
    door = kiosk.window.pages["door_open"]
    assert door.problem_toggle.isVisible()
    click(qtbot, door.problem_toggle)
    assert door.problem_panel.isVisible() and not door.door_area.isVisible()
    click(qtbot, door.problems[DoorProblem.parcel_damaged])
    wait_screen(qtbot, kiosk, "problem_reported")
    assert error.title.text() == "Thank you: we were told your parcel is damaged"
    reference = error.view.problem_reference
    assert reference and reference in error.body.text()
    with kiosk.cache.read() as session:
        events = [e for e in session.exec(select(c.OutboxEvent))
                  if e.type == "parcel.reported_damaged"]
    assert len(events) == 1 and events[0].compartment_id == "B03"
    kiosk.close_door("B03")
    # Once the door has closed, the report's screen stays to be read, then goes home.
    qtbot.waitUntil(lambda: "compartment.closed" in _outbox_types(kiosk), timeout=WAIT_MS)
    assert page(kiosk) == "error"
    kiosk.clock.advance(kiosk.flow.settings.error_timeout_s + 1)
    wait_page(qtbot, kiosk, "idle")


def _outbox_types(k: LiveKiosk) -> list[str]:
    with k.cache.read() as session:
        return [str(e.type) for e in session.exec(select(c.OutboxEvent))]
