"""The code-entry screen and its keypad, driven by clicks as a customer would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.ui.widgets.keypad import group_code

pytestmark = pytest.mark.ui


def test_group_code_shows_typed_digits_then_placeholders() -> None:
    assert group_code("") == "···· ····"
    assert group_code("123456") == "1234 56··"
    assert group_code("123456789") == "1234 5678"


def test_typing_a_code_and_submitting_it(qtbot, window, actions) -> None:
    window.show_page("code_entry")
    page = window.pages["code_entry"]
    assert not page.submit.isEnabled()
    for digit in "1234567":
        qtbot.mouseClick(page.keypad.keys[digit], Qt.MouseButton.LeftButton)
    assert page.display.text() == "1234 567·"
    qtbot.mouseClick(page.keypad.keys["backspace"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.keypad.keys["9"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.keypad.keys["0"], Qt.MouseButton.LeftButton)
    assert page.display.text() == "1234 5690"
    # A ninth digit is ignored: codes have eight.
    qtbot.mouseClick(page.keypad.keys["5"], Qt.MouseButton.LeftButton)
    assert page.submit.isEnabled()
    qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
    assert actions.calls[-1] == ("submit_code", ("12345690",))
    # The code is not left on screen once it was sent.
    assert page.display.text() == "···· ····"


def test_clear_and_hardware_keys(qtbot, window, actions) -> None:
    window.show_page("code_entry")
    page = window.pages["code_entry"]
    qtbot.keyClicks(page, "4321")
    assert page.digits == "4321"
    qtbot.keyClick(page, Qt.Key.Key_Backspace)
    assert page.digits == "432"
    qtbot.mouseClick(page.keypad.keys["clear"], Qt.MouseButton.LeftButton)
    assert page.digits == ""
    qtbot.keyClicks(page, "87654321")
    qtbot.keyClick(page, Qt.Key.Key_Return)
    assert actions.calls[-1] == ("submit_code", ("87654321",))


def test_attract_screen_buttons(qtbot, window, actions) -> None:
    idle = window.pages["idle"]
    assert window.current_page is idle
    qtbot.mouseClick(idle.type_code, Qt.MouseButton.LeftButton)
    assert actions.names() == ["start_code_entry"]
    qtbot.mouseClick(idle.show_camera, Qt.MouseButton.LeftButton)
    assert window.current_page.name == "scan"
