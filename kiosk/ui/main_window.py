"""The kiosk window: a header strip, the screen stack, timeouts and the working state.

Flow views arrive through `show_view` (queued from the FlowRunner thread by the
ViewBridge). The window picks the page for the view's screen id and lets it render;
it never calls the flow itself, only the `PickupActions` the screens are given.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.flows.views import FlowKind, FlowView
from kiosk.ui import theme
from kiosk.ui.language import LanguageSwitcher
from kiosk.ui.screens.base import Screen, ScreenContext
from kiosk.ui.settings import UiSettings
from kiosk.ui.sounds import Tone, TonePlaying
from kiosk.ui.widgets.countdown import Countdown
from kiosk.ui.widgets.offline_badge import OfflineBadge

log = logging.getLogger(__name__)

# Flow screens that sound a tone when they appear.
SUCCESS_TONE = frozenset({
    (FlowKind.pickup, "door_open"), (FlowKind.courier, "deposit_open"),
    (FlowKind.courier, "collect_open"),
})
ERROR_TONE_PAGES = frozenset({"error"})
WORKING_SCREEN = "checking"
IDLE_SCREEN = "idle"
# Customer pages that carry the help line at the bottom (the error page has the contact
# in its own text; staff pages have no use for it).
HELP_PAGES = frozenset({"idle", "scan", "code_entry", "checking", "door_open", "done",
                        "out_of_service"})


class BrandLabel(QLabel):
    """The locker name in the top-left corner; also the hidden technician tap zone."""

    tapped = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.tapped.emit()
        super().mousePressEvent(event)


class InputShield(QWidget):
    """Covers the window while an answer is pending, so a second tap cannot double-submit.

    It is transparent: the previous screen stays visible until the working screen is due.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.hide()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        event.accept()


class MainWindow(QWidget):
    """Full-screen, frameless kiosk window.

    Signals: `service_requested` (courier / service entrance on the attract screen),
    `technician_requested` (the hidden gesture: several quick taps on the locker name).
    """

    service_requested = Signal()
    technician_requested = Signal()
    page_changed = Signal(str)
    large_text_changed = Signal(bool)
    accessible_changed = Signal(bool)

    def __init__(self, ctx: ScreenContext, languages: LanguageSwitcher | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.settings: UiSettings = ctx.settings
        self.setObjectName("main_window")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowTitle("ExpressPoint")
        self.languages = languages or LanguageSwitcher(self)

        self.brand = BrandLabel(self)
        self.brand.setObjectName("brand")
        self.brand.setProperty("role", "small")
        self.countdown = Countdown(self)
        self.offline_badge = OfflineBadge(self)
        self.header = QWidget(self)
        header = self._header_layout = QHBoxLayout(self.header)
        header.addWidget(self.brand, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addStretch(1)
        header.addWidget(self.offline_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        # The countdown lies over the top of the screen (placed in _place_countdown), so
        # it appearing never moves the keypad or the buttons underneath.
        self.stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # The window size is the screen's; content that does not fit is a layout bug the
        # clipping tests catch, not a reason to grow past the screen.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        self.help_line = QLabel(self)
        self.help_line.setObjectName("help_line")
        self.help_line.setProperty("role", "small")
        self.help_line.setTextFormat(Qt.TextFormat.PlainText)
        self.help_line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.help_line)
        self.shield = InputShield(self)

        self.pages: dict[str, Screen] = {}
        self._screen_to_page: dict[tuple[FlowKind, str], str] = {}
        self._current: Screen | None = None
        self._metrics = theme.Metrics.for_size(1920, 1080)
        self._style_key: tuple[int, int, bool] | None = None
        self.large_text = False
        # Accessibility mode: larger text and every screen read out (kiosk.ui.speech).
        self.accessible = False
        self.speaker: Any = None
        self._last_spoken = ""

        self._working_timer = QTimer(self)
        self._working_timer.setSingleShot(True)
        self._working_timer.timeout.connect(self._show_working)
        self._pending_view: Any = None
        self.last_screen = IDLE_SCREEN
        self.tones: TonePlaying | None = None

        self._deadline: float | None = None
        self._flow_countdown: int | None = None
        self._tone_key: tuple[FlowKind, str] | None = None
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        self._taps: list[float] = []
        self.brand.tapped.connect(self._on_brand_tap)
        app = QApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication before the kiosk window")
        app.installEventFilter(self)
        self._retranslate()

    # --- pages ----------------------------------------------------------------------
    def add_page(self, page: Screen, screen_ids: tuple[str, ...] = (),
                 flow: FlowKind = FlowKind.pickup) -> None:
        """Add a page; it renders the `screen_ids` of the views of `flow`. Adding a page
        again only routes more screen ids to it."""
        for sid in screen_ids:
            self._screen_to_page[(FlowKind(flow), str(sid))] = page.name
        if self.pages.get(page.name) is page:
            return
        self.pages[page.name] = page
        self.stack.addWidget(page)
        page.navigate.connect(self.show_page)
        page.apply_metrics(self._metrics)
        if self._current is None:
            self._set_page(page)

    @property
    def current_page(self) -> Screen | None:
        return self._current

    def show_page(self, name: str, view: Any = None) -> None:
        """Show a page by name (UI-only pages such as "scan" are shown this way)."""
        page = self.pages[name]
        if view is not None:
            page.show_view(view)
        self._set_page(page)

    def _set_page(self, page: Screen) -> None:
        if page is not self._current:
            if self._current is not None:
                self._current.on_leave()
            self._current = page
            self.stack.setCurrentWidget(page)
            page.setFocus()
            page.on_enter()
            self._show_help_line()
            QTimer.singleShot(0, self.speak_current)  # once the page has laid out
            self.page_changed.emit(page.name)
        self._restart_timeout()

    # --- views from the flow --------------------------------------------------------
    def show_view(self, view: FlowView) -> None:
        """Render a flow view (GUI thread; the bridge delivers it queued)."""
        self.set_offline(view.offline)
        sid = str(view.screen)
        flow = view.flow
        self.last_screen = sid
        if view.ended:
            # The visit is over; the runner has gone back to the customer flow, whose
            # idle view follows.
            self._working_timer.stop()
            self._show_shield(False)
            self.show_page(IDLE_SCREEN)
            return
        if flow is FlowKind.pickup and sid == WORKING_SCREEN:
            # The working screen appears only if the answer takes longer than the delay;
            # until then the current screen stays, shielded from a second tap.
            self._pending_view = view
            self._flow_countdown = None
            self.countdown.hide()
            self._show_shield(True)
            if not self._working_timer.isActive():
                self._working_timer.start(self.settings.working_delay_ms)
            return
        self._working_timer.stop()
        self._pending_view = None
        self._show_shield(False)
        name = self._screen_to_page.get((flow, sid))
        if name is None:
            log.error("no page renders %s screen %r; showing the attract screen", flow, sid)
            name = IDLE_SCREEN
        if name == IDLE_SCREEN and self._current is not None and self._current.over_idle:
            # A UI page on top of the attract screen (camera view) stays while the flow
            # is idle; it has its own timeout.
            self.pages[IDLE_SCREEN].show_view(view)
            return
        page = self.pages[name]
        page.show_view(view)
        previous = (self._tone_key, self._current)
        self._set_page(page)
        self._sound((flow, sid), page, previous)
        QTimer.singleShot(0, self.speak_current)  # a no-op unless the words changed
        self._flow_countdown = view.timeout_remaining_s
        if page.timeout == "flow":
            self._show_countdown(self._flow_countdown)

    def _sound(self, key: tuple[FlowKind, str], page: Screen, previous: tuple[Any, Any]
               ) -> None:
        """A tone when a door has just opened or an error has just appeared."""
        self._tone_key = key
        if self.tones is None or previous[0] == key:
            return
        if key in SUCCESS_TONE:
            self.tones.play(Tone.success)
        elif page.name in ERROR_TONE_PAGES:
            self.tones.play(Tone.error)

    def _show_working(self) -> None:
        name = self._screen_to_page.get((FlowKind.pickup, WORKING_SCREEN))
        if name is None or self._pending_view is None:
            return
        page = self.pages[name]
        page.show_view(self._pending_view)
        self._set_page(page)

    def _show_shield(self, on: bool) -> None:
        self.shield.setGeometry(self.rect())
        self.shield.setVisible(on)
        if on:
            self.shield.raise_()

    def set_offline(self, offline: bool) -> None:
        self.offline_badge.setVisible(offline)

    # --- timeouts -------------------------------------------------------------------
    # Flow pages time out in the flow (it clears typed digits and sends the idle view);
    # the window times out only its own UI pages, and resets the language on the
    # attract screen after a while so the next customer starts in the default one.
    def _timeout_s(self) -> float | None:
        page = self._current
        if page is None or page.timeout == "flow":
            return None
        if page.timeout == "none":
            if self.languages.current == self.settings.default_language \
                    and not self.large_text and not self.accessible:
                return None
            return self.settings.screen_timeout_s
        return self.settings.screen_timeout_s

    def _restart_timeout(self) -> None:
        seconds = self._timeout_s()
        self._deadline = None if seconds is None else time.monotonic() + seconds
        # Shown again by the next tick (UI pages) or right after by show_view (flow pages).
        self.countdown.hide()

    def seconds_left(self) -> float | None:
        return None if self._deadline is None else max(0.0, self._deadline - time.monotonic())

    def _on_tick(self) -> None:
        left = self.seconds_left()
        if left is None:
            return
        if left <= 0:
            self.time_out()
        elif left <= self.settings.countdown_s and self._current is not None and \
                self._current.timeout != "none":
            self._show_countdown(int(left + 0.999))

    def _show_countdown(self, seconds: int | None) -> None:
        if seconds is None:
            self.countdown.hide()
            return
        if self.countdown.seconds != seconds or not self.countdown.isVisible():
            self.countdown.set_seconds(seconds)
            self.countdown.show()
            self._place_countdown()

    def _place_countdown(self) -> None:
        m = self._metrics
        width = min(self.width() - 2 * m.margin, max(m.px(760), self.width() // 2))
        self.countdown.setFixedWidth(width)
        height = self.countdown.heightForWidth(width) if \
            self.countdown.hasHeightForWidth() else self.countdown.sizeHint().height()
        height = max(height, self.countdown.sizeHint().height())
        self.countdown.setGeometry((self.width() - width) // 2, m.px(6), width, height)
        self.countdown.raise_()

    def time_out(self) -> None:
        """A UI page ran out of time: back to the attract screen, default language."""
        page = self._current
        self._deadline = None
        self.countdown.hide()
        if page is not None:
            page.on_timeout()
            log.info("screen %s timed out", page.name)
        back_to = page.timeout_page if page is not None else IDLE_SCREEN
        if back_to != IDLE_SCREEN:
            # A staff UI page (camera test) goes back to its own flow's page; the staff
            # flow's session timeout ends the visit.
            self.show_page(back_to)
            return
        if page is not None and page.name != IDLE_SCREEN:
            self.show_page(IDLE_SCREEN)
            self.ctx.actions.cancel()
        self.languages.set_language(self.settings.default_language)
        self.set_large_text(False)
        self.set_accessible(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.TouchBegin,
            QEvent.Type.KeyPress,
        ) and self._deadline is not None:
            self._restart_timeout()
        return False

    # --- technician gesture ---------------------------------------------------------
    def _on_brand_tap(self) -> None:
        now = time.monotonic()
        window = self.settings.technician_tap_window_s
        self._taps = [t for t in self._taps if now - t <= window] + [now]
        if len(self._taps) >= self.settings.technician_taps:
            self._taps.clear()
            self.technician_requested.emit()

    # --- language and metrics -------------------------------------------------------
    def set_large_text(self, on: bool) -> None:
        """The attract screen's large-text toggle: every size grows by 15 %."""
        if on != self.large_text:
            self.large_text = on
            self._apply_style(force=True)
            self.large_text_changed.emit(on)
            self._restart_timeout()

    def set_accessible(self, on: bool) -> None:
        """Accessibility mode: the larger text, and each screen's words spoken in the
        chosen language (off the GUI thread) while it is on."""
        if on != self.accessible:
            self.accessible = on
            self.set_large_text(on)
            self.accessible_changed.emit(on)
            self._last_spoken = ""
            self._restart_timeout()
            self.speak_current()

    def toggle_accessible(self) -> None:
        self.set_accessible(not self.accessible)

    def spoken_text(self) -> str:
        """What the current screen says, read in screen order: its title and text."""
        page = self._current
        if page is None:
            return ""
        parts = []
        for label in page.findChildren(QLabel):
            if label.isVisibleTo(page) and label.property("role") in (
                    "title", "body", "door") and label.text().strip():
                parts.append((label.mapTo(page, label.rect().topLeft()).y(),
                              label.mapTo(page, label.rect().topLeft()).x(),
                              label.text().strip()))
        texts = [t for _, _, t in sorted(parts)]
        return ". ".join(t.rstrip(".") for t in texts) + ("." if texts else "")

    def speak_current(self) -> None:
        if not self.accessible or self.speaker is None:
            return
        text = self.spoken_text()
        if text and text != self._last_spoken:
            self._last_spoken = text
            self.speaker.say(text, self.languages.current)

    def toggle_large_text(self) -> None:
        self.set_large_text(not self.large_text)

    def set_language(self, code: str) -> None:
        self.languages.set_language(code)

    def support_contact(self) -> str:
        s = self.settings
        return " · ".join(part for part in (s.support_phone, s.support_site) if part)

    def _show_help_line(self) -> None:
        contact = self.support_contact()
        page = self._current.name if self._current is not None else IDLE_SCREEN
        self.help_line.setVisible(bool(contact) and page in HELP_PAGES)

    def _retranslate(self) -> None:
        self.brand.setText(self.settings.locker_name)
        self.help_line.setText(self.tr("Help: %1").replace("%1", self.support_contact()))
        self._show_help_line()
        self.offline_badge.retranslate()
        self.countdown.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            QTimer.singleShot(0, self.speak_current)  # read out again, in the new one
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._apply_style()
        self.shield.setGeometry(self.rect())
        if self.countdown.isVisible():
            self._place_countdown()

    def _apply_style(self, force: bool = False) -> None:
        m = theme.Metrics.for_size(self.width(), self.height(), self.large_text)
        key = (m.width, m.height, self.large_text)
        if key == self._style_key and not force:
            return
        self._style_key = key
        self._metrics = m
        self.setStyleSheet(theme.style_sheet(m))
        self._header_layout.setContentsMargins(m.margin, m.px(10), m.margin, 0)
        self.header.setMinimumHeight(max(44, m.px(64)))
        self.help_line.setContentsMargins(m.margin, 0, m.margin, m.px(8))
        self.offline_badge.apply_metrics(m.px(32))
        self.countdown.apply_metrics(m.px(32))
        for page in self.pages.values():
            page.apply_metrics(m)

    @property
    def metrics(self) -> theme.Metrics:
        return self._metrics
