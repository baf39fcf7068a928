"""The one-command demo, end to end: real central service, simulated board process,
sync worker process and the kiosk window (offscreen), driven by taps."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from central.operator_client import OperatorClient
from kiosk.demo_world import DemoWorld

pytestmark = [pytest.mark.integration, pytest.mark.ui]


def test_scripted_pickup_reaches_the_central_service(qapp, tmp_path: Path) -> None:
    from kiosk.demo_script import run_scripted_pickup

    with DemoWorld(tmp_path / "demo", auto_close_s=None, kdf_n=1024) as world:
        shots = run_scripted_pickup(world, tmp_path / "shots")
        assert [s.name for s in shots] == [
            "01-start.png", "02-code-typed.png", "03-door-open.png", "04-thank-you.png",
            "05-unknown-code.png",
        ]
        assert all(s.stat().st_size > 5000 for s in shots)
        picked = next(p for p in world.parcels if p.compartment_id and p.state == "stored")
        # The door really fired once on the simulated board, and is shut again.
        board, lock = world.address(picked.compartment_id or "")
        assert world.sim is not None
        assert world.sim.command(f"fired {board} {lock}").strip() == "1"

        operator = OperatorClient(world.central_url,
                                  (world.tokens / "operator.token").read_text().strip())
        locker_id = world.seed["lockers"][0]["locker_id"]
        deadline = time.monotonic() + 30
        types: list[str] = []
        while time.monotonic() < deadline:
            events = list(operator.iter_events(locker_id))
            types = [e.type for e in events]
            if "parcel.picked_up" in types and "code.denied" in types:
                break
            time.sleep(0.3)
        operator.close()
        assert "locker.started" in types
        assert types.count("parcel.picked_up") == 1
        picked_event = next(e for e in events if e.type == "parcel.picked_up")
        assert picked_event.parcel_id == picked.parcel_id
        assert "code.denied" in types


def test_kiosk_check_validates_the_config(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    example = Path(__file__).resolve().parents[2] / "config" / "example.toml"
    token = tmp_path / "token"
    config.write_text(example.read_text().replace("/etc/expresspoint/device-token", str(token)))
    run = [sys.executable, "-m", "kiosk", "kiosk", "--config", str(config), "--check"]
    missing = subprocess.run(run, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2
    assert "central.token_file" in missing.stderr and "does not exist" in missing.stderr
    token.write_text("a-device-token\n")
    # A valid file on a machine without the board and without the central service.
    warned = subprocess.run(run, capture_output=True, text=True, timeout=60)
    assert warned.returncode == 1, warned.stderr
    assert "12 compartments" in warned.stdout and "valid, with warnings" in warned.stdout
    lines = [line for line in warned.stderr.splitlines() if line.startswith("warning:")]
    assert lines[0].startswith(f"warning: {config}: board.port: /dev/serial/by-id/")
    assert "does not exist" in lines[0]
    assert lines[1].startswith(f"warning: {config}: central.url: https://central.example.com")
    assert "a-device-token" not in warned.stdout + warned.stderr


def test_kiosk_check_against_the_real_board_and_central_service(tmp_path: Path) -> None:
    with DemoWorld(tmp_path / "demo", auto_close_s=None, kdf_n=1024,
                   sync_worker=False) as world:
        run = [sys.executable, "-m", "kiosk", "kiosk", "--config", str(world.config_path),
               "--check"]
        ok = subprocess.run(run, capture_output=True, text=True, timeout=60)
        assert ok.returncode == 0, ok.stderr
        assert ": ok (18 compartments, cu16 on" in ok.stdout
        token_file = world.tokens / f"{world.seed['lockers'][0]['locker_id']}.token"
        token_file.write_text("not-the-token\n")
        refused = subprocess.run(run, capture_output=True, text=True, timeout=60)
        assert refused.returncode == 1
        assert "central.token_file: the central service refused the device token" in (
            refused.stderr)
