"""The scan-to-unlock and kiosk start-up benchmarks still run end to end at a tiny size.

Benchmarks print figures and are never judged on time; these tests only check that the
scripts work against the current code (real pty, real cache, real kiosk process) and
print their tables with a row for every variant.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

BENCH = Path(__file__).resolve().parents[2] / "bench"


def run_bench(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args], capture_output=True, text=True,
        timeout=100, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_scan_to_unlock_prints_every_decoder_and_kdf() -> None:
    out = run_bench("scan_to_unlock.py", "--parcels", "200", "--frames", "2",
                    "--kdf-n", "16384,1024")
    assert out.startswith("# scan -> last unlock byte at the board")
    for row in ("| auto (zxing) | n=16384 (prod)", "| pyzbar       | n=1024",
                "| opencv       | n=16384 (prod)"):
        assert row in out, out
    # zxing reads the clean-ish scan frames: the row has timed scans, not "0/2".
    zxing = next(line for line in out.splitlines() if line.startswith("| auto (zxing)"))
    assert "| 2/2 " in zxing, zxing
    assert "pyzbar / auto (zxing)" in out


def test_kiosk_start_reaches_the_first_screen() -> None:
    out = run_bench("kiosk_start.py", "--runs", "1", "--import-repeat", "1")
    assert out.startswith("# kiosk cold start to first screen")
    rows = {line.split("|")[1].strip(): line for line in out.splitlines()
            if line.startswith("| ")}
    for variant in ("python interpreter", "bare PySide6 window", "kiosk, camera off",
                    "kiosk, camera on (file)"):
        assert variant in rows, out
    # The kiosk's own first-screen log line was found and parsed.
    assert rows["kiosk, camera off"].split("|")[5].strip().isdigit(), out
    # The central service's web stack stays out of the kiosk process.
    assert "| fastapi " in out and rows["fastapi"].split("|")[3].strip() == "no", out
