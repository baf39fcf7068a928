"""Which page renders which flow screen id."""

from __future__ import annotations

from kiosk.ui.main_window import MainWindow
from kiosk.ui.screens.base import ScreenContext
from kiosk.ui.screens.code_entry import CodeEntryScreen
from kiosk.ui.screens.idle import IdleScreen
from kiosk.ui.screens.scan import ScanScreen


def add_pickup_pages(window: MainWindow, ctx: ScreenContext) -> None:
    idle = IdleScreen(ctx)
    idle.language_chosen.connect(window.set_language)
    idle.service_requested.connect(window.service_requested)
    window.add_page(idle, ("idle",))
    window.add_page(ScanScreen(ctx), ("scan",))
    window.add_page(CodeEntryScreen(ctx), ("code_entry",))
