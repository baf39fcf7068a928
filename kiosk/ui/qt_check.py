"""Start-up check of the Qt bindings the kiosk depends on.

PySide6 6.12.0 returns None from void methods (setText, update, QPainter.drawRect, ...)
without taking a reference, so every call lowers None's reference count by one. A kiosk
makes thousands of such calls a minute and dies after a few seconds of use with
"Fatal Python error: none_dealloc". pyproject.toml excludes that release; this check
stops start-up with a clear message if a broken build is installed anyway.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject


class BrokenQtBindings(RuntimeError):
    """The installed PySide6 would crash the kiosk; the message says what to install."""


def none_refcount_drift(calls: int = 200) -> int:
    """How much None's reference count changes over `calls` void binding calls (0 = ok)."""
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(calls):
        probe.setObjectName("probe")
    return sys.getrefcount(None) - before


def check_bindings() -> None:
    drift = none_refcount_drift()
    if drift < -100:
        import PySide6

        raise BrokenQtBindings(
            f"PySide6 {PySide6.__version__} loses a reference to None on every void call "
            f"({drift} over 200 calls) and would crash the kiosk within seconds. "
            "Install another release: .venv/bin/pip install 'PySide6-Essentials!=6.12.0'"
        )
