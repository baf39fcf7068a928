"""The `expresspoint` console script.

Each room contributes its own subcommands through a `register(subparsers)` function, so
this module only assembles them; it holds no command logic of its own.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

# Modules that expose `register(subparsers)`. A room that is not importable (for
# example a missing optional system library) must not take the other commands down.
COMMAND_MODULES: tuple[str, ...] = (
    "locker_driver.cli",
    "sync.worker_cli",
    "central.cli",
    "kiosk.app_cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="expresspoint",
        description="ExpressPoint parcel locker: kiosk, lock boards, cache sync, central service.",
    )
    parser.add_argument(
        "--log-level",
        default="INFO",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="logging level (default: INFO)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


class JournalFormatter(logging.Formatter):
    """Lines for journald: a `<N>` syslog priority prefix (journald reads it, so
    `journalctl -p warning` works) and no timestamp (the journal adds its own)."""

    PRIORITY = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3,
                logging.CRITICAL: 2}

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        priority = self.PRIORITY.get(record.levelno, 6)
        # Every line of a multi-line message (a traceback) keeps the priority.
        return "\n".join(f"<{priority}>{line}" for line in super().format(record).split("\n"))


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    # systemd sets JOURNAL_STREAM when stderr is connected to the journal.
    if os.environ.get("JOURNAL_STREAM"):
        handler.setFormatter(JournalFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=getattr(logging, level), handlers=[handler])


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.log_level)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
