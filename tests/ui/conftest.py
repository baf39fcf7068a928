"""Fixtures for the kiosk UI tests (pytest-qt, offscreen platform)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from kiosk.ui.app import build_main_window
from kiosk.ui.main_window import MainWindow
from kiosk.ui.settings import UiSettings


@dataclass
class RecordedActions:
    """PickupActions that record what the screens asked for (for screen-only tests)."""

    calls: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    def start_code_entry(self) -> None:
        self.calls.append(("start_code_entry", ()))

    def submit_code(self, text: str) -> None:
        self.calls.append(("submit_code", (text,)))

    def submit_scan(self, text: str) -> None:
        self.calls.append(("submit_scan", (text,)))

    def reopen(self) -> None:
        self.calls.append(("reopen", ()))

    def retry_door(self) -> None:
        self.calls.append(("retry_door", ()))

    def cancel(self) -> None:
        self.calls.append(("cancel", ()))

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


@pytest.fixture
def actions() -> RecordedActions:
    return RecordedActions()


@pytest.fixture
def ui_settings() -> UiSettings:
    return UiSettings(fullscreen=False, hide_cursor=False)


@pytest.fixture
def window(qtbot, actions, ui_settings) -> MainWindow:
    win = build_main_window(actions, ui_settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.set_language("en")
