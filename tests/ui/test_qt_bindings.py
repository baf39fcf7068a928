"""The Qt bindings must not corrupt reference counts (PySide6 6.12.0 does, and crashes)."""

from __future__ import annotations

import pytest

from kiosk.ui.qt_check import check_bindings, none_refcount_drift

pytestmark = pytest.mark.ui


def test_void_calls_keep_none_alive(qapp) -> None:
    # A few thousand void calls are a minute of kiosk use; a broken binding would have
    # lowered None's count by as many and crashed the process.
    assert abs(none_refcount_drift(5000)) < 50
    check_bindings()
