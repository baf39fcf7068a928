"""`expresspoint demo`: the whole product on one machine.

A seeded central service, a simulated lock bank on a pseudo-serial port, the sync
worker and the kiosk UI. On a machine without a display, `--offscreen` runs a scripted
pickup instead and saves a screenshot of each step.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from kiosk.demo_world import TECHNICIAN, DemoError, DemoWorld

log = logging.getLogger(__name__)

CONSOLE_HELP = """\
Doors close by themselves a few seconds after they open (--auto-close). Or type here:
  close A01 | open A01 (by hand: a forced opening) | jam A01 | unjam A01
  occupy A01 | empty A01 | quit"""


def print_banner(world: DemoWorld) -> None:
    seed = world.seed
    courier = seed["courier"]
    lines = [
        "",
        "ExpressPoint demo",
        f"  work folder      {world.workdir}",
        f"  central service  {world.central_url}  (operator token in "
        f"{world.tokens / 'operator.token'})",
        f"  operator console {world.central_url}/console/  (sign in as "
        f"{world.console_login[0]} / {world.console_login[1]})",
        f"  lock board       simulated Kerong CU16 x2 on {world.workdir / 'lock-board'}",
        f"  kiosk config     {world.config_path}",
        "",
        "Pickup codes (type on the keypad, or show the QR image to the camera):",
    ]
    for p in world.parcels:
        where = f"in {p.compartment_id}" if p.compartment_id else "not yet deposited"
        lines.append(f"  {p.code[:4]} {p.code[4:]}   {p.parcel_id}  size {p.size:<2}  "
                     f"{p.state:<9} {where:<18} QR: {p.qr_png}")
    lines += [
        "",
        f"Courier:     ID {courier['courier_id']}  PIN {courier['pin']}  "
        f"(badge QR: {world.workdir / 'qr' / 'courier-badge.png'}); parcels to deposit "
        "are the ones 'not yet deposited' (scan or type their barcode: "
        + ", ".join(p.barcode for p in world.parcels if not p.compartment_id) + ")",
        f"Technician:  ID {TECHNICIAN[0]}  PIN {TECHNICIAN[2]}  (tap the top-left corner "
        "of the start screen five times)",
        "",
    ]
    print("\n".join(lines), flush=True)


def console(world: DemoWorld, stop: threading.Event, quit_app: Any) -> None:
    """Stand-in for the physical world: close and open doors from the terminal."""
    print(CONSOLE_HELP, flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] in ("quit", "exit"):
            quit_app()
            return
        if len(words) != 2:
            print("? " + CONSOLE_HELP.splitlines()[-2].strip(), flush=True)
            continue
        try:
            world.door(words[0], words[1])
            print(f"ok: {words[0]} {words[1].upper()}", flush=True)
        except Exception as exc:  # a typo here must not end the demo
            print(f"? {exc}", flush=True)
        if stop.is_set():
            return


def run(args: argparse.Namespace) -> int:
    from kiosk.app import has_display

    if args.offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif not has_display():
        print("No display found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
              "Run `./scripts/demo --offscreen` to run a scripted pickup and save "
              "screenshots, or start the demo from a desktop session.", file=sys.stderr)
        return 2
    workdir = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="expresspoint-demo-"))
    world = DemoWorld(workdir, auto_close_s=None if args.offscreen else args.auto_close)
    try:
        world.start()
    except DemoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        print_banner(world)
        if args.offscreen:
            from kiosk.demo_script import run_scripted_pickup

            shots = run_scripted_pickup(world, workdir / "screenshots")
            print("Scripted pickup done; screenshots:")
            for shot in shots:
                print(f"  {shot}")
            return 0
        return _run_ui(world, args)
    finally:
        world.stop()


def _run_ui(world: DemoWorld, args: argparse.Namespace) -> int:
    from kiosk.app import KioskApp, KioskStartError

    assert world.config is not None
    app = KioskApp(world.config)
    try:
        window = app.build_window()
    except KioskStartError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()
    if sys.stdin is not None and sys.stdin.isatty():
        from PySide6.QtCore import QMetaObject, Qt

        def quit_app() -> None:
            QMetaObject.invokeMethod(window, "close", Qt.ConnectionType.QueuedConnection)

        threading.Thread(target=console, args=(world, stop, quit_app), daemon=True).start()
    size = tuple(int(v) for v in args.size.split("x")) if args.size else (1280, 800)
    try:
        return app.run(size=size)  # type: ignore[arg-type]
    finally:
        stop.set()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--offscreen", action="store_true",
                        help="no window: run a scripted pickup and save screenshots")
    parser.add_argument("--dir", help="work folder (default: a new temporary folder)")
    parser.add_argument("--auto-close", type=float, default=6.0, metavar="SECONDS",
                        help="close each opened door after this many seconds (0: never)")
    parser.add_argument("--size", default="1280x800", help="window size, e.g. 800x480")
