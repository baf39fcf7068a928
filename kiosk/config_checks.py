"""Checks of a valid config against the machine: is the board's port there, does the
central service know this locker and its token, is the token file private?

They are warnings, not start-up errors: an appliance must come up (and serve what it
can) with the USB cable out or the network down. `expresspoint kiosk --check` prints
them and fails; the kiosk logs the port one at start.
"""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.config import KioskConfig


def token_file_problem(config: KioskConfig) -> str | None:
    """The device token file readable by other users than its owner."""
    return config.central.token_file_warning(config.source)


def port_problem(config: KioskConfig) -> str | None:
    port = config.board.port
    if "://" in port:
        return None  # socket:// bridges and other URLs are tried by the driver itself
    where = f"{config.source}: board.port"
    path = Path(port)
    if not path.exists():
        return (f"{where}: {port} does not exist: check the lock board's USB cable and "
                "the udev rule (docs/lock-boards.md, Wiring)")
    if not os.access(path, os.R_OK | os.W_OK):
        return (f"{where}: {port} is not readable and writable by this user: add the "
                "user to the dialout group")
    return None


def central_problem(config: KioskConfig, token: str, timeout_s: float = 5.0) -> str | None:
    import requests

    url = f"{config.central.url.rstrip('/')}/v1/lockers/{config.locker.id}"
    try:
        answer = requests.get(url, headers={"Authorization": f"Bearer {token}"},
                              timeout=timeout_s)
    except requests.RequestException as exc:
        return (f"{config.source}: central.url: {config.central.url} cannot be reached "
                f"({type(exc).__name__}): check the address and the network; the kiosk "
                "works offline meanwhile")
    if answer.status_code == 401:
        return (f"{config.source}: central.token_file: the central service refused the "
                "device token: install a valid one (docs/runbook.md, rotating the token)")
    if answer.status_code == 403:
        return (f"{config.source}: locker.id: the token belongs to another locker than "
                f"{config.locker.id!r}: fix the id or the token")
    if answer.status_code == 404:
        return (f"{config.source}: locker.id: the central service does not know locker "
                f"{config.locker.id!r}: register it there first")
    if answer.status_code >= 400:
        return (f"{config.source}: central.url: the central service answered "
                f"{answer.status_code}: check its log")
    return None
