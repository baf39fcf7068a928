"""Diagnostics read-outs: bus scan, raw frame log, sync status, export result.

One page with a title, a summary line, a table and "back to the map"; what fills them
depends on the technician screen shown.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.flows.technician_view import TechnicianScreen, TechnicianView
from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.status_icon import IconKind
from kiosk.ui.widgets.table import TouchTable
from kiosk.ui.widgets.touch_button import TouchButton

INFO_SCREENS = (
    TechnicianScreen.bus_scan, TechnicianScreen.frame_log, TechnicianScreen.sync_status,
    TechnicianScreen.export_done, TechnicianScreen.export_failed,
)


def _when(at: datetime | None) -> str:
    if at is None:
        return "—"
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class TechnicianInfoScreen(Screen):
    name = "technician_info"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        title_row, self.title, self.icon = self.make_title_row(IconKind.INFO)
        self.body = make_label("body", self)
        self.body.setObjectName("info_body")
        self.table = TouchTable(self)
        self.table.setObjectName("info_table")
        self.extra = TouchButton("", "secondary", self)
        self.extra.setObjectName("extra")
        self.back = TouchButton("", "primary", self)
        self.back.setObjectName("back_to_map")
        outer.addLayout(title_row)
        outer.addWidget(self.body)
        self._show_table = self.add_collapsible(outer, self.table)
        row = self.make_actions_row(self.extra, self.back)
        row.setStretch(0, 1)
        row.setStretch(1, 1)
        outer.addLayout(row)
        self._extra = ""
        self.back.clicked.connect(lambda: self._call("show_map"))
        self.extra.clicked.connect(lambda: self._call(self._extra))
        self.retranslate()

    def _call(self, name: str) -> None:
        if name and self.ctx.modes is not None:
            self.ctx.modes.call(name)

    def retranslate(self) -> None:
        view: TechnicianView | None = self.view
        screen = view.screen if view is not None else TechnicianScreen.bus_scan
        self.back.setText(self.tr("Back to the map"))
        self.extra.setVisible(False)
        rows: list[tuple[str, ...]] = []
        if screen is TechnicianScreen.bus_scan:
            self.icon.set_kind(IconKind.TOOLS)
            boards = view.boards if view is not None else ()
            answered = sum(b.answered for b in boards)
            self.title.setText(self.tr("Bus scan"))
            port = view.port_connected if view is not None else None
            waiting = view.scan_waiting if view is not None else ()
            if waiting:
                self.body.setText(
                    self.tr("Waiting for door %1 to close: the scan starts by itself when "
                            "every door is shut.").replace(
                        "%1", ", ".join(d.label for d in waiting)))
            else:
                self.body.setText(
                    self.tr("%1 of %2 addresses answered. Serial port: %3.")
                    .replace("%1", str(answered)).replace("%2", str(len(boards)))
                    .replace("%3", self.tr("connected") if port else self.tr("not connected"))
                )
            self.table.set_headers([self.tr("Board"), self.tr("Answer"), self.tr("Latency"),
                                    self.tr("Locks"), self.tr("Errors")])
            for b in boards:
                latency = "—" if b.latency_ms is None else f"{b.latency_ms:.1f} ms"
                rows.append((str(b.board), self.tr("yes") if b.answered else self.tr("no"),
                             latency, "—" if b.locks is None else str(b.locks),
                             f"{b.errors}/{b.transactions}" + (f" {b.error}" if b.error else "")))
            self.extra.setVisible(True)
            self.extra.setText(self.tr("Scan again"))
            self._extra = "scan_bus"
        elif screen is TechnicianScreen.frame_log:
            self.icon.set_kind(IconKind.TOOLS)
            frames = view.frames if view is not None else ()
            self.title.setText(self.tr("Frame log"))
            self.body.setText(self.tr("The last %n frame(s), newest first.", "", len(frames)))
            self.table.set_headers([self.tr("Time"), self.tr("Dir."), self.tr("Bytes (hex)"),
                                    self.tr("Note")])
            for f in reversed(frames):
                rows.append((f.at.astimezone().strftime("%H:%M:%S.%f")[:-3],
                             self.tr("sent") if f.direction == "tx" else self.tr("received"),
                             f.hex, f.note))
            self.extra.setVisible(True)
            self.extra.setText(self.tr("Refresh"))
            self._extra = "show_frames"
        elif screen is TechnicianScreen.sync_status:
            self.icon.set_kind(IconKind.INFO)
            sync = view.sync if view is not None else None
            self.title.setText(self.tr("Sync status"))
            if sync is None:
                self.body.setText(self.tr("No sync status yet."))
            else:
                state = self.tr("online") if sync.online else self.tr("offline")
                if view is not None and view.sync_requested:
                    text = self.tr("Central service: %1. Sync requested.")
                else:
                    text = self.tr("Central service: %1.")
                self.body.setText(text.replace("%1", state))
                skew = "—" if sync.clock_skew_s is None else f"{sync.clock_skew_s:+.1f} s"
                rows = [
                    (self.tr("Last success"), _when(sync.last_success_at)),
                    (self.tr("Last error"), sync.last_error or "—"),
                    (self.tr("Last error at"), _when(sync.last_error_at)),
                    (self.tr("Offline since"), _when(sync.offline_since)),
                    (self.tr("Events waiting to be sent"), str(sync.outbox_depth)),
                    (self.tr("Events refused by central"), str(sync.rejected_events)),
                    (self.tr("Clock difference"), skew),
                    (self.tr("Last heartbeat"), _when(sync.last_heartbeat_at)),
                ]
            if view is not None:
                rows.append((self.tr("Software version"), view.software_version or "—"))
                rows += [(k, v) for k, v in view.config_summary]
            self.table.set_headers([self.tr("What"), self.tr("Value")])
            self.extra.setVisible(True)
            self.extra.setText(self.tr("Sync now"))
            self._extra = "sync_now"
        elif screen is TechnicianScreen.export_done:
            self.icon.set_kind(IconKind.SUCCESS)
            self.title.setText(self.tr("Export finished"))
            path = view.export_path if view is not None else ""
            self.body.setText(self.tr("Logs and the audit trail are in %1.")
                              .replace("%1", path or "?"))
        else:
            self.icon.set_kind(IconKind.ERROR)
            self.title.setText(self.tr("Export failed"))
            error = view.export_error if view is not None else ""
            self.body.setText(self.tr("%1. Check that the USB stick is plugged in and not "
                                      "full, then try again.").replace("%1", error or "?"))
        self._show_table(bool(rows))
        self.table.set_rows(rows)

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        self.table.apply_row_height(max(40, m.px(52)))
