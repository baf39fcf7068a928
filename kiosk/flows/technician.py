"""Technician diagnostics: PIN login, live map, opening doors, service states, bus scan,
frame log, sync status and export. Every action is audited with the technician's id.
"""

from __future__ import annotations

import json
import logging
import secrets
import shutil
from collections.abc import Callable, Mapping
from dataclasses import asdict, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from contract.codes import excerpt, is_identifier, make_pin_record, verify_pin_record
from kiosk.flows.clock import Clock
from kiosk.flows.door import DoorJob, DoorOperator, DoorPhase
from kiosk.flows.ports import (
    Actor,
    ActorKind,
    AuditKind,
    Bank,
    BankDiagnostics,
    Compartment,
    CompartmentState,
    ConfirmerFactory,
    DoorReading,
    DoorState,
    EventType,
    Store,
)
from kiosk.flows.ratelimit import Limits, Lockout, LockoutKind, lockout_for
from kiosk.flows.technician_view import (
    BoardRow,
    FrameRow,
    HeldParcel,
    MapCell,
    OpenAction,
    OpenResult,
    SyncInfo,
    TechnicianScreen,
    TechnicianSettings,
    TechnicianView,
)
from kiosk.flows.views import EMPTY_MAP, FlowKind, LockerMap, countdown

__all__ = ["TechnicianFlow", "TechnicianScreen", "TechnicianSettings", "TechnicianView"]

log = logging.getLogger(__name__)

_LOGIN = frozenset({TechnicianScreen.login, TechnicianScreen.login_failed,
                    TechnicianScreen.locked_out})
_BUSY = frozenset({TechnicianScreen.opening})
_MAP_REFRESH_S = 5.0


class TechnicianFlow:
    kind = FlowKind.technician
    def __init__(
        self,
        store: Store,
        bank: Bank,
        diagnostics: BankDiagnostics,
        clock: Clock,
        confirmers: ConfirmerFactory,
        settings: TechnicianSettings | None = None,
        *,
        limiter: Lockout | None = None,
        request_sync: Callable[[], None] | None = None,
    ) -> None:
        """`request_sync`: asks the sync worker for a round now ("sync now")."""
        self.settings = s = settings or TechnicianSettings()
        self._store = store
        self._diag = diagnostics
        self._clock = clock
        self._doors = DoorOperator(store, bank, clock, confirmers,
                                   confirm_timeout_s=s.open_confirm_timeout_s)
        self._limiter = limiter or lockout_for(LockoutKind.technician, s,
                                               Limits.in_memory(clock))
        self._claimed: str | None = None  # the id of the last login tried
        self._request_sync = request_sync
        self.on_change: Callable[[], None] | None = None
        self._tech: str | None = None
        self._screen = TechnicianScreen.login
        self._deadline: float | None = clock.monotonic() + s.login_timeout_s
        self._readings: dict[str, DoorReading] = {}
        self._compartments: list[Compartment] = []
        self._unverified: dict[str, int] = {}
        self._map: LockerMap = EMPTY_MAP
        self._map_at = 0.0
        self._action: OpenAction | None = None
        self._targets: list[Compartment] = []
        self._held: tuple[HeldParcel, ...] = ()
        self._scan_waiting: tuple[str, ...] = ()  # open doors a bus scan waits for
        self._results: list[OpenResult] = []
        self._job: DoorJob | None = None
        self._boards: tuple[BoardRow, ...] = ()
        self._port_connected: bool | None = None
        self._frames: tuple[FrameRow, ...] = ()
        self._sync: SyncInfo | None = None
        self._sync_requested = False
        self._export_path: str | None = None
        self._export_error: str | None = None
        self._offline = False
        self._decoy_record: str | None = None

    # -- helpers ---------------------------------------------------------------------

    @property
    def actor(self) -> Actor:
        return Actor(ActorKind.TECHNICIAN, self._tech)

    def _go(self, screen: TechnicianScreen) -> None:
        self._screen = screen
        if self.on_change is not None:
            self.on_change()

    def _act(self) -> bool:
        """Start of every logged-in action: False when not allowed right now."""
        if self._tech is None or self._screen in _BUSY | {TechnicianScreen.logged_out}:
            return False
        self._deadline = self._clock.monotonic() + self.settings.session_timeout_s
        return True

    def _audit(self, what: str, compartment_id: str | None = None) -> None:
        self._store.audit(AuditKind.NOTE, actor=self.actor, compartment_id=compartment_id,
                          detail=f"technician: {what}")

    def _refresh_map(self) -> None:
        self._compartments = list(self._store.compartments())
        self._unverified = dict(self._store.unverified_doors())
        self._map = LockerMap.of(self._compartments)
        self._map_at = self._clock.monotonic()

    # -- login -----------------------------------------------------------------------

    def login(self, technician_id: str, pin: str) -> TechnicianView:
        tech_id = technician_id.strip()
        if self._screen not in _LOGIN:
            return self.view()
        self._claimed = tech_id
        if self._limiter.remaining_s(tech_id) > 0:
            self._go(TechnicianScreen.locked_out)
            return self.view()
        records = dict(self.settings.technicians)
        # Check a record even for an unknown id, so timing does not tell ids apart.
        record = records.get(tech_id) or self._decoy()
        ok = verify_pin_record(pin, record) and tech_id in records
        if not ok:
            verdict = self._limiter.failure(tech_id)
            shown = tech_id if is_identifier(tech_id) else excerpt(tech_id, 16)
            who = Actor(ActorKind.TECHNICIAN, shown)
            self._store.audit(AuditKind.LOGIN_FAILED, actor=who, detail="technician PIN refused")
            if verdict.alarm:
                # "Open all doors" is behind this login: the central service hears of
                # the first lockout (or of failures spread over many ids) at once.
                self._store.record_event(EventType.SECURITY_ALARM, actor=who, data={
                    "subject": "technician_login", "denied": verdict.denied,
                    "lockouts": self._limiter.lockouts,
                    "window_s": int(self._limiter.policy.memory_s)})
            self._deadline = self._clock.monotonic() + self.settings.login_timeout_s
            self._go(TechnicianScreen.locked_out if verdict.lockout_s
                     else TechnicianScreen.login_failed)
            return self.view()
        self._limiter.success(tech_id)
        self._tech = tech_id
        self._store.record_event(EventType.TECHNICIAN_LOGIN, actor=self.actor)
        self._refresh_map()
        self._act()
        self._go(TechnicianScreen.map)
        return self.view()

    def _decoy(self) -> str:
        if self._decoy_record is None:
            self._decoy_record = make_pin_record(secrets.token_hex(4)[:8].translate(
                str.maketrans("abcdef", "012345")))
        return self._decoy_record

    def submit_scan(self, text: str) -> TechnicianView:
        """Technicians test the scanner on the camera test page; codes do nothing here
        (a technician never opens a door by scanning)."""
        return self.view()

    def touch(self) -> TechnicianView:
        if self._screen in _LOGIN:
            self._deadline = self._clock.monotonic() + self.settings.login_timeout_s
        else:
            self._act()
        return self.view()

    def logout(self) -> TechnicianView:
        if self._screen in _BUSY:
            return self.view()
        if self._tech is not None:
            self._audit("logged out")
        self._deadline = None
        self._go(TechnicianScreen.logged_out)
        return self.view()

    def show_map(self) -> TechnicianView:
        if self._act():
            self._refresh_map()
            self._go(TechnicianScreen.map)
        return self.view()

    # -- doors -----------------------------------------------------------------------

    def open_one(self, compartment_id: str) -> TechnicianView:
        return self._ask(OpenAction.one, lambda c: c.compartment_id == compartment_id)

    def open_column(self, column: int) -> TechnicianView:
        """`column` as on the view's map (0 = leftmost)."""
        placed = {d.label: d.column for d in self._map.doors}
        return self._ask(OpenAction.column, lambda c: placed.get(c.compartment_id) == column)

    def open_all(self) -> TechnicianView:
        return self._ask(OpenAction.all, lambda c: True)

    def _ask(self, action: OpenAction, pick: Callable[[Compartment], bool]) -> TechnicianView:
        if not self._act():
            return self.view()
        self._refresh_map()
        targets = [c for c in self._compartments if pick(c)]
        if targets:
            self._action, self._targets, self._results = action, targets, []
            # Say whose parcels are behind those doors before anything opens.
            self._held = tuple(
                HeldParcel(self._map.place(c.compartment_id), p.parcel_id, str(p.state))
                for c in targets for p in self._store.parcels_in_compartment(c.compartment_id))
            self._go(TechnicianScreen.confirm)
        return self.view()

    def confirm(self) -> TechnicianView:
        """Open the doors asked for, one after another."""
        if self._screen is TechnicianScreen.confirm and self._act():
            self._audit(f"open {self._action}: {len(self._targets)} door(s)")
            self._results = [OpenResult(self._map.place(c.compartment_id), "pending")
                             for c in self._targets]
            self._open_next(0)
        return self.view()

    def cancel(self) -> TechnicianView:
        """Drop a pending confirm, or stop opening after the current door."""
        if self._screen is TechnicianScreen.confirm:
            self._act()
            self._go(TechnicianScreen.map)
        elif self._screen is TechnicianScreen.opening:
            self._targets = self._targets[:len(self._done())+1]
            self._results = self._results[:len(self._targets)]
        return self.view()

    def _done(self) -> list[OpenResult]:
        return [r for r in self._results if r.outcome != "pending"]

    def _open_next(self, index: int) -> None:
        if index >= len(self._targets):
            self._job = None
            self._deadline = self._clock.monotonic() + self.settings.session_timeout_s
            self._refresh_map()
            self._go(TechnicianScreen.opened)
            return
        comp = self._targets[index]
        self._go(TechnicianScreen.opening)
        reading = self._readings.get(comp.compartment_id)
        self._job = self._doors.open(
            comp, actor=self.actor, reason=f"technician {self._action}",
            before=reading.door if reading else DoorState.UNKNOWN)
        if self._job.phase is DoorPhase.not_sent:
            self._finish_door(index, "not_sent")

    def _finish_door(self, index: int, outcome: str) -> None:
        self._results[index] = OpenResult(self._results[index].door, outcome)
        self._job = None
        self._open_next(index + 1)

    def _follow(self, door: DoorState | None) -> None:
        job = self._job
        assert job is not None
        phase = self._doors.update(job, door, self.actor)
        if phase in (DoorPhase.open, DoorPhase.jammed):
            # The technician opens, not waits: the door's close is the door monitor's.
            self._finish_door(len(self._done()), str(job.outcome))

    # -- service states --------------------------------------------------------------

    def set_out_of_service(self, compartment_id: str) -> TechnicianView:
        if self._act():
            self._store.set_compartment_state(
                compartment_id, CompartmentState.OUT_OF_SERVICE, actor=self.actor,
                reason="technician")
            self._refresh_map()
        return self.view()

    def set_in_service(self, compartment_id: str) -> TechnicianView:
        """Back in use (also clears `fault`); the cache's rule makes it occupied if
        parcels are inside, else free."""
        if self._act():
            self._store.set_compartment_state(compartment_id, CompartmentState.FREE,
                                              actor=self.actor, reason="technician")
            self._refresh_map()
        return self.view()

    def confirm_contents(self, compartment_id: str) -> TechnicianView:
        """The technician looked into an unverified door and found the claimed parcels:
        they are stored there from now on and their codes work."""
        if self._act() and compartment_id in self._unverified:
            self._store.verify_door(compartment_id, actor=self.actor,
                                    how="the technician looked inside")
            self._refresh_map()
        return self.view()

    def confirm_empty(self, compartment_id: str) -> TechnicianView:
        """The technician found an unverified door empty: the claim is false (alarm)."""
        if self._act() and compartment_id in self._unverified:
            self._store.refute_door(compartment_id, actor=self.actor,
                                    how="the technician found it empty")
            self._refresh_map()
        return self.view()

    # -- bus, frames, sync, export ---------------------------------------------------

    def _open_doors(self) -> tuple[str, ...]:
        return tuple(sorted(cid for cid, r in self._readings.items()
                            if str(r.door) == str(DoorState.OPEN)))

    def scan_bus(self) -> TechnicianView:
        if not self._act():
            return self.view()
        # A scan asks every address in turn and holds the bus meanwhile: while a door
        # stands open its closing must be read, so the scan waits (and says so) and
        # runs by itself once every door reads closed.
        self._scan_waiting = self._open_doors()
        if self._scan_waiting:
            self._boards = ()
            self._go(TechnicianScreen.bus_scan)
            return self.view()
        return self._run_scan()

    def _run_scan(self) -> TechnicianView:
        s = self.settings
        found = self._diag.scan(s.scan_addresses, timeout_s=s.scan_timeout_s)
        stats = self._diag.stats()
        rows = []
        for info in found:
            st = stats.get(info.board)
            mean = st.mean_latency_s if st is not None else None
            rows.append(BoardRow(
                info.board, info.answered,
                None if info.latency_s is None else round(info.latency_s * 1000, 1),
                info.locks, info.error,
                transactions=st.transactions if st else 0, errors=st.errors if st else 0,
                mean_latency_ms=None if mean is None else round(mean * 1000, 1)))
        self._boards = tuple(rows)
        self._port_connected = bool(self._diag.port_status().connected)
        self._audit(f"bus scan: {sum(r.answered for r in rows)} board(s) answered")
        self._go(TechnicianScreen.bus_scan)
        return self.view()

    def show_frames(self) -> TechnicianView:
        if self._act():
            records = list(self._diag.frame_log())[-self.settings.frame_rows:]
            self._frames = tuple(
                FrameRow(datetime.fromtimestamp(r.at, UTC), str(r.direction), r.hex,
                         r.board, r.note)
                for r in records)
            self._go(TechnicianScreen.frame_log)
        return self.view()

    def show_sync(self) -> TechnicianView:
        if self._act():
            self._read_sync()
            self._go(TechnicianScreen.sync_status)
        return self.view()

    def _read_sync(self) -> None:
        st = self._store.sync_status()
        self._sync = SyncInfo(
            online=bool(st.online), last_success_at=st.last_success_at,
            last_error=st.last_error, last_error_at=st.last_error_at,
            offline_since=st.offline_since, outbox_depth=st.outbox_depth,
            rejected_events=st.rejected_events, clock_skew_s=st.clock_skew_s,
            last_heartbeat_at=st.last_heartbeat_at)

    def sync_now(self) -> TechnicianView:
        if self._act() and self._request_sync is not None:
            self._request_sync()
            self._sync_requested = True
            self._audit("sync requested")
            self._read_sync()
            self._go(TechnicianScreen.sync_status)
        return self.view()

    def export(self, destination: str) -> TechnicianView:
        """Write the audit trail, sync status, frame log and log files into a new folder
        under `destination` (a USB stick mount point or any directory). The destination
        must exist: an unmounted stick must fail, not fill the kiosk's own disk."""
        if not self._act():
            return self.view()
        stamp = self._clock.now().strftime("%Y%m%dT%H%M%SZ")
        folder = Path(destination) / f"expresspoint-export-{stamp}"
        if ".." in Path(destination).parts:
            # The destination is the stick's folder as configured; a path that climbs
            # out of it could write the audit trail anywhere on the kiosk's disk.
            self._export_error = f"{destination}: a destination with '..' is refused; " \
                "give the stick's folder itself"
            self._export_path = None
            self._audit(f"export to {destination!r} refused: '..' in the path")
            self._go(TechnicianScreen.export_failed)
            return self.view()
        try:
            folder.mkdir(parents=False, exist_ok=False)
            with (folder / "audit.jsonl").open("w", encoding="utf-8") as out:
                for row in self._store.audit_trail():
                    out.write(json.dumps(row, sort_keys=True, default=str) + "\n")
            status = self._store.sync_status()
            (folder / "sync_status.json").write_text(json.dumps(
                _plain(status), indent=2, default=str), encoding="utf-8")
            (folder / "frames.jsonl").write_text("".join(
                json.dumps(_plain(r), default=str) + "\n" for r in self._diag.frame_log()),
                encoding="utf-8")
            for name in self.settings.log_files:
                src = Path(name)
                if src.is_file():
                    shutil.copy2(src, folder / src.name)
        except OSError as exc:
            self._export_error = f"{folder}: {exc.strerror or exc}"
            self._export_path = None
            log.warning("export to %s failed: %s", folder, exc)
            self._audit(f"export to {destination} failed: {exc.strerror or exc}")
            self._go(TechnicianScreen.export_failed)
            return self.view()
        self._export_path, self._export_error = str(folder), None
        self._audit(f"exported logs and audit trail to {folder}")
        self._go(TechnicianScreen.export_done)
        return self.view()

    # -- clock and sensors -----------------------------------------------------------

    def set_offline(self, offline: bool) -> TechnicianView:
        self._offline = offline
        return self.view()

    def set_board_available(self, ok: bool) -> TechnicianView:
        # The technician keeps working (bus scan, frame log help find the fault); the
        # map shows unknown doors. Only an opening in progress is cut short.
        if not ok and self._job is not None:
            self._finish_door(len(self._done()), "not_sent")
        return self.view()

    def on_door_states(self, readings: Mapping[str, DoorReading]) -> TechnicianView:
        self._readings.update(readings)
        if self._job is not None:
            reading = readings.get(self._job.compartment_id)
            self._follow(reading.door if reading else None)
        if self._scan_waiting and self._screen is TechnicianScreen.bus_scan:
            self._scan_waiting = self._open_doors()
            if not self._scan_waiting:
                return self._run_scan()
        return self.view()

    def tick(self) -> TechnicianView:
        now = self._clock.monotonic()
        if self._job is not None:
            self._follow(None)
        if self._tech is not None and now - self._map_at >= _MAP_REFRESH_S and \
                self._screen is TechnicianScreen.map:
            self._refresh_map()
        if self._screen is TechnicianScreen.locked_out and \
                self._limiter.remaining_s(self._claimed) <= 0:
            self._deadline = now + self.settings.login_timeout_s
            self._go(TechnicianScreen.login)
        elif self._deadline is not None and now >= self._deadline and \
                self._screen not in _BUSY:
            self.logout()
        return self.view()

    def poll_interval_s(self) -> float:
        if self._job is not None:
            return self.settings.poll_interval_s
        return self.settings.idle_poll_interval_s

    # -- view ------------------------------------------------------------------------

    def view(self) -> TechnicianView:
        now = self._clock.monotonic()
        cells = []
        for comp in self._compartments:
            reading = self._readings.get(comp.compartment_id)
            cells.append(MapCell(
                self._map.place(comp.compartment_id), comp.size, str(comp.state),
                str(reading.door) if reading else "unknown",
                reading.occupied if reading else None,
                unverified=comp.compartment_id in self._unverified))
        lockout = self._limiter.remaining_s(self._claimed)
        return TechnicianView(
            screen=self._screen,
            technician_id=self._tech,
            locker_map=self._map,
            cells=tuple(cells) if self._tech else (),
            action=self._action,
            targets=tuple(self._map.place(c.compartment_id) for c in self._targets),
            held=self._held if self._screen is TechnicianScreen.confirm else (),
            scan_waiting=tuple(self._map.place(cid) for cid in self._scan_waiting)
            if self._screen is TechnicianScreen.bus_scan else (),
            results=tuple(self._results),
            boards=self._boards,
            port_connected=self._port_connected,
            frames=self._frames,
            sync=self._sync,
            sync_requested=self._sync_requested,
            export_path=self._export_path,
            export_error=self._export_error,
            software_version=self.settings.software_version,
            config_summary=self.settings.config_summary,
            attempts_left=self._limiter.attempts_left(self._claimed)
            if self._screen is TechnicianScreen.login_failed else None,
            lockout_remaining_s=int(lockout + 0.999)
            if self._screen is TechnicianScreen.locked_out and lockout > 0 else None,
            timeout_remaining_s=None if self._screen in _BUSY
            else countdown(self._deadline, now),
            offline=self._offline,
        )


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return value
