"""The base of every screen: shared layout pieces, metrics and retranslation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget

from kiosk.ui.actions import PickupActions
from kiosk.ui.modes import KioskModes
from kiosk.ui.settings import UiSettings
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.camera_preview import FrameSource
from kiosk.ui.widgets.status_icon import IconKind, StatusIcon
from kiosk.ui.widgets.touch_button import TouchButton


@dataclass
class ScreenContext:
    """What every screen may use: settings, the flow actions and the camera frames."""

    settings: UiSettings
    actions: PickupActions
    frame_source: FrameSource | None = None
    # Courier and technician visits; None on a kiosk set up for customers only.
    modes: KioskModes | None = None
    # The scan pipeline's statistics, for the technician's camera test.
    scan_stats: Callable[[], Any] | None = None


def make_label(role: str, parent: QWidget, text: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setProperty("role", role)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class Screen(QWidget):
    """A page of the stack.

    `timeout` says who sends the page back to the attract screen: "flow" (the flow's own
    timeout; its view carries the countdown), "input" (a UI-only page: the window's
    inactivity timer) or "none" (the attract screen itself).
    """

    name = "screen"
    timeout = "flow"
    # A UI-only page shown over the attract screen while the flow stays idle.
    over_idle = False
    # Where a UI-only page goes when the window's inactivity timer runs out.
    timeout_page = "idle"
    # Ask the main window to show a UI-only page (for example "scan" or "service").
    navigate = Signal(str)

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"screen_{self.name}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.metrics = Metrics.for_size(1920, 1080)
        self.view: Any = None
        # The page itself holds focus when shown, so no button wears a focus frame until
        # a hardware keypad's Tab moves to it.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # --- hooks for subclasses -------------------------------------------------------
    def retranslate(self) -> None:
        """Set every visible string; called on construction and on LanguageChange."""

    def show_view(self, view: Any) -> None:
        """Render a flow view; the default keeps it for retranslation."""
        self.view = view
        self.retranslate()

    def on_enter(self) -> None:
        """The screen became the visible page."""

    def on_leave(self) -> None:
        """Another page is about to be shown."""

    def on_timeout(self) -> None:
        """The inactivity timer ran out while this page was shown (clear private data)."""

    def apply_metrics(self, m: Metrics) -> None:
        self.metrics = m
        for button in self.findChildren(TouchButton):
            if button.property("variant") == "key":
                continue
            button.set_min_height(m.target)
            button.set_padding(m.px(20), m.px(8))
        for icon in self.findChildren(StatusIcon):
            big = min(m.px(110), int(m.height * 0.13))
            icon.set_side(big if icon.property("big") else m.px(44))
        for child_layout in self.findChildren(QLayout):
            if child_layout.property("gapped"):
                child_layout.setSpacing(m.gap)
        outer = self.layout()
        if outer is not None:
            outer.setContentsMargins(m.margin, m.px(16), m.margin, m.margin)
            outer.setSpacing(m.px(24))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- layout helpers -----------------------------------------------------------
    def make_title_row(self, kind: IconKind | None) -> tuple[QHBoxLayout, QLabel, StatusIcon]:
        row = QHBoxLayout()
        row.setSpacing(16)
        icon = StatusIcon(kind or IconKind.INFO, self)
        icon.setProperty("big", True)
        icon.setVisible(kind is not None)
        title = make_label("title", self)
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(title, 1)
        return row, title, icon

    def add_collapsible(self, outer: QVBoxLayout, widget: QWidget) -> Callable[[bool], None]:
        """Add `widget` to take the page's free room; the returned call shows or hides
        it. While it is hidden a filler takes its room, so the title and text stay at
        the top instead of being spread over the page."""
        outer.addWidget(widget, 1)
        outer.addStretch(0)
        filler = outer.count() - 1

        def show(visible: bool) -> None:
            widget.setVisible(visible)
            outer.setStretch(filler, 0 if visible else 1)

        return show

    def make_actions_row(self, *buttons: TouchButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setProperty("gapped", True)
        for button in buttons:
            row.addWidget(button)
        return row
