"""Subcommands of the kiosk room: `kiosk`, `demo`, `hash-pin` and the scanner checks."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    kiosk = subparsers.add_parser("kiosk", help="run the kiosk (touchscreen UI, lock board)")
    kiosk.add_argument("--config", required=True, type=Path, help="kiosk TOML file")
    kiosk.add_argument("--check", action="store_true",
                       help="validate the config and exit (0 when it is valid)")
    kiosk.add_argument("--size", help="window size instead of full screen, e.g. 1280x800")
    kiosk.set_defaults(func=run_kiosk)

    demo = subparsers.add_parser(
        "demo", help="central service + simulated lock board + sync worker + kiosk UI")
    from kiosk.demo import add_arguments, run

    add_arguments(demo)
    demo.set_defaults(func=run)

    pin = subparsers.add_parser("hash-pin", help="make a technician PIN hash for the config")
    pin.add_argument("--pin-stdin", action="store_true", help="read the PIN from stdin")
    pin.set_defaults(func=run_hash_pin)

    from kiosk.scanning import cli as scanning_cli

    scanning_cli.register(subparsers)


def run_kiosk(args: argparse.Namespace) -> int:
    from kiosk.app import KioskApp, KioskStartError, has_display
    from kiosk.config import load_config
    from kiosk.config_checks import central_problem, port_problem, token_file_problem
    from sync.settings import ConfigError

    try:
        config = load_config(args.config)
        token = config.central.read_token(config.source)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        checks = (port_problem(config), central_problem(config, token), token_file_problem(config))
        problems = [p for p in checks if p]
        for problem in problems:
            print(f"warning: {problem}", file=sys.stderr)
        print(f"{config.source}: {'valid, with warnings' if problems else 'ok'} "
              f"({len(config.compartments())} compartments, "
              f"{config.board.protocol} on {config.board.port})")
        return 1 if problems else 0
    for warning in (port_problem(config), token_file_problem(config)):
        if warning:
            # The kiosk starts anyway (out of service until the port appears).
            logging.getLogger(__name__).warning("%s", warning)
    if not has_display():
        print("error: no display: run under the cage compositor (see docs/install.md) or "
              "set QT_QPA_PLATFORM", file=sys.stderr)
        return 2
    app = KioskApp(config)
    try:
        app.build_window()
    except KioskStartError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    size = tuple(int(v) for v in args.size.split("x")) if args.size else None
    return app.run(size=size)  # type: ignore[arg-type]


def run_hash_pin(args: argparse.Namespace) -> int:
    from contract.codes import MalformedCode, make_pin_record

    if args.pin_stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("PIN: ")
        if getpass.getpass("PIN again: ") != pin:
            print("error: the two PINs differ", file=sys.stderr)
            return 2
    try:
        print(make_pin_record(pin))
    except MalformedCode as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
