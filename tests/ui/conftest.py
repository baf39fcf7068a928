"""Fixtures for the kiosk UI tests (pytest-qt, offscreen platform)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kiosk.ui.app import build_main_window
from kiosk.ui.main_window import MainWindow
from kiosk.ui.settings import UiSettings
from tests.ui.live import LiveKiosk


@dataclass
class RecordedActions:
    """PickupActions that record what the screens asked for (for screen-only tests)."""

    calls: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    def _record(self, name: str, *args: str) -> None:
        self.calls.append((name, args))

    def start_code_entry(self) -> None:
        self._record("start_code_entry")

    def press_digit(self, digit: str) -> None:
        self._record("press_digit", digit)

    def backspace(self) -> None:
        self._record("backspace")

    def clear_entry(self) -> None:
        self._record("clear_entry")

    def submit_code(self, text: str | None = None) -> None:
        self._record("submit_code", *(() if text is None else (text,)))

    def submit_scan(self, text: str) -> None:
        self._record("submit_scan", text)

    def reopen(self) -> None:
        self._record("reopen")

    def retry_door(self) -> None:
        self._record("retry_door")

    def next_door(self) -> None:
        self._record("next_door")

    def retry_entry(self) -> None:
        self._record("retry_entry")

    def report_problem(self, problem: str) -> None:
        self._record("report_problem", problem)

    def cancel(self) -> None:
        self._record("cancel")

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


@dataclass
class RecordedModes:
    """KioskModes for screen-only tests: every visit is available, calls are recorded."""

    calls: list[tuple[str, tuple[object, ...]]] = field(default_factory=list)

    def available(self, mode: object) -> bool:
        return True

    def enter(self, mode: object) -> None:
        self.calls.append(("enter", (str(mode),)))

    def to_customer(self) -> None:
        self.calls.append(("to_customer", ()))

    def call(self, name: str, *args: object) -> None:
        self.calls.append((name, args))

    def submit_scan(self, text: str) -> None:
        self.calls.append(("submit_scan", (text,)))


@pytest.fixture
def modes() -> RecordedModes:
    return RecordedModes()


@pytest.fixture
def actions() -> RecordedActions:
    return RecordedActions()


@pytest.fixture
def ui_settings() -> UiSettings:
    return UiSettings(fullscreen=False, hide_cursor=False, technician_ids=("T01", "T02"))


@pytest.fixture
def window(qtbot, actions, ui_settings, modes) -> MainWindow:
    win = build_main_window(actions, ui_settings, modes=modes)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.set_language("en")


@pytest.fixture
def kiosk_factory(qtbot, tmp_path):
    """Build live kiosks (see tests/ui/live.py); each is stopped after the test."""
    from tests.ui.live import LiveKiosk

    made = []

    def make(**kwargs):
        k = LiveKiosk(tmp_path / f"k{len(made)}", **kwargs)
        qtbot.addWidget(k.window)
        k.window.resize(1280, 800)
        k.window.show()
        k.start()
        made.append(k)
        return k

    yield make
    for k in made:
        k.stop()


@pytest.fixture
def kiosk(qtbot: Any, tmp_path: Path) -> Iterator[LiveKiosk]:
    """A live kiosk window on the real flows, cache and simulated board."""
    k = LiveKiosk(tmp_path)
    qtbot.addWidget(k.window)
    k.window.resize(1280, 800)
    k.window.show()
    k.start()
    yield k
    k.stop()
    k.window.set_language("en")
