"""A scripted customer pickup for `expresspoint demo --offscreen`.

It drives the real window the way a customer's finger would (taps on the keypad
buttons), while the demo world plays the customer's hands at the door. A screenshot of
each step goes to the given folder.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.app import KioskApp
from kiosk.demo_world import DemoWorld

STEP_TIMEOUT_S = 20.0


class ScriptFailed(RuntimeError):
    pass


def _wait(what: str, condition: Callable[[], bool], timeout_s: float = STEP_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise ScriptFailed(f"the kiosk did not reach: {what} (waited {timeout_s:.0f} s)")
        QTest.qWait(50)  # runs the Qt event loop while waiting


def run_scripted_pickup(world: DemoWorld, shots_dir: Path) -> list[Path]:
    assert world.config is not None
    shots_dir.mkdir(parents=True, exist_ok=True)
    parcel = next(p for p in world.parcels if p.compartment_id and p.state == "stored")
    app = KioskApp(world.config)
    window = app.build_window()
    window.resize(1280, 800)
    window.show()
    shots: list[Path] = []

    def page() -> str:
        current = window.current_page
        return current.name if current else ""

    def screen() -> str:
        current = window.current_page
        return str(getattr(getattr(current, "view", None), "screen", ""))

    def shot(name: str) -> None:
        QTest.qWait(200)
        path = shots_dir / f"{len(shots) + 1:02d}-{name}.png"
        window.grab().save(str(path))
        shots.append(path)

    def tap(widget: object) -> None:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[call-overload]

    try:
        _wait("the start screen", lambda: page() == "idle")
        shot("start")
        tap(window.pages["idle"].type_code)
        _wait("the keypad", lambda: page() == "code_entry")
        entry = window.pages["code_entry"]
        for digit in parcel.code:
            tap(entry.keypad.keys[digit])
        _wait("all digits typed", lambda: entry.digits == parcel.code)
        shot("code-typed")
        tap(entry.submit)
        _wait(f"door {parcel.compartment_id} open", lambda: screen() == "door_open")
        shot("door-open")
        assert parcel.compartment_id is not None
        world.door("empty", parcel.compartment_id)  # the customer takes the parcel
        world.door("close", parcel.compartment_id)  # ... and shuts the door
        _wait("the thank-you screen", lambda: page() == "done")
        shot("thank-you")
        tap(window.pages["done"].finish)
        _wait("the start screen again", lambda: page() == "idle")
        tap(window.pages["idle"].type_code)
        _wait("the keypad", lambda: page() == "code_entry")
        for digit in "12345678":
            tap(entry.keypad.keys[digit])
        _wait("all digits typed", lambda: entry.digits == "12345678")
        tap(entry.submit)
        _wait("the unknown-code screen", lambda: page() == "error", 5)
        shot("unknown-code")
    finally:
        window.close()
        app.close()
    return shots
