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


def cells(out: str) -> list[list[str]]:
    """The rows of every table the script printed, as lists of stripped cells."""
    return [[c.strip() for c in line.split("|")[1:-1]] for line in out.splitlines()
            if line.startswith("| ")]


def test_scan_to_unlock_prints_every_decoder_and_kdf() -> None:
    out = run_bench("scan_to_unlock.py", "--parcels", "200", "--frames", "2",
                    "--kdf-n", "16384,1024", "--app-frames", "2")
    assert out.startswith("# scan -> last unlock byte at the board")
    first_table = {(r[0], r[1]): r for r in cells(out.split("each part's share")[0])}
    for decoder in ("auto (zxing)", "pyzbar", "opencv", "auto[qr] (zxing)"):
        for kdf in ("n=16384 (prod)", "n=1024"):
            assert (decoder, kdf) in first_table, out
    # zxing reads the generated scan frames: its rows hold timed scans, not "0/2".
    assert first_table[("auto (zxing)", "n=16384 (prod)")][2] == "2/2", out
    assert "pyzbar / auto (zxing)" in out
    # The scans through the kiosk's own threads reached the board too.
    app = out.split("in the app's threads")[1]
    assert cells(app)[1][0] == "2/2", out


def test_kiosk_start_reaches_the_first_screen() -> None:
    out = run_bench("kiosk_start.py", "--runs", "1", "--import-repeat", "1")
    assert out.startswith("# kiosk cold start to first screen")
    rows = {r[0]: r for r in cells(out)}
    for variant in ("python interpreter", "bare PySide6 window", "kiosk, camera off",
                    "kiosk, camera on (file)"):
        assert variant in rows, out
    # The kiosk's own first-screen log line was found and parsed.
    assert rows["kiosk, camera off"][4].isdigit(), out
    # The central service's web stack, the operator's HTTP client and the QR drawing
    # library stay out of the kiosk process.
    for library in ("fastapi", "uvicorn", "requests", "qrcode"):
        assert rows[library][2] == "no", out
