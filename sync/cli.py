"""Subcommands of the sync room: `expresspoint central ...` and `expresspoint sync ...`."""

from __future__ import annotations

import argparse
import importlib

_PARTS = ("sync.central.cli", "sync.worker_cli")


def register(subparsers: argparse._SubParsersAction) -> None:
    for name in _PARTS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name not in (name, name.rsplit(".", 1)[0]):
                raise
            continue
        module.register(subparsers)
