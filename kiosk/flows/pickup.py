"""Customer pickup: code in, doors open one after another, doors closed, thank you.

Every public method is one customer action or one clock/sensor event and returns the
new `PickupView`. Calls are not thread-safe: the `FlowRunner` makes them one at a time.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from contract.codes import CODE_LENGTH, MalformedCode, ScannedCode, hash_code, parse_scan
from kiosk.flows.clock import Clock
from kiosk.flows.door import DoorJob, DoorOperator, DoorPhase
from kiosk.flows.pickup_view import (
    DoorProblem,
    MalformedReason,
    PickupScreen,
    PickupSettings,
    PickupView,
)
from kiosk.flows.ports import (
    Actor,
    ActorKind,
    AuditKind,
    Bank,
    Compartment,
    CompartmentState,
    ConfirmerFactory,
    DoorReading,
    DoorState,
    EventType,
    Parcel,
    ParcelState,
    RecordRefused,
    Store,
    StoreNotReady,
)
from kiosk.flows.ratelimit import Limits, Lockout, LockoutKind, Verdict, lockout_for
from kiosk.flows.views import EMPTY_MAP, FlowKind, LockerMap, countdown

__all__ = ["MalformedReason", "PickupFlow", "PickupScreen", "PickupSettings", "PickupView"]

log = logging.getLogger(__name__)

CUSTOMER = Actor(ActorKind.CUSTOMER)

_ACCEPTS_CODE = frozenset({
    PickupScreen.idle, PickupScreen.code_entry, PickupScreen.done, PickupScreen.unknown_code,
    PickupScreen.malformed_code, PickupScreen.not_yet_arrived, PickupScreen.expired,
    PickupScreen.already_picked_up, PickupScreen.cancelled, PickupScreen.wrong_locker,
    PickupScreen.locked_out,
})


@dataclass(frozen=True)
class _Pickup:
    """One door to open for the code, and the parcels behind it."""

    compartment: Compartment
    parcels: tuple[Parcel, ...]

    @property
    def parcel_ids(self) -> tuple[str, ...]:
        return tuple(p.parcel_id for p in self.parcels)


def _malformed_reason(err: MalformedCode, text: str) -> MalformedReason:
    stripped = text.strip()
    if stripped.upper().startswith("XP1:"):
        return MalformedReason.foreign_qr
    digits = "".join(ch for ch in stripped if ch not in " -\t")
    if not digits:
        return MalformedReason.empty
    if not (digits.isascii() and digits.isdigit()):
        return MalformedReason.not_digits
    return MalformedReason.wrong_length


_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud


def new_reference() -> str:
    """A short reference a customer quotes to support for a reported problem."""
    return "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


class PickupFlow:
    kind = FlowKind.pickup
    def __init__(
        self,
        store: Store,
        bank: Bank,
        clock: Clock,
        confirmers: ConfirmerFactory,
        settings: PickupSettings | None = None,
        *,
        limiter: Lockout | None = None,
        hasher: Callable[[str, str], str] | None = None,
        reference: Callable[[], str] | None = None,
    ) -> None:
        self.settings = s = settings or PickupSettings()
        self._store = store
        self._clock = clock
        self._doors = DoorOperator(store, bank, clock, confirmers,
                                   confirm_timeout_s=s.open_confirm_timeout_s)
        # The kiosk passes its one saved lockout (kiosk.flows.assembly); a flow made on
        # its own gets one that lives as long as it does.
        self._limiter = limiter or lockout_for(LockoutKind.pickup, s, Limits.in_memory(clock))
        self._hasher = hasher
        self._new_reference = reference or new_reference
        self._retry_digits = ""  # a wrong typed code, offered back by "try again"
        # Set by the runner to publish an intermediate view (checking, door_opening)
        # while a long call is still running.
        self.on_change: Callable[[], None] | None = None
        self._readings: dict[str, DoorState] = {}
        self._offline = False
        self._board_ok = True
        self._map: LockerMap = EMPTY_MAP
        self._name = ""
        self._last_hash: str | None = None  # of the last code that opened doors
        self._open_for_customer: set[str] = set()  # until a closed reading comes
        self._reset(PickupScreen.idle)

    # -- state -------------------------------------------------------------------

    def _reset(self, screen: PickupScreen) -> None:
        self._screen = screen
        self._entry = ""
        self._deadline: float | None = None
        self._queue: list[_Pickup] = []
        self._index = 0
        self._job: DoorJob | None = None
        self._retries = 0
        self._reopens = 0
        self._reopen_until: float | None = None
        self._reminded = False
        self._alarmed = False
        self._malformed: MalformedReason | None = None
        self._problem: tuple[DoorProblem, str] | None = None
        self._other_locker: tuple[str, str | None] | None = None
        self._deadline_param: datetime | None = None

    def _go(self, screen: PickupScreen, timeout_s: float | None = None) -> None:
        self._screen = screen
        self._deadline = None if timeout_s is None else self._clock.monotonic() + timeout_s
        if self.on_change is not None:
            self.on_change()

    def _to_idle(self) -> None:
        self._retry_digits = ""
        self._reset(PickupScreen.out_of_service if not self._board_ok else PickupScreen.idle)
        self._go(self._screen)

    def _error(self, screen: PickupScreen) -> None:
        self._go(screen, self.settings.error_timeout_s)

    # -- customer actions ----------------------------------------------------------

    def start_code_entry(self) -> PickupView:
        if self._screen in _ACCEPTS_CODE and self._screen is not PickupScreen.out_of_service:
            if self._limiter.remaining_s() > 0:
                self._show_lockout()
            else:
                self._retry_digits = ""
                self._reset(PickupScreen.code_entry)
                self._go(PickupScreen.code_entry, self.settings.code_entry_timeout_s)
        return self.view()

    def retry_entry(self) -> PickupView:
        """"Try again" after a wrong typed code: the keypad comes back with the digits
        that were typed, so one wrong digit is fixed, not all eight typed again. They
        are kept only while the error screen is up (its timeout forgets them)."""
        if self._screen is PickupScreen.unknown_code and self._retry_digits:
            digits = self._retry_digits
            self._retry_digits = ""
            if self._limiter.remaining_s() > 0:
                self._show_lockout()
                return self.view()
            self._reset(PickupScreen.code_entry)
            self._entry = digits
            self._go(PickupScreen.code_entry, self.settings.code_entry_timeout_s)
        return self.view()

    def report_problem(self, problem: DoorProblem | str) -> PickupView:
        """The customer at an open door says the door did not open, the parcel is not
        there, or it is damaged: one event for the central service, and a screen that
        says what happens next. The door is still followed until it closes."""
        if self._screen not in (PickupScreen.door_open, PickupScreen.door_left_open) or \
                not self._queue:
            return self.view()
        problem = DoorProblem(problem)
        item = self._queue[self._index]
        cid = item.compartment.compartment_id
        reference = self._new_reference()
        event = {DoorProblem.door_didnt_open: EventType.COMPARTMENT_REPORTED_NOT_OPEN,
                 DoorProblem.parcel_missing: EventType.PARCEL_REPORTED_MISSING,
                 DoorProblem.parcel_damaged: EventType.PARCEL_REPORTED_DAMAGED}[problem]
        intent = self._job.intent_id if self._job is not None else None
        self._store.record_event(
            event, actor=CUSTOMER, compartment_id=cid,
            parcel_id=item.parcel_ids[0] if item.parcel_ids else None,
            data={"reference": reference, "parcels": list(item.parcel_ids),
                  "intent_id": intent})
        self._problem = (problem, reference)
        # While the door stands open the screen stays (the door has to close first);
        # once it is closed, the usual error timeout takes the kiosk back home.
        self._go(PickupScreen.problem_reported,
                 None if self._job is not None else self.settings.error_timeout_s)
        return self.view()

    def press_digit(self, digit: str) -> PickupView:
        if self._screen is PickupScreen.code_entry:
            if len(digit) == 1 and digit.isascii() and digit.isdigit() and \
                    len(self._entry) < CODE_LENGTH:
                self._entry += digit
            self._go(PickupScreen.code_entry, self.settings.code_entry_timeout_s)
        return self.view()

    def backspace(self) -> PickupView:
        if self._screen is PickupScreen.code_entry:
            self._entry = self._entry[:-1]
            self._go(PickupScreen.code_entry, self.settings.code_entry_timeout_s)
        return self.view()

    def clear_entry(self) -> PickupView:
        if self._screen is PickupScreen.code_entry:
            self._entry = ""
            self._go(PickupScreen.code_entry, self.settings.code_entry_timeout_s)
        return self.view()

    def submit_code(self, text: str | None = None) -> PickupView:
        """Keypad OK: checks `text`, or the digits typed so far."""
        return self._submit(self._entry if text is None else text, source="keypad")

    def submit_scan(self, text: str) -> PickupView:
        """A QR payload (`XP1:<locker>:<code>`) or bare code from the camera or scanner."""
        return self._submit(text, source="scan")

    def cancel(self) -> PickupView:
        """Back to idle, except while a door is moving or open (it must close first)."""
        if self._screen not in (PickupScreen.door_opening, PickupScreen.door_open,
                                PickupScreen.door_left_open) and not (
                self._screen is PickupScreen.problem_reported and self._job is not None):
            self._to_idle()
        return self.view()

    def retry_door(self) -> PickupView:
        """The customer's one retry after a door did not open (never automatic)."""
        if self._screen is PickupScreen.door_failed and self._retries < \
                self.settings.door_retry_limit:
            self._retries += 1
            self._open_current(reason="pickup_retry")
        return self.view()

    def next_door(self) -> PickupView:
        """After a door failed for good, go on with the remaining parcels of the code."""
        if self._screen is PickupScreen.door_failed and not self._retry_available() and \
                self._index + 1 < len(self._queue):
            self._index += 1
            self._retries = 0
            self._open_current(reason="pickup")
        return self.view()

    def reopen(self) -> PickupView:
        """Open the last door again, offered for a while after it closed."""
        now = self._clock.monotonic()
        if self._screen is PickupScreen.done and self._reopen_until is not None and \
                now < self._reopen_until and self._reopens < self.settings.reopen_limit:
            self._reopens += 1
            self._retries = self.settings.door_retry_limit  # a reopen gets no retry
            self._open_current(reason="pickup_reopen")
        return self.view()

    # -- clock and sensors ---------------------------------------------------------

    def set_offline(self, offline: bool) -> PickupView:
        self._offline = offline
        return self.view()

    def set_board_available(self, ok: bool) -> PickupView:
        """The runner reports whether the lock bank answers at all."""
        self._board_ok = ok
        if not ok and self._screen is PickupScreen.idle:
            self._go(PickupScreen.out_of_service)
        elif ok and self._screen is PickupScreen.out_of_service:
            self._go(PickupScreen.idle)
        return self.view()

    def on_door_states(self, readings: Mapping[str, DoorReading]) -> PickupView:
        for cid, reading in readings.items():
            self._readings[cid] = reading.door
            if self._readings[cid] is DoorState.CLOSED:
                self._open_for_customer.discard(cid)
        if self._job is not None:
            self._follow_door(self._readings.get(self._job.compartment_id, DoorState.UNKNOWN))
        return self.view()

    def tick(self) -> PickupView:
        now = self._clock.monotonic()
        if self._job is not None and self._screen in (
                PickupScreen.door_opening, PickupScreen.door_open, PickupScreen.door_left_open,
                PickupScreen.problem_reported):
            self._follow_door(None)
        if self._screen is PickupScreen.locked_out and self._limiter.remaining_s() <= 0:
            self._to_idle()
        elif self._deadline is not None and now >= self._deadline:
            log.debug("screen %s timed out", self._screen)
            self._to_idle()
        return self.view()

    def recover(self) -> PickupView:
        """After a call failed halfway (the runner calls this): never leave the customer
        on a "checking" screen, nor on "door opening" when no door job was started (the
        intent could not be recorded, e.g. a full disk: no lock fired); a door in
        progress is still followed."""
        stuck_opening = self._screen is PickupScreen.door_opening and self._job is None
        if self._screen is PickupScreen.checking or stuck_opening:
            self._error(PickupScreen.out_of_service)
        return self.view()

    def poll_interval_s(self) -> float:
        """How often the runner should read the doors right now."""
        if self._screen in (PickupScreen.door_opening, PickupScreen.door_open,
                            PickupScreen.door_left_open):
            return self.settings.poll_interval_s
        return self.settings.idle_poll_interval_s

    @property
    def busy_with_door(self) -> bool:
        """A customer door is moving or still open, even one left open after the flow
        went back to idle (remote opens must wait)."""
        return bool(self._open_for_customer) or self.door_in_progress

    @property
    def door_in_progress(self) -> bool:
        """A customer is being served at a door right now (the kiosk must not switch to
        another mode; a door merely left open does not block a courier's login)."""
        return self._job is not None and self._job.phase in (DoorPhase.opening, DoorPhase.open)

    # -- the work ------------------------------------------------------------------

    def _submit(self, text: str, *, source: str) -> PickupView:
        if self._screen not in _ACCEPTS_CODE:
            return self.view()
        self._retry_digits = ""  # only the code just typed is ever offered back
        if self._limiter.remaining_s() > 0:
            self._show_lockout()
            return self.view()
        try:
            scanned = parse_scan(text)
        except MalformedCode as err:
            if self._screen is PickupScreen.done:
                return self.view()  # stray reads while the customer walks away
            self._reset(PickupScreen.malformed_code)
            self._malformed = _malformed_reason(err, text)
            self._error(PickupScreen.malformed_code)
            return self.view()
        after_pickup = self._screen is PickupScreen.done
        if not after_pickup:
            self._reset(PickupScreen.checking)
            self._go(PickupScreen.checking)
        try:
            profile = self._store.profile()
        except StoreNotReady as exc:
            log.warning("code not checked: %s", exc)
            self._reset(PickupScreen.out_of_service)
            self._error(PickupScreen.out_of_service)
            return self.view()
        self._name = profile.name
        if scanned.locker_id is not None and scanned.locker_id != profile.locker_id:
            # A QR naming another locker is never checked here, even if its code would
            # match a parcel of this one: the parcel it was made for waits there, and
            # checking it would only make this kiosk an oracle for made-up QR codes. It
            # counts like a wrong code, so a stream of them is bounded like guesses.
            if after_pickup:
                return self.view()  # stray reads while the customer walks away
            self._deny(scanned, source, PickupScreen.wrong_locker)
            if self._screen is PickupScreen.wrong_locker:
                self._other_locker = (scanned.locker_id,
                                      self._store.locker_name(scanned.locker_id))
            return self.view()
        code_hash = (self._hasher(scanned.code, profile.code_salt) if self._hasher
                     else hash_code(scanned.code, profile.code_salt, profile.kdf))
        if after_pickup and code_hash == self._last_hash:
            # The phone is still in front of the camera: the same QR again is no new
            # request (and must not turn "thank you" into "already picked up").
            return self.view()
        if after_pickup:
            self._reset(PickupScreen.checking)
            self._go(PickupScreen.checking)
        parcels = list(self._store.parcels_for_code_hash(code_hash))
        ready = self._openable(parcels)
        if not ready:
            # A code of a parcel picked up, expected, expired or cancelled opens nothing:
            # it is a wrong code in every way an attacker can see (screen, events, count).
            self._deny(scanned, source)
            return self.view()
        self._last_hash = code_hash
        self._queue = ready
        self._open_current(reason="pickup")
        return self.view()

    def _openable(self, parcels: list[Parcel]) -> list[_Pickup]:
        """The doors to open for a code's parcels: stored ones in a known compartment."""
        stored = [p for p in parcels if p.state == ParcelState.STORED and p.compartment_id]
        if not stored:
            return []
        compartments = list(self._store.compartments())
        self._map = LockerMap.of(compartments)
        by_id = {c.compartment_id: c for c in compartments}
        behind: dict[str, list[Parcel]] = {}
        for p in stored:
            if p.compartment_id in by_id:
                behind.setdefault(p.compartment_id, []).append(p)
        return [_Pickup(by_id[cid], tuple(ps)) for cid, ps in sorted(behind.items())]

    def _count_denied(self, scanned: ScannedCode, source: str) -> Verdict:
        verdict = self._limiter.failure()
        # The cache audits denied codes and lockouts with their events. No code, no hash,
        # nothing that tells a known code from an unknown one.
        self._store.record_event(EventType.CODE_DENIED, actor=CUSTOMER, data={
            "source": source, "locker_named": scanned.locker_id,
            "denied": verdict.denied})
        if verdict.lockout_s is not None:
            self._store.record_event(EventType.CODE_LOCKOUT, actor=CUSTOMER, data={
                "lockout_s": verdict.lockout_s, "lockouts": self._limiter.lockouts})
        if verdict.alarm:
            self._store.record_event(EventType.SECURITY_ALARM, actor=CUSTOMER, data={
                "subject": "pickup_code", "denied": verdict.denied,
                "lockouts": self._limiter.lockouts,
                "window_s": int(self._limiter.policy.memory_s)})
        return verdict

    def _deny(self, scanned: ScannedCode, source: str,
              screen: PickupScreen = PickupScreen.unknown_code) -> None:
        verdict = self._count_denied(scanned, source)
        if verdict.lockout_s is not None:
            self._show_lockout()
        else:
            self._error(screen)
            if source == "keypad" and screen is PickupScreen.unknown_code:
                self._retry_digits = scanned.code

    def _show_lockout(self) -> None:
        # Back to idle when the lockout ends or after the error timeout, whichever is
        # first; the next attempt shows the remaining wait again.
        self._reset(PickupScreen.locked_out)
        self._go(PickupScreen.locked_out,
                 min(self.settings.error_timeout_s, self._limiter.remaining_s()))

    def _open_current(self, *, reason: str) -> None:
        item = self._queue[self._index]
        cid = item.compartment.compartment_id
        self._reminded = self._alarmed = False
        self._reopen_until = None
        self._go(PickupScreen.door_opening)
        self._job = self._doors.open(
            item.compartment, actor=CUSTOMER, reason=reason, parcel_ids=item.parcel_ids,
            before=self._readings.get(cid, DoorState.UNKNOWN),
        )
        if self._job.phase is DoorPhase.not_sent:
            self._job = None
            self._board_ok = False
            self._error(PickupScreen.out_of_service)

    def _follow_door(self, door: DoorState | None) -> None:
        job = self._job
        assert job is not None
        before = job.phase
        phase = self._doors.update(job, door, CUSTOMER)
        item = self._queue[self._index]
        if before is DoorPhase.opening and phase is DoorPhase.open:
            self._open_for_customer.add(job.compartment_id)
            # Only a door that opened for a stored parcel is a success.
            self._limiter.success()
            if job.reason != "pickup_reopen":
                try:
                    self._store.record_pickup(item.parcel_ids, job.compartment_id,
                                              actor=CUSTOMER, intent_id=job.intent_id)
                except RecordRefused as exc:
                    # The door is open and the customer is at it; the record is for
                    # the operator to sort out, not a reason to strand the customer.
                    log.error("pickup at %s not recorded: %s", job.compartment_id, exc)
                    self._store.audit(AuditKind.ALARM, actor=CUSTOMER,
                                      compartment_id=job.compartment_id,
                                      detail=f"pickup not recorded: {exc}")
            self._go(PickupScreen.door_open)
        elif phase is DoorPhase.jammed:
            self._door_failed(job)
        elif phase is DoorPhase.open:
            self._check_left_open(job)
        elif phase is DoorPhase.closed:
            self._job = None
            last = not (self._index + 1 < len(self._queue) and job.reason != "pickup_reopen")
            if self._screen is PickupScreen.problem_reported and last:
                # The report's screen stays up to be read, then times out home.
                self._go(PickupScreen.problem_reported, self.settings.error_timeout_s)
            elif not last:
                self._index += 1
                self._retries = 0
                self._open_current(reason="pickup")
            else:
                s = self.settings
                self._reopen_until = self._clock.monotonic() + s.reopen_window_s
                self._go(PickupScreen.done, max(s.done_timeout_s, s.reopen_window_s))

    def _door_failed(self, job: DoorJob) -> None:
        self._job = None
        if self._retries >= self.settings.door_retry_limit:
            # Out of retries: take the compartment out of use. Central already heard
            # of each jam through the outcome's compartment.jammed event.
            self._store.set_compartment_state(
                job.compartment_id, CompartmentState.FAULT, actor=CUSTOMER,
                reason=f"door did not open after {self._retries + 1} tries",
            )
        self._error(PickupScreen.door_failed)

    def _check_left_open(self, job: DoorJob) -> None:
        s = self.settings
        open_for = self._clock.monotonic() - (job.opened_at or self._clock.monotonic())
        if open_for >= s.left_open_alarm_s and not self._alarmed:
            self._alarmed = True
            self._store.record_event(
                EventType.COMPARTMENT_LEFT_OPEN, actor=CUSTOMER, compartment_id=job.compartment_id,
                data={"open_s": round(open_for), "intent_id": job.intent_id},
            )
            # The alarm is raised; the kiosk goes back to serving after a while and the
            # door monitor keeps watching the open door. A reported problem's screen
            # stays: it already asks to close the door.
            if self._screen is not PickupScreen.problem_reported:
                self._go(PickupScreen.door_left_open, s.error_timeout_s)
        elif open_for >= s.left_open_reminder_s and not self._reminded:
            self._reminded = True
            if self._screen is not PickupScreen.problem_reported:
                self._go(PickupScreen.door_left_open)

    def _retry_available(self) -> bool:
        return self._screen is PickupScreen.door_failed and \
            self._retries < self.settings.door_retry_limit

    # -- view ----------------------------------------------------------------------

    def view(self) -> PickupView:
        now = self._clock.monotonic()
        doors = tuple(self._map.place(p.compartment.compartment_id) for p in self._queue)
        door = doors[self._index] if doors else None
        lockout = self._limiter.remaining_s()
        reopen_left = None
        if self._screen is PickupScreen.done and self._reopen_until is not None and \
                self._reopens < self.settings.reopen_limit and now < self._reopen_until:
            reopen_left = max(1, int(self._reopen_until - now + 0.999))
        other = self._other_locker
        return PickupView(
            screen=self._screen,
            locker_map=self._map,
            doors=doors,
            door=door,
            door_number=self._index + 1 if doors else 0,
            door_count=len(doors),
            entry=self._entry,
            entry_max=CODE_LENGTH,
            malformed_reason=self._malformed,
            locker_name=self._name,
            other_locker_id=other[0] if other else None,
            other_locker_name=other[1] if other else None,
            support_contact=self.settings.support_contact,
            deadline=self._deadline_param,
            lockout_remaining_s=(int(lockout + 0.999) if self._screen is
                                 PickupScreen.locked_out and lockout > 0 else None),
            attempts_left=self._limiter.attempts_left() if self._screen in (
                PickupScreen.unknown_code, PickupScreen.wrong_locker) else None,
            retry_entry=bool(self._retry_digits) and
            self._screen is PickupScreen.unknown_code,
            problem=self._problem[0] if self._problem else None,
            problem_reference=self._problem[1] if self._problem else "",
            retry_available=self._retry_available(),
            left_open_alarm=self._alarmed,
            reopen_remaining_s=reopen_left,
            timeout_remaining_s=countdown(self._deadline, now),
            offline=self._offline,
        )
