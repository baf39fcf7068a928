"""Start-up reconciliation: the door openings the last run left unfinished, settled
against what the doors show now.

The flows write the intent before the unlock frame leaves, the outcome once the sensor
has spoken, the parcel's new state and `compartment.closed` after that, each in its own
transaction. A kiosk killed (power cut, OOM killer, watchdog) between two of these
leaves an opening half-told. At start the kiosk reads the last openings back from the
cache (`Store.unsettled_openings`: each opening's outcome, close and settlement are
columns of the cache) and, on the first door poll that knows each door, finishes the story by
the same rules the flows use while running:

- no outcome, door closed: the unlock may never have left. Nothing is assumed; the
  outcome is `unconfirmed`, the parcel keeps its state and nothing is fired again
  (the customer or courier simply asks again).
- no outcome, door open: the unlock did open it (`opened`, seen at start).
- door confirmed open for a customer pickup: the parcels are picked up (the flow's rule:
  recorded as soon as the door is seen open).
- door confirmed open for a deposit: the compartment is reserved while it stays open,
  and the parcel is stored when it closes (the flow's rule: a deposit door opened and
  closed again holds the parcel), unless the deposit was cancelled or moved elsewhere.
- door confirmed open and now closed: `compartment.closed` is written if it was not.
- a collection cut short is left for the courier to redo (only the courier can say the
  parcels were taken); it is raised as an alarm.
- a door found open that no unfinished opening explains: `compartment.forced_open`
  (once; a restart loop does not repeat the alarm).
- a door followed this way that stays open raises `compartment.left_open`, as in the
  flows.
- a remote command left running (claimed, never finished) is finished, never run again:
  completed when its door was seen open, failed otherwise, so the operator hears of it.

The lock is never fired by any of this. Each settled opening gets its settlement stored
(and an audit note), so a later start does not settle it again.

    recovery = StartupRecovery(store)
    recovery.load()                            # before the runner starts
    runner = FlowRunner(..., observers=[..., recovery.on_door_states])
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.flows.clock import Clock, SystemClock
from kiosk.flows.ports import (
    Actor,
    ActorKind,
    AuditKind,
    CompartmentState,
    DoorReading,
    DoorState,
    EventType,
    Opening,
    OpeningOutcome,
    OpeningSettlement,
    ParcelState,
    RecordRefused,
    Store,
)

log = logging.getLogger(__name__)

# How an opening was settled is stored with it: the house's word for it.
Settlement = OpeningSettlement

SYSTEM = Actor(ActorKind.SYSTEM)
SCAN_INTENTS = 200  # the newest door-open intents looked at on each start
_OPENED = frozenset({OpeningOutcome.OPENED, OpeningOutcome.ALREADY_OPEN})
_FINAL = frozenset({OpeningOutcome.JAMMED, OpeningOutcome.NOT_SENT,
                    OpeningOutcome.UNCONFIRMED})
_PICKUP_REASONS = frozenset({"pickup", "pickup_retry"})


@dataclass
class Unfinished:
    """A door-open intent of the last run whose story has no end yet."""

    intent_id: int
    intent_seq: int
    compartment_id: str
    reason: str
    parcel_ids: tuple[str, ...]
    actor: Actor
    outcome: OpeningOutcome | None
    closed: bool
    opened_at: float | None = None  # monotonic, when seen open by this run
    watching: bool = False
    recorded: Settlement | None = None  # what this run recorded while the door was open
    alarmed: bool = False  # compartment.left_open raised

    @classmethod
    def of(cls, o: Opening) -> Unfinished:
        return cls(intent_id=o.intent_id, intent_seq=o.event_seq,
                   compartment_id=o.compartment_id, reason=o.reason,
                   parcel_ids=o.parcel_ids, actor=o.actor, outcome=o.outcome,
                   closed=o.closed)


@dataclass
class RecoveryReport:
    """What the start-up reconciliation did (for logs and tests)."""

    settled: dict[int, Settlement] = field(default_factory=dict)
    forced_open: list[str] = field(default_factory=list)


class StartupRecovery:
    def __init__(self, store: Store, clock: Clock | None = None, *,
                 left_open_alarm_s: float = 180.0) -> None:
        """`left_open_alarm_s`: a door followed by the recovery that stays open this long
        (from its first reading) raises `compartment.left_open`, as the flows do."""
        self._left_open_alarm_s = left_open_alarm_s
        self._store = store
        self._clock = clock or SystemClock()
        self._pending: dict[str, Unfinished] = {}
        self._checked: set[str] = set()  # doors seen once since start
        self._commands: dict[int, str] = {}  # intent id -> remote command waiting on it
        self.report = RecoveryReport()

    # -- start ----------------------------------------------------------------------

    def load(self) -> list[Unfinished]:
        """Read the unfinished openings from the journal (no board needed). Never stops
        the kiosk from starting: on an unexpected error it logs and settles nothing (the
        door watch still raises forced openings)."""
        try:
            return self._load()
        except Exception:
            log.exception("start-up recovery could not read the journal; unfinished door "
                          "openings of the last run are left as they are")
            self._pending = {}
            return []

    def _load(self) -> list[Unfinished]:
        self._pending = {u.compartment_id: u for u in _unfinished(self._store)
                         if not (u.closed and u.reason == "deposit" and not self._deposit_due(u))}
        for u in self._pending.values():
            log.warning("opening of %s (intent %d, %s) was unfinished at start: outcome %s, "
                        "close %s", u.compartment_id, u.intent_id, u.reason,
                        u.outcome or "unknown", "recorded" if u.closed else "not recorded")
        self._finish_commands()
        return list(self._pending.values())

    def _finish_commands(self) -> None:
        """Remote commands claimed by the last run and never finished."""
        unknown = {u.intent_id for u in self._pending.values() if u.outcome is None}
        for cmd in self._store.interrupted_commands():
            command_id, intent_id, outcome = cmd.command_id, cmd.intent_id, cmd.outcome
            if intent_id in unknown:
                self._commands[intent_id] = command_id  # finished when its door settles
            elif intent_id is None:
                self._finish_command(command_id, None)
            else:
                self._finish_command(command_id, outcome)

    def _finish_command(self, command_id: str, outcome: OpeningOutcome | None) -> None:
        if outcome in _OPENED:
            ok, detail = True, f"{outcome} (confirmed after a kiosk restart)"
        elif outcome is None:
            ok, detail = False, ("the kiosk restarted while running it; no door was opened "
                                 "for it and it was not run again: check the compartment "
                                 "and send it again if still needed")
        else:
            ok, detail = False, f"door {outcome} (the kiosk restarted meanwhile)"
        self._store.finish_command(command_id, ok=ok, detail=detail)
        log.warning("remote command %s left running by the last run: %s", command_id, detail)

    @property
    def pending(self) -> Mapping[str, Unfinished]:
        return dict(self._pending)

    # -- every poll (runner thread) ---------------------------------------------------

    def on_door_states(self, readings: Mapping[str, DoorReading]) -> None:
        for cid, reading in readings.items():
            door = reading.door
            if door is DoorState.UNKNOWN:
                continue  # a failed read decides nothing
            first = cid not in self._checked
            self._checked.add(cid)
            u = self._pending.get(cid)
            if u is not None:
                self._advance(u, door, reading.occupied)
            elif first and door is DoorState.OPEN:
                self._found_open(cid)

    def _advance(self, u: Unfinished, door: DoorState, occupied: bool | None) -> None:
        if u.outcome is None:
            if door is DoorState.CLOSED:
                self._store.record_open_outcome(
                    u.intent_id, OpeningOutcome.UNCONFIRMED,
                    "the kiosk restarted before the door was seen open; found closed, "
                    "nothing assumed")
                if occupied is not None:
                    self._occupancy_note(u, occupied)
                self._settle(u, Settlement.UNCONFIRMED)
                return
            u.outcome = OpeningOutcome.OPENED
            self._store.record_open_outcome(u.intent_id, OpeningOutcome.OPENED,
                                            "seen open when the kiosk restarted")
            command_id = self._commands.pop(u.intent_id, None)
            if command_id is not None:
                self._finish_command(command_id, u.outcome)
        if u.outcome not in _OPENED:
            self._settle(u, Settlement.UNCONFIRMED)
            return
        if door is DoorState.OPEN:
            now = self._clock.monotonic()
            if not u.watching:
                u.watching = True
                u.opened_at = now
                self._while_open(u)
            elif not u.alarmed and now - (u.opened_at or now) >= self._left_open_alarm_s:
                u.alarmed = True
                self._store.record_event(
                    EventType.COMPARTMENT_LEFT_OPEN, actor=u.actor, compartment_id=u.compartment_id,
                    data={"open_s": round(now - (u.opened_at or now)),
                          "intent_id": u.intent_id, "after_restart": True})
            return
        if not u.closed:
            now = self._clock.monotonic()
            self._store.record_event(
                EventType.COMPARTMENT_CLOSED, actor=u.actor, compartment_id=u.compartment_id,
                parcel_id=u.parcel_ids[0] if len(u.parcel_ids) == 1 else None,
                data={"intent_id": u.intent_id,
                      "open_s": round(now - u.opened_at, 1) if u.opened_at else None,
                      "after_restart": True})
            u.closed = True
        self._settle(u, self._after_close(u))

    def _while_open(self, u: Unfinished) -> None:
        """The door is open for an opening of the last run: finish what the flow does at
        this point, and keep the compartment out of the free pool until it closes."""
        if u.reason in _PICKUP_REASONS:
            self._pickup(u)
        elif u.reason == "deposit" and self._deposit_due(u):
            state = next((c.state for c in self._store.compartments()
                          if c.compartment_id == u.compartment_id), None)
            if state is CompartmentState.FREE:
                self._store.set_compartment_state(
                    u.compartment_id, CompartmentState.RESERVED, actor=SYSTEM,
                    reason=f"deposit of {u.parcel_ids[0]} in progress at restart")

    def _after_close(self, u: Unfinished) -> Settlement:
        if u.reason in _PICKUP_REASONS:
            return self._pickup(u)
        if u.reason == "deposit":
            if not self._deposit_due(u):
                return Settlement.CLOSED
            try:
                self._store.record_deposit(u.parcel_ids[0], u.compartment_id, actor=u.actor,
                                           intent_id=u.intent_id)
            except RecordRefused as exc:
                return self._refused(u, exc)
            return Settlement.DEPOSITED
        if u.reason == "collect":
            self._store.audit(
                AuditKind.ALARM, actor=SYSTEM, compartment_id=u.compartment_id,
                detail=f"collection of {list(u.parcel_ids)} cut short by a restart; parcels "
                       "left as they were: collect again or check the compartment")
            return Settlement.COLLECT_INTERRUPTED
        return Settlement.CLOSED

    def _pickup(self, u: Unfinished) -> Settlement:
        inside = {p.parcel_id for p in self._store.parcels_in_compartment(u.compartment_id)}
        due = [pid for pid in u.parcel_ids if pid in inside]
        if not due:
            return u.recorded or Settlement.CLOSED
        try:
            self._store.record_pickup(due, u.compartment_id, actor=u.actor,
                                      intent_id=u.intent_id)
        except RecordRefused as exc:
            return self._refused(u, exc)
        u.recorded = Settlement.PICKED_UP
        return Settlement.PICKED_UP

    def _deposit_due(self, u: Unfinished) -> bool:
        """The deposit was not recorded, not cancelled and not moved to another door."""
        if not u.parcel_ids:
            return False
        pid = u.parcel_ids[0]
        parcel = self._store.parcel(pid)
        if parcel is None or parcel.state is not ParcelState.EXPECTED:
            return False
        return not self._store.deposit_moved_on(pid, u.intent_seq)

    def _refused(self, u: Unfinished, exc: Exception) -> Settlement:
        log.error("opening of %s (intent %d) not settled: %s", u.compartment_id,
                  u.intent_id, exc)
        self._store.audit(AuditKind.ALARM, actor=SYSTEM, compartment_id=u.compartment_id,
                          detail=f"intent {u.intent_id} ({u.reason}) could not be settled "
                                 f"after a restart: {exc}")
        return Settlement.REFUSED

    def _occupancy_note(self, u: Unfinished, occupied: bool) -> None:
        inside = bool(self._store.parcels_in_compartment(u.compartment_id))
        if occupied != inside:
            self._store.audit(
                AuditKind.ALARM, actor=SYSTEM, compartment_id=u.compartment_id,
                detail=f"after a restart the occupancy sensor reads "
                       f"{'occupied' if occupied else 'empty'} but the cache says "
                       f"{'occupied' if inside else 'empty'}: check the compartment")

    def _settle(self, u: Unfinished, how: Settlement) -> None:
        self._pending.pop(u.compartment_id, None)
        command_id = self._commands.pop(u.intent_id, None)
        if command_id is not None:
            self._finish_command(command_id, u.outcome or OpeningOutcome.UNCONFIRMED)
        self.report.settled[u.intent_id] = how
        self._store.settle_opening(u.intent_id, how)
        log.warning("opening of %s (intent %d) settled after restart: %s",
                    u.compartment_id, u.intent_id, how)

    def _found_open(self, cid: str) -> None:
        """Open at start and no unfinished opening of ours explains it."""
        if self._store.forced_open_raised(cid):
            return  # already raised before the restart; the door is still open
        log.warning("compartment %s found open at start with no command behind it", cid)
        self.report.forced_open.append(cid)
        self._store.record_event(EventType.COMPARTMENT_FORCED_OPEN, actor=SYSTEM,
                                 compartment_id=cid, data={"found_at_start": True})


# -- which openings are unfinished --------------------------------------------------------


def _unfinished(store: Store, limit: int = SCAN_INTENTS) -> list[Unfinished]:
    """The last opening of each door whose story has no end, oldest first."""
    return [Unfinished.of(o) for o in store.unsettled_openings(limit) if not _done(o)]


def _done(o: Opening) -> bool:
    if o.outcome in _FINAL:
        return True
    # Opened and closed: finished, except a deposit whose parcel record may be missing
    # (the flow writes the close first); `_deposit_due` decides that one.
    return o.outcome in _OPENED and o.closed and o.reason != "deposit"
