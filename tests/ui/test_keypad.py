"""The code-entry screen and its keypad, driven by clicks as a customer would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.flows.pickup_view import PickupScreen, PickupView
from kiosk.ui.widgets.keypad import group_code

pytestmark = pytest.mark.ui


def test_group_code_shows_typed_digits_then_placeholders() -> None:
    assert group_code("") == "···· ····"
    assert group_code("123456") == "1234 56··"
    assert group_code("123456789") == "1234 5678"


def test_keys_go_to_the_flow_and_the_screen_shows_its_entry(qtbot, window, actions) -> None:
    window.show_view(PickupView(screen=PickupScreen.code_entry))
    page = window.pages["code_entry"]
    assert window.current_page is page
    assert not page.submit.isEnabled()
    for key in ("1", "2", "backspace", "clear", "0"):
        qtbot.mouseClick(page.keypad.keys[key], Qt.MouseButton.LeftButton)
    assert actions.calls == [("press_digit", ("1",)), ("press_digit", ("2",)), ("backspace", ()),
                             ("clear_entry", ()), ("press_digit", ("0",))]
    window.show_view(PickupView(screen=PickupScreen.code_entry, entry="1234567"))
    assert page.display.text() == "1234 567·"
    assert not page.submit.isEnabled()
    window.show_view(PickupView(screen=PickupScreen.code_entry, entry="12345690"))
    assert page.display.text() == "1234 5690"
    assert page.submit.isEnabled()
    qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
    assert actions.calls[-1] == ("submit_code", ())


def test_hardware_keypad(qtbot, window, actions) -> None:
    window.show_view(PickupView(screen=PickupScreen.code_entry, entry="8765432"))
    page = window.pages["code_entry"]
    qtbot.keyClicks(page, "1")
    qtbot.keyClick(page, Qt.Key.Key_Backspace)
    qtbot.keyClick(page, Qt.Key.Key_Escape)
    assert actions.calls == [("press_digit", ("1",)), ("backspace", ()), ("cancel", ())]


def test_a_half_typed_code_leaves_the_screen_with_the_page(qtbot, window) -> None:
    window.show_view(PickupView(screen=PickupScreen.code_entry, entry="1234"))
    page = window.pages["code_entry"]
    window.show_view(PickupView(screen=PickupScreen.idle))
    assert page.display.text() == "···· ····"


def test_attract_screen_buttons(qtbot, window, actions) -> None:
    idle = window.pages["idle"]
    assert window.current_page is idle
    qtbot.mouseClick(idle.type_code, Qt.MouseButton.LeftButton)
    assert actions.names() == ["start_code_entry"]
    qtbot.mouseClick(idle.show_camera, Qt.MouseButton.LeftButton)
    assert window.current_page.name == "scan"
    # The flow stays idle underneath: its idle views do not pull the camera page away.
    window.show_view(PickupView(screen=PickupScreen.idle, offline=True))
    assert window.current_page.name == "scan"
    assert window.offline_badge.isVisible()
    qtbot.mouseClick(window.pages["scan"].back, Qt.MouseButton.LeftButton)
    assert window.current_page is idle


def test_a_hardware_keypad_digit_on_the_attract_screen_starts_code_entry(qtbot, window,
                                                                        actions) -> None:
    idle = window.pages["idle"]
    qtbot.keyClicks(idle, "4")
    assert actions.calls == [("start_code_entry", ()), ("press_digit", ("4",))]


def test_tab_and_enter_work_the_buttons_without_a_touch_screen(qtbot, window, actions) -> None:
    window.show_view(PickupView(screen=PickupScreen.unknown_code))
    page = window.pages["error"]
    page.primary.setFocus()  # where Tab from the page lands on the main action
    qtbot.keyClick(page.primary, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: ("start_code_entry", ()) in actions.calls, timeout=2000)
    # Tab order follows the screen: the secondary action comes before the primary one.
    page.setFocus()
    focused = []
    for _ in range(2):
        page.focusNextChild()
        focused.append(window.focusWidget().objectName())
    assert focused == ["secondary", "primary"]
