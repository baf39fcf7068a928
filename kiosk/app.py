"""The kiosk process, assembled from one validated config.

    app = KioskApp(load_config(path))
    app.start()            # cache, lock bank, flows, scanner; no window yet
    window = app.build_window()
    app.run()              # Qt event loop until quit; then app.close()

Order matters for safety: the cache is opened (and migrated) first, the configured
layout is written into it, `locker.started` is recorded, and only then is the bank
opened and the flows started, so no door can open before the kiosk can record it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from kiosk.config import KioskConfig
from kiosk.flows.assembly import FlowSettings, KioskFlows
from kiosk.flows.technician_view import TechnicianSettings
from locker_driver import LockerBank
from sync import cache as c
from sync.cache.health import check_file, unusable_cache
from sync.sdnotify import SystemdNotifier

log = logging.getLogger(__name__)

VERSION = "0.1.0"


class KioskStartError(RuntimeError):
    """The kiosk cannot start; the message says what to fix."""


def flow_settings(config: KioskConfig) -> FlowSettings:
    """The flows' settings from the config: timeouts and limits, support contact, staff."""
    pickup = config.pickup
    if config.locker.support_contact and not pickup.support_contact:
        from dataclasses import replace

        pickup = replace(pickup, support_contact=config.locker.support_contact)
    summary = (
        ("locker", config.locker.id),
        ("central", config.central.url),
        ("board", f"{config.board.protocol} on {config.board.port}"),
        ("compartments", str(len(config.compartments()))),
        ("camera", config.camera.source if config.camera.enabled else "off"),
        ("config file", str(config.source)),
    )
    technician = TechnicianSettings(
        technicians=tuple((t.id, t.pin_hash) for t in config.technicians),
        software_version=VERSION,
        config_summary=summary,
    )
    return FlowSettings(pickup=pickup, courier=config.courier, technician=technician,
                        remote=config.remote)


@dataclass
class KioskApp:
    config: KioskConfig
    cache: c.Cache | None = None
    bank: LockerBank | None = None
    flows: KioskFlows | None = None
    pipeline: Any = None
    scanner: Any = None
    window: Any = None
    notifier: SystemdNotifier = field(default_factory=SystemdNotifier.from_environ)
    _bridge: Any = None

    # -- the parts that need no screen ---------------------------------------------

    def start(self, *, bridge: Any = None) -> KioskApp:
        """Open the cache and the board and start the flows. `bridge` takes views (the
        window's ViewBridge); without one, views are only logged."""
        cfg = self.config
        try:
            self.cache = self._open_cache()
        except KioskStartError:
            raise
        except Exception as exc:
            # A damaged file or a full disk: one line saying what to do, not a traceback
            # restarted every few seconds (docs/crash-safety.md).
            unusable = unusable_cache(cfg.database.path, exc, cfg.database.backup_dir)
            if unusable is not None:
                raise KioskStartError(str(unusable)) from exc
            if isinstance(exc, (c.MigrationFailed, c.CacheError, OSError)):
                raise KioskStartError(f"cache {cfg.database.path}: {exc}") from exc
            raise
        # The kiosk starts even when the board is unplugged: customers see the
        # out-of-service screen and the bank keeps trying the port.
        self.bank = LockerBank.open(cfg.bank_config(), require_port=False)
        self._bridge = bridge
        self.flows = KioskFlows(
            self.cache, self.bank, self._deliver, flow_settings(cfg),
            accessible=[s.id for s in cfg.compartments() if s.accessible],
            request_sync=self.request_sync,
        )
        self.flows.start()
        return self

    def _open_cache(self) -> c.Cache:
        """Check, open and migrate the cache, write the layout and `locker.started`."""
        cfg = self.config
        check_file(cfg.database.path, cfg.database.backup_dir)
        cache = c.Cache.open(cfg.database.path, backup_dir=cfg.database.backup_dir)
        specs = [c.CompartmentSpec(s.id, s.board, s.lock, s.size, s.column, s.row)
                 for s in cfg.compartments()]
        try:
            cache.replace_layout(specs)
        except c.LayoutConflict as exc:
            cache.close()
            raise KioskStartError(f"{cfg.source}: layout: {exc}") from exc
        cache.record_event(c.EventType.LOCKER_STARTED, data={"software_version": VERSION})
        return cache

    def _deliver(self, view: Any) -> None:
        # Runs on the flow runner's thread after every change of view, so also right
        # after it switches between the pickup flow and a courier or technician visit.
        if self.pipeline is not None and self.flows is not None:
            from kiosk.scanning import ScanPurpose  # loaded with the pipeline already

            customer = self.flows.runner.flow is self.flows.pickup
            self.pipeline.set_purpose(ScanPurpose.CUSTOMER if customer else ScanPurpose.STAFF)
        if self._bridge is not None:
            self._bridge.deliver(view)

    def request_sync(self) -> None:
        self.config.database.sync_request_path.touch()

    def start_camera(self, on_scan: Any) -> None:
        """Start the camera and decoder; `on_scan(ScanResult)` runs on the decode thread."""
        cam = self.config.camera
        if not cam.enabled or not cam.source:
            return
        from kiosk.scanning import ScanningError, ScanPipeline, ScanPurpose, make_decoder
        from kiosk.scanning.factory import frame_source_from_spec

        try:
            source = frame_source_from_spec(cam.source)
            # The start screen is the customers': QR codes only until a visit begins.
            self.pipeline = ScanPipeline(source, on_scan, purpose=ScanPurpose.CUSTOMER,
                                         decoders=partial(make_decoder, cam.decoder))
        except ScanningError as exc:
            # No camera is not a reason to stop: the keypad still works.
            log.error("camera %s not started: %s", cam.source, exc)
            return
        self.pipeline.start()

    def start_scanner(self, on_scan: Any) -> None:
        """Start the hand-held or built-in code scanner, if one is configured."""
        spec = self.config.scanner.device
        if not spec:
            return
        from kiosk.scanning import ScanningError
        from kiosk.scanning.factory import scanner_from_spec

        try:
            self.scanner = scanner_from_spec(spec, on_scan)
        except ScanningError as exc:
            log.error("scanner %s not started: %s", spec, exc)
            return
        # A scanner unplugged now is reopened by the source itself when it comes back.
        self.scanner.start()

    # -- the screen ----------------------------------------------------------------

    def build_window(self) -> Any:
        """Create the Qt window bound to the flows (creates the QApplication)."""
        from kiosk.scanning.qt_adapter import ScanSignals
        from kiosk.ui.actions import RunnerActions
        from kiosk.ui.app import build_main_window
        from kiosk.ui.bridge import ViewBridge
        from kiosk.ui.modes import KioskModes
        from kiosk.ui.settings import UiSettings

        bridge = ViewBridge()
        self.start(bridge=bridge)
        assert self.flows is not None
        cfg = self.config
        phone, _, site = cfg.locker.support_contact.partition("·")
        settings = UiSettings(
            support_phone=phone.strip(), support_site=site.strip(),
            locker_name=cfg.locker.name or cfg.locker.id,
            languages=tuple(cfg.ui.languages), default_language=cfg.ui.default_language,
            screen_timeout_s=cfg.ui.idle_timeout_s, fullscreen=cfg.ui.fullscreen,
            hide_cursor=cfg.ui.fullscreen,
            technician_ids=tuple(t.id for t in cfg.technicians),
            camera_side=cfg.camera.side,
            export_dir=cfg.ui.export_dir,
        )
        modes = KioskModes.for_flows(self.flows)
        signals = ScanSignals()
        self.start_camera(signals.on_scan)
        self.start_scanner(signals.on_scan)
        window = build_main_window(
            RunnerActions(self.flows.runner, self.flows.pickup), settings,
            frame_source=self.pipeline.latest_frame if self.pipeline else None,
            bridge=bridge, modes=modes,
            scan_stats=self.pipeline.stats if self.pipeline else None,
        )
        signals.setParent(window)

        # The active flow decides what a code means where it is.
        signals.scanned.connect(lambda result: modes.submit_scan(result.text))
        self.window = window
        return window

    def run(self, size: tuple[int, int] | None = None) -> int:
        from kiosk.ui.app import run_ui

        window = self.window or self.build_window()
        _log_first_paint(window)
        _quit_on_signals(window)
        self.notifier.ready("kiosk running")
        try:
            return run_ui(window, size=size, heartbeat=self._watchdog_ping,
                          heartbeat_ms=int((self.notifier.watchdog_interval_s or 5.0) * 1000))
        finally:
            self.close()

    def _watchdog_ping(self) -> None:
        # Runs on the GUI thread (a QTimer): a frozen event loop stops the pings.
        self.notifier.watchdog()

    def close(self) -> None:
        self.notifier.stopping()
        if self.pipeline is not None:
            self.pipeline.stop()
            self.pipeline = None
        if self.scanner is not None:
            self.scanner.stop()
            self.scanner = None
        if self.flows is not None:
            self.flows.stop()
            self.flows = None
        if self.bank is not None:
            self.bank.close()
            self.bank = None
        if self.cache is not None:
            self.cache.close()
            self.cache = None


def process_age_ms() -> float | None:
    """Milliseconds since this process started (Linux /proc, 10 ms resolution)."""
    try:
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime_s = float(Path("/proc/uptime").read_text().split()[0])
        return (uptime_s - int(stat[19]) / os.sysconf("SC_CLK_TCK")) * 1000
    except (OSError, ValueError, IndexError):
        return None


def _log_first_paint(window: Any) -> None:
    """Log once when the window has first been painted: the start-up time an operator
    (and bench/kiosk_start.py) reads from the journal."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                # Logged on the next loop turn, once this paint has reached the screen.
                QTimer.singleShot(0, self.report)
            return False

        def report(self) -> None:
            age = process_age_ms()
            log.info("first screen shown after %s ms",
                     "?" if age is None else f"{age:.0f}")
            self.deleteLater()

    window.installEventFilter(FirstPaint(window))


def _quit_on_signals(window: Any) -> None:
    """SIGTERM (systemd stop) and SIGINT (Ctrl-C) end the event loop, so close() runs:
    the bus finishes its transaction, the cache is closed. Python only runs a signal
    handler between bytecodes, so a short timer gives it a chance while Qt waits; the
    default SIGINT handler would instead raise KeyboardInterrupt inside some slot."""
    import signal

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def quit_app(signum: int, _frame: object) -> None:
        log.info("signal %d: stopping the kiosk", signum)
        QApplication.quit()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, quit_app)
    wake = QTimer(window)
    wake.setInterval(200)
    wake.timeout.connect(lambda: None)
    wake.start()


def has_display() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform in ("offscreen", "minimal", "vnc") or platform.startswith(("eglfs", "linuxfb")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
