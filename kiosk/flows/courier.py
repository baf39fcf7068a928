"""Courier visit: log in, deposit parcels, collect expired ones, check compartments.

One door is driven at a time. The visit's tally, faults and occupancy mismatches stay
in the view until the courier logs out. Calls are made one at a time by the runner.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from kiosk.flows.clock import Clock
from kiosk.flows.collect_round import CollectRound
from kiosk.flows.courier_login import CourierLogin, LoginOutcome
from kiosk.flows.courier_view import (
    CollectStatus,
    CourierScreen,
    CourierSettings,
    CourierView,
    DepositRefusal,
    TallyItem,
    Waiting,
)
from kiosk.flows.door import DoorJob, DoorOperator, DoorPhase
from kiosk.flows.occupancy import OccupancyCheck
from kiosk.flows.placement import Placement
from kiosk.flows.ports import (
    Actor,
    ActorKind,
    AuditKind,
    Bank,
    Compartment,
    CompartmentState,
    ConfirmerFactory,
    Courier,
    DoorReading,
    DoorState,
    EventType,
    Parcel,
    ParcelState,
    RecordRefused,
    Store,
    StoreNotReady,
)
from kiosk.flows.ratelimit import Limits, Lockout, LockoutKind, lockout_for
from kiosk.flows.views import EMPTY_MAP, FlowKind, LockerMap, countdown

__all__ = ["CourierFlow", "CourierScreen", "CourierSettings", "CourierView"]

log = logging.getLogger(__name__)

_DOOR_SCREENS = frozenset({
    CourierScreen.deposit_opening, CourierScreen.deposit_open,
    CourierScreen.collect_opening, CourierScreen.collect_open,
})
_LOGIN_SCREENS = frozenset({
    CourierScreen.login, CourierScreen.login_failed, CourierScreen.locked_out})
_LOGIN_SCREENS = frozenset({CourierScreen.login, CourierScreen.login_failed})
_DEPOSIT_READY = frozenset({
    CourierScreen.menu, CourierScreen.deposit_scan, CourierScreen.deposit_refused,
    CourierScreen.no_compartment, CourierScreen.check_result, CourierScreen.collect_done,
})
# Where a label read by the camera or typed on the keyboard means "deposit this parcel".
LABEL_SCREENS = _DEPOSIT_READY
# Where it means "collect this parcel" (open its door alone).
COLLECT_LABEL_SCREENS = frozenset({CourierScreen.collect_list})


class CourierFlow:
    kind = FlowKind.courier
    def __init__(
        self,
        store: Store,
        bank: Bank,
        clock: Clock,
        confirmers: ConfirmerFactory,
        settings: CourierSettings | None = None,
        *,
        limiter: Lockout | None = None,
    ) -> None:
        self.settings = s = settings or CourierSettings()
        self._store = store
        self._clock = clock
        self._doors = DoorOperator(store, bank, clock, confirmers,
                                   confirm_timeout_s=s.open_confirm_timeout_s)
        # Pass one limiter for the kiosk's life (FlowModes does), so a lockout outlives a visit.
        self._limiter = limiter or lockout_for(LockoutKind.courier, s, Limits.in_memory(clock))
        self._claimed: str | None = None  # the id of the last PIN login tried
        self._credentials = CourierLogin(store, self._limiter)
        self.on_change: Callable[[], None] | None = None
        self._readings: dict[str, DoorReading] = {}
        self._offline = False
        self._courier: Courier | None = None
        self._map: LockerMap = EMPTY_MAP
        self._tally: list[TallyItem] = []
        self._faults: list[str] = []
        self._occupancy = OccupancyCheck(store)
        self._placement = Placement(store, s)
        self._strays: list[DoorJob] = []  # doors left open behind us, followed to close
        self._job: DoorJob | None = None
        self._parcel: Parcel | None = None
        self._tried: set[str] = set()
        self._refusal: DepositRefusal | None = None
        self._refused_state: str | None = None
        self._round: CollectRound | None = None
        self._single = False  # the door being collected was asked for by its label
        self._label_refused: str | None = None
        self._offer: Compartment | None = None  # a larger compartment awaiting yes/no
        self._waiting = Waiting()
        self._confirmed = False
        self._intent: int | None = None  # of the door being collected from
        self._screen = CourierScreen.login
        self._deadline: float | None = None
        self._touch(s.login_timeout_s)

    # -- helpers ---------------------------------------------------------------------

    @property
    def actor(self) -> Actor:
        return Actor(ActorKind.COURIER, self._courier.courier_id if self._courier else None)

    def _touch(self, timeout_s: float | None = None) -> None:
        if timeout_s is None:
            timeout_s = self.settings.session_timeout_s
        self._deadline = self._clock.monotonic() + timeout_s

    def _go(self, screen: CourierScreen) -> None:
        self._screen = screen
        if self.on_change is not None:
            self.on_change()

    def _logged_in(self) -> bool:
        return self._courier is not None and self._screen is not CourierScreen.logged_out

    # -- login -----------------------------------------------------------------------

    def submit_scan(self, text: str) -> CourierView:
        """A code read by the camera or a scanner: a badge while logging in, a label
        afterwards (`read_label` decides: deposit or collect, or nothing on a screen
        that takes no label)."""
        if self._screen in _LOGIN_SCREENS:
            return self.login_badge(text)
        return self.read_label(text)

    def login_badge(self, payload: str) -> CourierView:
        """A badge QR read by the camera or scanner."""
        return self._login(None, lambda: self._credentials.by_badge(payload))

    def login_pin(self, courier_id: str, pin: str) -> CourierView:
        return self._login(courier_id.strip(),
                           lambda: self._credentials.by_pin(courier_id, pin))

    def touch(self) -> CourierView:
        """Any touch on a courier screen (typing an id or PIN) keeps the session alive."""
        if self._screen in _LOGIN_SCREENS:
            self._touch(self.settings.login_timeout_s)
        elif self._logged_in():
            self._touch()
        return self.view()

    def _login(self, claimed: str | None,
               check: Callable[[], LoginOutcome]) -> CourierView:
        if self._screen not in _LOGIN_SCREENS:
            return self.view()
        self._claimed = claimed
        if self._limiter.remaining_s(claimed) > 0:
            self._go(CourierScreen.locked_out)
            return self.view()
        try:
            outcome = check()
        except StoreNotReady as exc:
            log.warning("courier login not checked: %s", exc)
            self._go(CourierScreen.not_ready)
            return self.view()
        if outcome.courier is not None:
            self._courier = outcome.courier
            self._map = LockerMap.of(self._store.compartments())
            self._touch()
            self._to_menu()
        else:
            self._touch(self.settings.login_timeout_s)
            self._go(CourierScreen.locked_out if outcome.lockout_s is not None
                     else CourierScreen.login_failed)
        return self.view()

    def logout(self) -> CourierView:
        """End the visit; refused while a door is being opened."""
        if self._screen in _DOOR_SCREENS:
            return self.view()
        if self._courier is not None:
            self._store.audit(AuditKind.LOGIN, actor=self.actor,
                              detail=f"courier logged out; {len(self._tally)} deposited")
        self._job = None
        self._deadline = None
        self._go(CourierScreen.logged_out)
        return self.view()

    # -- menu ------------------------------------------------------------------------

    def start_deposit(self) -> CourierView:
        if self._logged_in() and self._screen in _DEPOSIT_READY | {CourierScreen.collect_list}:
            self._touch()
            self._refusal = None
            self._go(CourierScreen.deposit_scan)
        return self.view()

    def back_to_menu(self) -> CourierView:
        if self._logged_in() and self._screen not in _DOOR_SCREENS | {
                CourierScreen.collect_confirm, CourierScreen.deposit_fallback}:
            self._touch()
            self._to_menu()
        return self.view()

    def _to_menu(self) -> None:
        self._waiting = self._count_waiting()
        self._go(CourierScreen.menu)

    def _count_waiting(self) -> Waiting:
        free: dict[str, int] = {}
        for comp in self._store.compartments():
            if comp.state is CompartmentState.FREE:
                free[comp.size] = free.get(comp.size, 0) + 1
        order = list(self.settings.size_order)
        sizes = sorted(free, key=lambda z: (order.index(z) if z in order else len(order), z))
        return Waiting(
            expected=self._store.expected_parcel_count(),
            to_collect=len(self._store.parcels_to_collect()),
            free_by_size=tuple((z, free[z]) for z in sizes))

    def read_label(self, text: str) -> CourierView:
        """A label read by the camera or the scanner, or typed on the screen's keyboard:
        deposit it from the deposit screens, collect it from the collection list."""
        if self._screen in COLLECT_LABEL_SCREENS:
            return self.collect_label(text)
        return self.scan_parcel(text)

    # -- deposit ---------------------------------------------------------------------

    def scan_parcel(self, barcode: str) -> CourierView:
        """A parcel label (QR or Code 128) read while depositing."""
        if not self._logged_in() or self._screen not in _DEPOSIT_READY:
            return self.view()
        self._touch()
        barcode = barcode.strip()
        parcel = self._store.parcel_by_barcode(barcode)
        self._refused_state = None
        if parcel is None:
            return self._refuse(DepositRefusal.unknown_parcel, barcode)
        if parcel.state != ParcelState.EXPECTED:
            self._refused_state = str(parcel.state)
            return self._refuse(DepositRefusal.already_stored if parcel.state ==
                                ParcelState.STORED else DepositRefusal.not_expected, barcode,
                                parcel)
        self._parcel = parcel
        self._tried = set()
        self._open_for_deposit()
        return self.view()

    def _refuse(self, why: DepositRefusal, barcode: str, parcel: Parcel | None = None
                ) -> CourierView:
        self._refusal = why
        self._store.audit(AuditKind.NOTE, actor=self.actor,
                          parcel_id=parcel.parcel_id if parcel else None,
                          detail=f"deposit refused ({why}) for label {barcode[:40]!r}")
        self._go(CourierScreen.deposit_refused)
        return self.view()

    def _open_for_deposit(self, *, larger_than: str | None = None) -> None:
        parcel = self._parcel
        assert parcel is not None
        comp = self._placement.choose(parcel, larger_than=larger_than, exclude=self._tried)
        if comp is not None and larger_than is None and parcel.size and \
                comp.size != parcel.size:
            # None of its own size is free: a larger door is the courier's choice (the
            # parcel may rattle, or the larger door be wanted for a larger parcel).
            self._offer = comp
            self._job = None
            self._go(CourierScreen.deposit_fallback)
            return
        if comp is None:
            self._store.record_event(
                EventType.PARCEL_DEPOSIT_FAILED, actor=self.actor, parcel_id=parcel.parcel_id,
                data={"reason": "no free compartment", "size": parcel.size,
                      "larger_than": larger_than})
            self._refusal = DepositRefusal.no_compartment
            self._job = None
            self._go(CourierScreen.no_compartment)
            return
        self._tried.add(comp.compartment_id)
        self._open(comp, "deposit", (parcel.parcel_id,), CourierScreen.deposit_opening)

    def accept_larger(self) -> CourierView:
        """Yes to the offered larger compartment: open it."""
        if self._screen is CourierScreen.deposit_fallback and self._offer is not None and \
                self._parcel is not None:
            self._touch()
            comp, self._offer = self._offer, None
            self._tried.add(comp.compartment_id)
            self._open(comp, "deposit", (self._parcel.parcel_id,),
                       CourierScreen.deposit_opening)
        return self.view()

    def _open(self, comp: Compartment, reason: str, parcel_ids: tuple[str, ...],
              screen: CourierScreen) -> None:
        self._go(screen)
        reading = self._readings.get(comp.compartment_id)
        self._job = self._doors.open(
            comp, actor=self.actor, reason=reason, parcel_ids=parcel_ids,
            before=reading.door if reading else DoorState.UNKNOWN)
        self._intent = self._job.intent_id
        if self._job.phase is DoorPhase.not_sent:
            self._job = None
            self._go(CourierScreen.out_of_service)

    def doesnt_fit(self) -> CourierView:
        """The parcel is too big: open a larger compartment; the first stays free."""
        if self._screen in (CourierScreen.deposit_open, CourierScreen.deposit_opening) and \
                self._job is not None:
            self._touch()
            first = self._job
            self._leave_behind(first)
            self._open_for_deposit(larger_than=first.compartment.size)
        return self.view()

    def door_didnt_open(self) -> CourierView:
        """The courier says the door is shut: mark it fault and open another one."""
        if self._screen in (CourierScreen.deposit_open, CourierScreen.deposit_opening) and \
                self._job is not None:
            self._touch()
            job = self._job
            self._store.record_event(EventType.COMPARTMENT_JAMMED, actor=self.actor,
                                     compartment_id=job.compartment_id,
                                     data={"intent_id": job.intent_id,
                                           "reported_by": "courier"})
            self._mark_fault(job)
            self._open_for_deposit()
        return self.view()

    def cancel_deposit(self) -> CourierView:
        """Keep the parcel: it stays `expected`; the open door is followed to its close."""
        if self._screen in (CourierScreen.deposit_open, CourierScreen.deposit_opening,
                            CourierScreen.no_compartment, CourierScreen.deposit_fallback) \
                and self._parcel is not None:
            self._touch()
            self._offer = None
            if self._job is not None:
                self._leave_behind(self._job)
            self._job = None
            self._store.record_event(EventType.PARCEL_DEPOSIT_FAILED, actor=self.actor,
                                     parcel_id=self._parcel.parcel_id,
                                     data={"reason": "cancelled by courier"})
            self._parcel = None
            self._go(CourierScreen.deposit_scan)
        return self.view()

    def _leave_behind(self, job: DoorJob) -> None:
        if job.phase in (DoorPhase.opening, DoorPhase.open):
            self._strays.append(job)
        self._job = None

    def _mark_fault(self, job: DoorJob) -> None:
        self._store.set_compartment_state(job.compartment_id, CompartmentState.FAULT,
                                          actor=self.actor, reason="door did not open")
        if job.compartment_id not in self._faults:
            self._faults.append(job.compartment_id)
        self._job = None

    def _deposit_closed(self, job: DoorJob) -> None:
        parcel = self._parcel
        assert parcel is not None
        try:
            self._store.record_deposit(parcel.parcel_id, job.compartment_id,
                                       actor=self.actor, intent_id=job.intent_id)
        except RecordRefused as exc:
            # The parcel changed centrally while it was being loaded: it is behind a
            # closed door the cache knows nothing about. Keep the compartment out of use
            # and say so, so that an operator sorts it out.
            log.error("deposit into %s not recorded: %s", job.compartment_id, exc)
            self._store.set_compartment_state(
                job.compartment_id, CompartmentState.OUT_OF_SERVICE, actor=self.actor,
                reason=f"holds parcel {parcel.parcel_id} that could not be recorded: {exc}")
            self._refused_state = "changed"
            self._refusal = DepositRefusal.not_expected
            self._parcel = None
            self._job = None
            self._go(CourierScreen.deposit_refused)
            return
        item = TallyItem(parcel.parcel_id, parcel.barcode or "",
                         self._map.place(job.compartment_id), job.compartment.size)
        self._tally.append(item)
        self._parcel = None
        self._job = None
        self._check_one(job.compartment_id, expected=True)
        self._touch()  # closing a door is the courier at work
        self._go(CourierScreen.deposit_scan)

    # -- collection ------------------------------------------------------------------

    def start_collect(self) -> CourierView:
        if not self._logged_in() or self._screen not in _DEPOSIT_READY:
            return self.view()
        self._touch()
        self._round = CollectRound(self._store, self._map)
        self._single = False
        self._label_refused = None
        self._go(CourierScreen.collect_list if self._round.items else
                 CourierScreen.collect_done)
        return self.view()

    def collect_label(self, barcode: str) -> CourierView:
        """A label read or typed on the collection list: open that parcel's door alone,
        then come back to the list. A label not on the list is refused there."""
        if not self._logged_in() or self._screen not in COLLECT_LABEL_SCREENS or \
                self._round is None:
            return self.view()
        self._touch()
        barcode = barcode.strip()
        for index, item in enumerate(self._round.items):
            if barcode and barcode in item.barcodes and item.status is CollectStatus.pending:
                self._label_refused = None
                self._single = True
                self._round.index = index
                self._open_collect_item()
                return self.view()
        self._label_refused = barcode[:64]
        self._store.audit(AuditKind.NOTE, actor=self.actor,
                          detail=f"collect refused: label {barcode[:40]!r} is not to collect")
        self._go(CourierScreen.collect_list)
        return self.view()

    def collect_begin(self) -> CourierView:
        """Open the doors one after another, starting with the first pending one."""
        if self._screen is CourierScreen.collect_list:
            self._touch()
            self._open_collect_item()
        return self.view()

    def confirm_removed(self) -> CourierView:
        """The courier took the parcels of the current door."""
        if self._screen in (CourierScreen.collect_open, CourierScreen.collect_confirm) and \
                not self._confirmed:
            self._touch()
            assert self._round is not None
            comp, parcels = self._round.current
            status = CollectStatus.collected
            try:
                self._store.record_collection(
                    [p.parcel_id for p in parcels], comp.compartment_id, actor=self.actor,
                    intent_id=self._intent)
            except RecordRefused as exc:
                log.error("collection from %s not recorded: %s", comp.compartment_id, exc)
                self._store.audit(AuditKind.ALARM, actor=self.actor,
                                  compartment_id=comp.compartment_id,
                                  detail=f"collection not recorded: {exc}")
                status = CollectStatus.skipped
            self._confirmed = True
            self._set_item(status)
            self._check_after_confirm()
        return self.view()

    def not_removed(self) -> CourierView:
        """Skip this door: the parcels stay where they are."""
        if self._screen in (CourierScreen.collect_open, CourierScreen.collect_confirm,
                            CourierScreen.collect_opening):
            self._touch()
            if self._job is not None:
                self._leave_behind(self._job)
            self._set_item(CollectStatus.skipped)
            self._next_collect_item()
        return self.view()

    def _set_item(self, status: CollectStatus) -> None:
        assert self._round is not None
        self._round.mark(status)

    def _check_after_confirm(self) -> None:
        # Door already closed (confirm screen): move on; otherwise wait for the close.
        if self._job is None:
            self._next_collect_item()

    def _open_collect_item(self) -> None:
        assert self._round is not None
        if not self._round.seek_pending():
            self._job = None
            self._go(CourierScreen.collect_done)
            return
        comp, parcels = self._round.current
        self._confirmed = False
        self._open(comp, "collect", tuple(p.parcel_id for p in parcels),
                   CourierScreen.collect_opening)

    def _next_collect_item(self) -> None:
        assert self._round is not None
        self._job = None
        if self._single:
            # One door asked for by its label: back to the list with what is left.
            self._single = False
            self._round.index = 0
            self._go(CourierScreen.collect_list if self._round.seek_pending() else
                     CourierScreen.collect_done)
            return
        self._round.index += 1
        self._open_collect_item()

    def _collect_closed(self, job: DoorJob) -> None:
        self._job = None
        self._touch()  # closing a door is the courier at work
        if self._confirmed:
            self._check_one(job.compartment_id, expected=False)
            self._next_collect_item()
        else:
            self._go(CourierScreen.collect_confirm)

    # -- empty-compartment check -----------------------------------------------------

    def check_compartments(self) -> CourierView:
        """Compare each occupancy sensor with what the cache says should be inside."""
        if not self._logged_in() or self._screen not in _DEPOSIT_READY:
            return self.view()
        self._touch()
        for comp in self._store.compartments():
            if comp.state in (CompartmentState.FREE, CompartmentState.OCCUPIED):
                self._check_one(comp.compartment_id,
                                expected=comp.state is CompartmentState.OCCUPIED)
        self._go(CourierScreen.check_result)
        return self.view()

    def _check_one(self, cid: str, *, expected: bool) -> None:
        self._occupancy.check(cid, self._readings.get(cid), expected=expected,
                              where=self._map, actor=self.actor)

    # -- clock and sensors -----------------------------------------------------------

    def set_offline(self, offline: bool) -> CourierView:
        self._offline = offline
        return self.view()

    def set_board_available(self, ok: bool) -> CourierView:
        if not ok and self._screen in _DOOR_SCREENS:
            # The door in progress is left to the door watch; the parcel stays as it was.
            if self._job is not None:
                self._leave_behind(self._job)
            self._go(CourierScreen.out_of_service)
        elif ok and self._screen is CourierScreen.out_of_service:
            self._job = None
            self._go(CourierScreen.menu if self._courier else CourierScreen.login)
        return self.view()

    def on_door_states(self, readings: Mapping[str, DoorReading]) -> CourierView:
        self._readings.update(readings)
        for stray in list(self._strays):
            reading = readings.get(stray.compartment_id)
            door = reading.door if reading else None
            phase = self._doors.update(stray, door, self.actor)
            if phase in (DoorPhase.closed, DoorPhase.jammed):
                self._strays.remove(stray)
        if self._job is not None:
            reading = readings.get(self._job.compartment_id)
            self._follow(reading.door if reading else None)
        return self.view()

    def tick(self) -> CourierView:
        if self._job is not None:
            self._follow(None)
        now = self._clock.monotonic()
        door_busy = self._screen in _DOOR_SCREENS or self._screen is \
            CourierScreen.collect_confirm
        if self._screen is CourierScreen.locked_out and \
                self._limiter.remaining_s(self._claimed) <= 0:
            self._touch(self.settings.login_timeout_s)
            self._go(CourierScreen.login)
        elif self._deadline is not None and now >= self._deadline and not door_busy:
            if self._courier is not None:
                self.logout()
            else:
                # The lockout, if any, lives on in the shared limiter.
                self._deadline = None
                self._go(CourierScreen.logged_out)
        return self.view()

    def poll_interval_s(self) -> float:
        if self._job is not None or self._strays:
            return self.settings.poll_interval_s
        return self.settings.idle_poll_interval_s

    def _follow(self, door: DoorState | None) -> None:
        job = self._job
        assert job is not None
        before = job.phase
        phase = self._doors.update(job, door if door else None, self.actor)
        depositing = job.reason == "deposit"
        if phase is DoorPhase.jammed:
            self._mark_fault(job)
            if depositing:
                self._open_for_deposit()
            else:
                self._set_item(CollectStatus.door_failed)
                self._next_collect_item()
        elif before is DoorPhase.opening and phase is DoorPhase.open:
            self._go(CourierScreen.deposit_open if depositing else CourierScreen.collect_open)
        elif phase is DoorPhase.closed:
            if depositing:
                self._deposit_closed(job)
            else:
                self._collect_closed(job)

    # -- view ------------------------------------------------------------------------

    def view(self) -> CourierView:
        now = self._clock.monotonic()
        job, parcel = self._job, self._parcel
        lockout = self._limiter.remaining_s(self._claimed)
        door_busy = self._screen in _DOOR_SCREENS
        return CourierView(
            screen=self._screen,
            courier_id=self._courier.courier_id if self._courier else None,
            courier_name=self._courier.name if self._courier else "",
            locker_map=self._map,
            door=self._map.place(job.compartment_id) if job else (
                self._map.place(self._offer.compartment_id) if self._offer is not None and
                self._screen is CourierScreen.deposit_fallback else
                self._round.current_item.door if self._round is not None and
                self._screen is CourierScreen.collect_confirm else None),
            parcel_id=parcel.parcel_id if parcel else None,
            parcel_barcode=parcel.barcode if parcel else None,
            parcel_size=parcel.size if parcel else None,
            compartment_size=job.compartment.size if job else (
                self._offer.size if self._offer is not None else None),
            refusal=self._refusal if self._screen in (
                CourierScreen.deposit_refused, CourierScreen.no_compartment) else None,
            parcel_state=self._refused_state if self._screen is
            CourierScreen.deposit_refused else None,
            last_deposit=self._tally[-1] if self._tally else None,
            tally=tuple(self._tally),
            faults=tuple(self._map.place(cid) for cid in self._faults),
            collect=tuple(self._round.items) if self._round else (),
            collect_index=self._round.index if self._round else 0,
            collected_count=self._round.collected if self._round else 0,
            label_refused=self._label_refused if self._screen is
            CourierScreen.collect_list else None,
            waiting=self._waiting,
            mismatches=self._occupancy.mismatches,
            occupancy_supported=any(r.occupied is not None for r in self._readings.values()),
            attempts_left=self._limiter.attempts_left(self._claimed)
            if self._screen is CourierScreen.login_failed else None,
            lockout_remaining_s=int(lockout + 0.999) if self._screen is
            CourierScreen.locked_out and lockout > 0 else None,
            timeout_remaining_s=None if door_busy else countdown(self._deadline, now),
            offline=self._offline,
        )
