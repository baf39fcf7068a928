"""Entry points for the app wiring: build the kiosk window, run the Qt event loop.

    window = build_main_window(actions, settings, frame_source=pipeline.latest_frame)
    runner = FlowRunner(flow, on_view=window.bridge.deliver)   # any thread may deliver
    run_ui(window)

`actions` is anything with the PickupActions methods; `RunnerActions(runner, flow)`
sends each call to the FlowRunner's worker thread.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.ui.actions import PickupActions
from kiosk.ui.bridge import ViewBridge
from kiosk.ui.language import LanguageSwitcher
from kiosk.ui.main_window import MainWindow
from kiosk.ui.modes import KioskModes
from kiosk.ui.qt_check import check_bindings
from kiosk.ui.screens.base import ScreenContext
from kiosk.ui.screens.registry import add_pickup_pages, add_staff_pages
from kiosk.ui.settings import UiSettings
from kiosk.ui.sounds import TonePlayer
from kiosk.ui.speech import Speaker
from kiosk.ui.widgets.camera_preview import FrameSource

log = logging.getLogger(__name__)


def ensure_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, created once."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    return app  # type: ignore[return-value]


def build_main_window(
    actions: PickupActions,
    settings: UiSettings | None = None,
    frame_source: FrameSource | None = None,
    bridge: ViewBridge | None = None,
    modes: KioskModes | None = None,
    scan_stats: Callable[[], Any] | None = None,
) -> MainWindow:
    """Create the kiosk window with every pickup screen, and the courier and technician
    screens when `modes` offers those visits.

    The window's `bridge` (a ViewBridge) takes views from any thread: pass
    `window.bridge.deliver` as the FlowRunner's `on_view` callback, or make the bridge
    first (`ViewBridge()`), hand its `deliver` to the runner and pass it in here.
    """
    ensure_application()
    check_bindings()
    settings = settings or UiSettings()
    ctx = ScreenContext(settings=settings, actions=actions, frame_source=frame_source,
                        modes=modes, scan_stats=scan_stats)
    languages = LanguageSwitcher()
    window = MainWindow(ctx, languages)
    languages.setParent(window)
    add_pickup_pages(window, ctx)
    add_staff_pages(window, ctx)
    if bridge is None:
        bridge = ViewBridge()
    bridge.setParent(window)
    bridge.view_ready.connect(window.show_view, Qt.ConnectionType.QueuedConnection)
    bridge.online_changed.connect(
        lambda online: window.set_offline(not online), Qt.ConnectionType.QueuedConnection
    )
    window.bridge = bridge  # type: ignore[attr-defined]
    if settings.sounds:
        window.tones = TonePlayer()
        window.speaker = Speaker()  # heard only in the accessibility mode
    if settings.default_language != languages.current:
        languages.set_language(settings.default_language)
    return window


def run_ui(
    window: MainWindow,
    size: tuple[int, int] | None = None,
    heartbeat: Callable[[], None] | None = None,
    heartbeat_ms: int = 5000,
) -> int:
    """Show the window (full screen and frameless unless `size` is given) and run Qt.

    `heartbeat` runs on the GUI thread every `heartbeat_ms` (the systemd watchdog ping):
    a frozen event loop stops the pings, so systemd restarts the kiosk.
    """
    app = ensure_application()
    if heartbeat is not None:
        timer = QTimer(window)
        timer.setInterval(heartbeat_ms)
        timer.timeout.connect(heartbeat)
        timer.start()
    if size is not None:
        window.resize(*size)
        window.show()
    elif window.settings.fullscreen:
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        window.showFullScreen()
    else:
        window.show()
    if window.settings.hide_cursor:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
    log.info("kiosk UI running at %dx%d", window.width(), window.height())
    return app.exec()
