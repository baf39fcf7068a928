"""Which page renders which flow screen id."""

from __future__ import annotations

from kiosk.flows.pickup_view import PickupScreen
from kiosk.ui.main_window import MainWindow
from kiosk.ui.screens.base import ScreenContext
from kiosk.ui.screens.checking import CheckingScreen
from kiosk.ui.screens.code_entry import CodeEntryScreen
from kiosk.ui.screens.done import DoneScreen
from kiosk.ui.screens.door_open import DoorOpenScreen
from kiosk.ui.screens.errors import ERROR_SCREENS, ErrorScreen
from kiosk.ui.screens.idle import IdleScreen
from kiosk.ui.screens.out_of_service import OutOfServiceScreen
from kiosk.ui.screens.scan import ScanScreen


def add_pickup_pages(window: MainWindow, ctx: ScreenContext) -> None:
    idle = IdleScreen(ctx)
    idle.language_chosen.connect(window.set_language)
    idle.service_requested.connect(window.service_requested)
    window.add_page(idle, (PickupScreen.idle,))
    window.add_page(ScanScreen(ctx), ())
    window.add_page(CodeEntryScreen(ctx), (PickupScreen.code_entry,))
    window.add_page(CheckingScreen(ctx), (PickupScreen.checking,))
    window.add_page(
        DoorOpenScreen(ctx),
        (PickupScreen.door_opening, PickupScreen.door_open, PickupScreen.door_left_open),
    )
    window.add_page(DoneScreen(ctx), (PickupScreen.done,))
    window.add_page(ErrorScreen(ctx), ERROR_SCREENS)
    window.add_page(OutOfServiceScreen(ctx), (PickupScreen.out_of_service,))
