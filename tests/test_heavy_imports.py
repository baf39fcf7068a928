"""Heavy libraries load where they are used, never through the command line's parser.

The sync worker's unit, the board commands and the appliance's small commands must not
pay for Qt, OpenCV, numpy or the web framework they never use (memory and start time on
a small kiosk box). Each case runs in a fresh interpreter and reads `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
QT = ("PySide6", "shiboken6")
VISION = ("cv2", "numpy", "zxingcpp", "pyzbar")
WEB = ("fastapi", "starlette", "uvicorn", "httptools", "uvloop", "psycopg")
EVERY_HEAVY = QT + VISION + WEB


def _loaded(code: str) -> list[str]:
    """Which heavy top-level packages are imported after running `code`."""
    probe = textwrap.dedent(code) + textwrap.dedent(f"""
        import json, sys
        print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & {set(EVERY_HEAVY)!r})))
    """)
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_building_the_parser_loads_nothing_heavy() -> None:
    assert _loaded("from kiosk.cli import build_parser; build_parser()") == []


COMMAND_LINES = [
    ["sync", "--config", "kiosk.toml"],
    ["board", "--help"],
    ["board", "sim", "--help"],
    ["hash-pin", "--pin-stdin"],
    ["central", "serve"],
    ["scan", "decoders"],
    ["kiosk", "--config", "kiosk.toml"],
]


def test_parsing_any_command_line_loads_nothing_heavy() -> None:
    """Each command line parsed in turn; the first that pulls a heavy library in is
    named with what it pulled."""
    code = f"""
        import contextlib, io, sys
        from kiosk.cli import build_parser
        heavy = {set(EVERY_HEAVY)!r}
        for argv in {COMMAND_LINES!r}:
            with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
                build_parser().parse_args(argv)
            now = {{m.split(".")[0] for m in sys.modules}} & heavy
            if now:
                print(argv, sorted(now), file=sys.stderr)
                raise SystemExit(3)
    """
    assert _loaded(code) == []


def test_the_sync_worker_loads_no_qt_vision_or_web_framework() -> None:
    code = """
        import sync.worker, sync.worker_cli, sync.client, sync.cache
        from sync.cache import Cache
    """
    assert _loaded(code) == []


def test_the_kiosk_flows_and_driver_load_no_qt_vision_or_web_framework() -> None:
    code = """
        import kiosk.flows.assembly, kiosk.config, locker_driver, locker_driver.sim
    """
    assert _loaded(code) == []


def test_the_probe_sees_a_heavy_import() -> None:
    """The checker itself: a module that pulls numpy in is reported."""
    assert _loaded("import numpy") == ["numpy"]
