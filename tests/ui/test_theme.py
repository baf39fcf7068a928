"""Theme rules from ux.md: contrast >= 7:1, targets >= 60 px, visible pressed state."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from kiosk.ui import theme
from kiosk.ui.widgets.touch_button import TouchButton

pytestmark = pytest.mark.ui


@pytest.mark.parametrize("name", sorted(theme.TEXT_PAIRS))
def test_text_contrast_is_at_least_7_to_1(name: str) -> None:
    foreground, background = theme.TEXT_PAIRS[name]
    assert theme.contrast_ratio(foreground, background) >= 7.0


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert theme.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert theme.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("size", "target"), [((800, 480), 60), ((1280, 800), 80),
                                              ((1920, 1080), 92), ((1080, 1920), 92)])
def test_touch_targets_grow_with_the_screen(size: tuple[int, int], target: int) -> None:
    m = theme.Metrics.for_size(*size)
    assert m.target >= target
    assert m.target >= 60 and m.key >= m.target
    assert m.body >= (24 if min(size) >= 1080 else 17)
    assert m.heading >= (40 if min(size) >= 1080 else 29)


def test_every_button_shows_a_pressed_state(qtbot, window) -> None:
    """Pressing changes the button's pixels before release (feedback within the touch)."""
    checked = 0
    for page in window.pages.values():
        window.stack.setCurrentWidget(page)
        QApplication.processEvents()
        for button in page.findChildren(TouchButton):
            if not button.isVisibleTo(window) or not button.isEnabled():
                continue
            button.blockSignals(True)  # look only: the press must not act
            before = button.grab().toImage()
            qtbot.mousePress(button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
            pressed = button.grab().toImage()
            qtbot.mouseRelease(button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
            button.blockSignals(False)
            assert pressed != before, f"{page.name}/{button.objectName()} has no pressed look"
            checked += 1
    assert checked >= 20
