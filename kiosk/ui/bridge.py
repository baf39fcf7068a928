"""Carries flow views from the FlowRunner's worker thread to the GUI thread.

The runner calls `deliver(view)` on its own thread; the signal is connected with a
queued connection, so the slot runs later on the GUI thread's event loop.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal


class ViewBridge(QObject):
    view_ready = Signal(object)
    online_changed = Signal(bool)

    def deliver(self, view: Any) -> None:
        """Thread-safe: emit from any thread; receivers on the GUI thread get it queued."""
        self.view_ready.emit(view)

    def set_online(self, online: bool) -> None:
        self.online_changed.emit(online)
