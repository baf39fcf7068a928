"""A hand-held scanner on a serial port opens a door through the whole kiosk app."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest

from kiosk.app import KioskApp
from kiosk.config import ScannerSection
from kiosk.demo_world import DemoWorld

pytestmark = [pytest.mark.integration, pytest.mark.ui]


def test_a_code_from_a_serial_scanner_opens_the_door(qtbot, tmp_path: Path) -> None:
    master, slave = os.openpty()
    with DemoWorld(tmp_path / "demo", auto_close_s=None, kdf_n=1024,
                   sync_worker=False) as world:
        assert world.config is not None
        config = dataclasses.replace(
            world.config, scanner=ScannerSection(device=f"serial:{os.ttyname(slave)}"))
        app = KioskApp(config)
        window = app.build_window()
        qtbot.addWidget(window)
        try:
            parcel = next(p for p in world.parcels if p.state == "stored")
            assert parcel.compartment_id is not None
            board, lock = world.address(parcel.compartment_id)
            assert world.sim is not None
            qtbot.waitUntil(lambda: app.scanner.state.status == "running", timeout=10_000)
            os.write(master, (parcel.qr_payload + "\r\n").encode())
            deadline = time.monotonic() + 20
            while world.sim.command(f"fired {board} {lock}").strip() != "1":
                assert time.monotonic() < deadline, "the door never fired"
                qtbot.wait(100)
            qtbot.waitUntil(lambda: str(getattr(window.current_page.view, "screen", ""))
                            == "door_open", timeout=10_000)
        finally:
            window.close()
            app.close()
            os.close(master)
            os.close(slave)
