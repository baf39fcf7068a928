"""Window behaviour: the delayed working state, UI-page timeouts, the offline badge."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.flows.pickup_view import PickupScreen, PickupView
from kiosk.ui.app import build_main_window
from kiosk.ui.settings import UiSettings

pytestmark = pytest.mark.ui


def test_working_screen_only_after_300_ms_and_taps_are_held_meanwhile(qtbot, window,
                                                                      actions) -> None:
    window.show_view(PickupView(screen=PickupScreen.code_entry, entry="12345678"))
    entry = window.pages["code_entry"]
    # A quick answer: the working screen never flashes up.
    window.show_view(PickupView(screen=PickupScreen.checking))
    assert window.current_page is entry
    # A second tap on "Open my door" lands on the shield, so it cannot submit twice.
    where = entry.submit.mapTo(window, entry.submit.rect().center())
    target = window.childAt(where)
    assert target is window.shield
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=window.shield.mapFrom(window, where))
    assert ("submit_code", ()) not in actions.calls
    window.show_view(PickupView(screen=PickupScreen.unknown_code))
    assert window.current_page.name == "error"
    assert not window.shield.isVisible()
    qtbot.wait(400)
    assert window.current_page.name == "error"
    # A slow answer: after 300 ms the customer sees that the kiosk is working.
    window.show_view(PickupView(screen=PickupScreen.checking))
    qtbot.waitUntil(lambda: window.current_page.name == "checking", timeout=2000)


def test_a_ui_page_times_out_to_the_attract_screen_with_a_countdown(qtbot, actions) -> None:
    settings = UiSettings(fullscreen=False, hide_cursor=False, screen_timeout_s=1.5,
                          countdown_s=1)
    win = build_main_window(actions, settings)
    qtbot.addWidget(win)
    win.resize(800, 480)
    win.show()
    qtbot.mouseClick(win.pages["idle"].show_camera, Qt.MouseButton.LeftButton)
    assert win.current_page.name == "scan"
    qtbot.waitUntil(win.countdown.isVisible, timeout=3000)
    assert win.countdown.seconds == 1
    qtbot.waitUntil(lambda: win.current_page.name == "idle", timeout=3000)
    assert not win.countdown.isVisible()
    assert ("cancel", ()) in actions.calls


def test_touching_the_screen_restarts_the_timeout(qtbot, actions) -> None:
    settings = UiSettings(fullscreen=False, hide_cursor=False, screen_timeout_s=1.0)
    win = build_main_window(actions, settings)
    qtbot.addWidget(win)
    win.show()
    win.show_page("scan")
    for _ in range(3):
        qtbot.wait(600)
        qtbot.mouseClick(win.pages["scan"], Qt.MouseButton.LeftButton)
    assert win.current_page.name == "scan"


def test_the_offline_badge_never_blocks_a_touch(qtbot, window, actions) -> None:
    window.show_view(PickupView(screen=PickupScreen.idle, offline=True))
    badge = window.offline_badge
    assert badge.isVisible()
    assert badge.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    qtbot.mouseClick(window.pages["idle"].type_code, Qt.MouseButton.LeftButton)
    assert actions.names() == ["start_code_entry"]
    window.show_view(PickupView(screen=PickupScreen.idle, offline=False))
    assert not badge.isVisible()


def test_the_camera_test_times_out_back_to_the_technician_map(qtbot, actions, modes) -> None:
    settings = UiSettings(fullscreen=False, hide_cursor=False, screen_timeout_s=0.5)
    win = build_main_window(actions, settings, modes=modes)
    qtbot.addWidget(win)
    win.show()
    win.show_page("camera_test")
    qtbot.waitUntil(lambda: win.current_page.name == "technician_map", timeout=3000)
    assert ("cancel", ()) not in actions.calls  # the customer flow is not touched
