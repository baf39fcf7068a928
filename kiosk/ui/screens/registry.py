"""Which page renders which flow screen id, for each flow."""

from __future__ import annotations

from kiosk.flows.courier_view import CourierScreen
from kiosk.flows.pickup_view import PickupScreen
from kiosk.flows.technician_view import TechnicianScreen
from kiosk.flows.views import FlowKind
from kiosk.ui.main_window import MainWindow
from kiosk.ui.screens.base import ScreenContext
from kiosk.ui.screens.camera_test import CameraTestScreen
from kiosk.ui.screens.checking import CheckingScreen
from kiosk.ui.screens.code_entry import CodeEntryScreen
from kiosk.ui.screens.courier_check import CheckResultScreen
from kiosk.ui.screens.courier_collect import COLLECT_SCREENS, CollectScreen
from kiosk.ui.screens.courier_deposit import DEPOSIT_SCREENS, DepositScreen
from kiosk.ui.screens.courier_menu import CourierMenuScreen
from kiosk.ui.screens.done import DoneScreen
from kiosk.ui.screens.door_open import DoorOpenScreen
from kiosk.ui.screens.errors import ERROR_SCREENS, ErrorScreen
from kiosk.ui.screens.idle import IdleScreen
from kiosk.ui.screens.out_of_service import OutOfServiceScreen
from kiosk.ui.screens.scan import ScanScreen
from kiosk.ui.screens.staff_login import CourierLoginScreen, TechnicianLoginScreen
from kiosk.ui.screens.staff_message import StaffOutOfServiceScreen
from kiosk.ui.screens.technician_doors import DOOR_SCREENS, TechnicianDoorsScreen
from kiosk.ui.screens.technician_info import INFO_SCREENS, TechnicianInfoScreen
from kiosk.ui.screens.technician_map import TechnicianMapScreen

LOGIN = ("login", "login_failed", "locked_out")


def add_pickup_pages(window: MainWindow, ctx: ScreenContext) -> None:
    idle = IdleScreen(ctx)
    idle.language_chosen.connect(window.set_language)
    idle.service_requested.connect(window.service_requested)
    idle.large_text_toggled.connect(window.toggle_large_text)
    window.large_text_changed.connect(idle.show_large_text)
    idle.accessible_toggled.connect(window.toggle_accessible)
    window.accessible_changed.connect(idle.show_accessible)
    # The chosen language's button is marked (filled), not only its words changed.
    window.languages.language_changed.connect(idle.languages.set_current)
    window.add_page(idle, (PickupScreen.idle,))
    window.add_page(ScanScreen(ctx))
    window.add_page(CodeEntryScreen(ctx), (PickupScreen.code_entry,))
    window.add_page(CheckingScreen(ctx), (PickupScreen.checking,))
    window.add_page(
        DoorOpenScreen(ctx),
        (PickupScreen.door_opening, PickupScreen.door_open, PickupScreen.door_left_open),
    )
    window.add_page(DoneScreen(ctx), (PickupScreen.done,))
    window.add_page(ErrorScreen(ctx), ERROR_SCREENS)
    window.add_page(OutOfServiceScreen(ctx), (PickupScreen.out_of_service,))


def add_staff_pages(window: MainWindow, ctx: ScreenContext) -> None:
    """Courier and technician pages, and the entrances to them, when the kiosk has them."""
    modes = ctx.modes
    idle = window.pages["idle"]
    courier = modes is not None and modes.available(FlowKind.courier)
    technician = modes is not None and modes.available(FlowKind.technician)
    idle.service.setVisible(courier)  # type: ignore[attr-defined]
    out_of_service = StaffOutOfServiceScreen(ctx)
    window.add_page(out_of_service, (CourierScreen.out_of_service, CourierScreen.not_ready),
                    flow=FlowKind.courier)
    if courier:
        assert modes is not None
        window.service_requested.connect(lambda: modes.enter(FlowKind.courier))
        window.add_page(CourierLoginScreen(ctx), LOGIN, flow=FlowKind.courier)
        window.add_page(CourierMenuScreen(ctx), (CourierScreen.menu,), flow=FlowKind.courier)
        window.add_page(DepositScreen(ctx), DEPOSIT_SCREENS, flow=FlowKind.courier)
        window.add_page(CollectScreen(ctx), COLLECT_SCREENS, flow=FlowKind.courier)
        window.add_page(CheckResultScreen(ctx), (CourierScreen.check_result,),
                        flow=FlowKind.courier)
    if technician:
        assert modes is not None
        window.technician_requested.connect(lambda: modes.enter(FlowKind.technician))
        window.add_page(TechnicianLoginScreen(ctx), LOGIN, flow=FlowKind.technician)
        window.add_page(TechnicianMapScreen(ctx), (TechnicianScreen.map,), flow=FlowKind.technician)
        window.add_page(TechnicianDoorsScreen(ctx), DOOR_SCREENS, flow=FlowKind.technician)
        window.add_page(TechnicianInfoScreen(ctx), INFO_SCREENS, flow=FlowKind.technician)
        window.add_page(CameraTestScreen(ctx))
        # The out-of-service page serves both staff flows.
        window.add_page(out_of_service, (TechnicianScreen.out_of_service,),
                        flow=FlowKind.technician)
