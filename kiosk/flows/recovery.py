"""Start-up reconciliation: the door openings the last run left unfinished, settled
against what the doors show now.

The flows write the intent before the unlock frame leaves, the outcome once the sensor
has spoken, the parcel's new state and `compartment.closed` after that, each in its own
transaction. A kiosk killed (power cut, OOM killer, watchdog) between two of these
leaves an opening half-told. At start the kiosk reads the last openings back from the
audit journal and, on the first door poll that knows each door, finishes the story by
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

The lock is never fired by any of this. Each settled opening gets an audit note, so a
later start does not settle it again.

    recovery = StartupRecovery(cache, store)
    recovery.load()                            # before the runner starts
    runner = FlowRunner(..., observers=[..., recovery.on_door_states])
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlmodel import col, select

from kiosk.flows.clock import Clock, SystemClock
from kiosk.flows.ports import (
    Actor,
    ActorKind,
    AuditKind,
    CompartmentState,
    DoorReading,
    EventType,
    OpeningOutcome,
    RecordRefused,
    Store,
)
from sync import cache as c

log = logging.getLogger(__name__)

SYSTEM = Actor(ActorKind.SYSTEM)
SCAN_INTENTS = 200  # the newest door-open intents looked at on each start
SETTLED = "recovery: intent {id} settled"
_SETTLED_RE = re.compile(r"^recovery: intent (\d+) settled")
_OUTCOME_RE = re.compile(r"^intent (\d+): (\S+)")
_OPENED = frozenset({OpeningOutcome.OPENED, OpeningOutcome.ALREADY_OPEN})
_FINAL = frozenset({OpeningOutcome.JAMMED, OpeningOutcome.NOT_SENT, OpeningOutcome.UNCONFIRMED})
_PICKUP_REASONS = frozenset({"pickup", "pickup_retry"})


class Settlement(StrEnum):
    """How one unfinished opening was settled (also what the audit note says)."""

    unconfirmed = "unconfirmed"  # door closed, outcome never seen: nothing assumed
    picked_up = "picked_up"
    deposited = "deposited"
    closed = "closed"  # only the close (and outcome) were missing
    collect_interrupted = "collect_interrupted"
    refused = "refused"  # the cache refused the parcel change: alarm for an operator


@dataclass
class Unfinished:
    """A door-open intent of the last run whose story has no end yet."""

    intent_id: int
    intent_seq: int
    compartment_id: str
    reason: str
    parcel_ids: tuple[str, ...]
    actor: Actor
    outcome: str | None
    closed: bool
    opened_at: float | None = None  # monotonic, when seen open by this run
    watching: bool = False
    recorded: Settlement | None = None  # what this run recorded while the door was open
    alarmed: bool = False  # compartment.left_open raised


@dataclass
class RecoveryReport:
    """What the start-up reconciliation did (for logs and tests)."""

    settled: dict[int, Settlement] = field(default_factory=dict)
    forced_open: list[str] = field(default_factory=list)


class StartupRecovery:
    def __init__(self, cache: c.Cache, store: Store, clock: Clock | None = None, *,
                 left_open_alarm_s: float = 180.0) -> None:
        """`left_open_alarm_s`: a door followed by the recovery that stays open this long
        (from its first reading) raises `compartment.left_open`, as the flows do."""
        self._cache = cache
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
        self._pending = {u.compartment_id: u for u in _unfinished(self._cache)
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
        for command_id, intent_id, outcome in _interrupted_commands(self._cache):
            if intent_id in unknown:
                self._commands[intent_id] = command_id  # finished when its door settles
            elif intent_id is None:
                self._finish_command(command_id, None)
            else:
                self._finish_command(command_id, outcome)

    def _finish_command(self, command_id: str, outcome: str | None) -> None:
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
            door = str(reading.door)
            if door == "unknown":
                continue  # a failed read decides nothing
            first = cid not in self._checked
            self._checked.add(cid)
            u = self._pending.get(cid)
            if u is not None:
                self._advance(u, door, reading.occupied)
            elif first and door == "open":
                self._found_open(cid)

    def _advance(self, u: Unfinished, door: str, occupied: bool | None) -> None:
        if u.outcome is None:
            if door == "closed":
                self._store.record_open_outcome(
                    u.intent_id, OpeningOutcome.UNCONFIRMED,
                    "the kiosk restarted before the door was seen open; found closed, "
                    "nothing assumed")
                if occupied is not None:
                    self._occupancy_note(u, occupied)
                self._settle(u, Settlement.unconfirmed)
                return
            u.outcome = OpeningOutcome.OPENED
            self._store.record_open_outcome(u.intent_id, OpeningOutcome.OPENED,
                                            "seen open when the kiosk restarted")
            command_id = self._commands.pop(u.intent_id, None)
            if command_id is not None:
                self._finish_command(command_id, u.outcome)
        if u.outcome not in _OPENED:
            self._settle(u, Settlement.unconfirmed)
            return
        if door == "open":
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
            comp = self._cache.compartment(u.compartment_id)
            if comp.state == c.CompartmentState.FREE:
                self._store.set_compartment_state(
                    u.compartment_id, CompartmentState.RESERVED, actor=SYSTEM,
                    reason=f"deposit of {u.parcel_ids[0]} in progress at restart")

    def _after_close(self, u: Unfinished) -> Settlement:
        if u.reason in _PICKUP_REASONS:
            return self._pickup(u)
        if u.reason == "deposit":
            if not self._deposit_due(u):
                return Settlement.closed
            try:
                self._store.record_deposit(u.parcel_ids[0], u.compartment_id, actor=u.actor,
                                           intent_id=u.intent_id)
            except RecordRefused as exc:
                return self._refused(u, exc)
            return Settlement.deposited
        if u.reason == "collect":
            self._store.audit(
                AuditKind.ALARM, actor=SYSTEM, compartment_id=u.compartment_id,
                detail=f"collection of {list(u.parcel_ids)} cut short by a restart; parcels "
                       "left as they were: collect again or check the compartment")
            return Settlement.collect_interrupted
        return Settlement.closed

    def _pickup(self, u: Unfinished) -> Settlement:
        inside = {p.parcel_id for p in self._store.parcels_in_compartment(u.compartment_id)}
        due = [pid for pid in u.parcel_ids if pid in inside]
        if not due:
            return u.recorded or Settlement.closed
        try:
            self._store.record_pickup(due, u.compartment_id, actor=u.actor,
                                      intent_id=u.intent_id)
        except RecordRefused as exc:
            return self._refused(u, exc)
        u.recorded = Settlement.picked_up
        return Settlement.picked_up

    def _deposit_due(self, u: Unfinished) -> bool:
        """The deposit was not recorded, not cancelled and not moved to another door."""
        if not u.parcel_ids:
            return False
        pid = u.parcel_ids[0]
        parcel = self._cache.parcel(pid)
        if parcel is None or parcel.state != c.ParcelState.EXPECTED:
            return False
        with self._cache.read() as s:
            later = s.exec(select(c.OutboxEvent).where(
                c.OutboxEvent.parcel_id == pid, col(c.OutboxEvent.seq) > u.intent_seq,
                col(c.OutboxEvent.type).in_([c.EventType.PARCEL_DEPOSIT_FAILED,
                                             c.EventType.COMPARTMENT_OPENED]),
            )).first()
        return later is None

    def _refused(self, u: Unfinished, exc: Exception) -> Settlement:
        log.error("opening of %s (intent %d) not settled: %s", u.compartment_id,
                  u.intent_id, exc)
        self._store.audit(AuditKind.ALARM, actor=SYSTEM, compartment_id=u.compartment_id,
                          detail=f"intent {u.intent_id} ({u.reason}) could not be settled "
                                 f"after a restart: {exc}")
        return Settlement.refused

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
            self._finish_command(command_id, u.outcome or "unconfirmed")
        self.report.settled[u.intent_id] = how
        self._store.audit(AuditKind.NOTE, actor=SYSTEM, compartment_id=u.compartment_id,
                          detail=f"{SETTLED.format(id=u.intent_id)}: {how}")
        log.warning("opening of %s (intent %d) settled after restart: %s",
                    u.compartment_id, u.intent_id, how)

    def _found_open(self, cid: str) -> None:
        """Open at start and no unfinished opening of ours explains it."""
        last = _last_audit(self._cache, cid)
        if last is not None and last.kind == c.AuditKind.ALARM and \
                last.detail == c.EventType.COMPARTMENT_FORCED_OPEN.value:
            return  # already raised before the restart; the door is still open
        log.warning("compartment %s found open at start with no command behind it", cid)
        self.report.forced_open.append(cid)
        self._store.record_event(EventType.COMPARTMENT_FORCED_OPEN, actor=SYSTEM,
                                 compartment_id=cid, data={"found_at_start": True})


# -- reading the journal ----------------------------------------------------------------


def _last_audit(cache: c.Cache, compartment_id: str) -> c.AuditEntry | None:
    with cache.read() as s:
        return s.exec(select(c.AuditEntry).where(
            c.AuditEntry.compartment_id == compartment_id,
            c.AuditEntry.kind != c.AuditKind.COMPARTMENT_STATE,
        ).order_by(col(c.AuditEntry.id).desc())).first()


def _interrupted_commands(cache: c.Cache) -> list[tuple[str, int | None, str | None]]:
    """(command id, door intent id or None, that intent's outcome or None) of every
    remote command claimed and never finished."""
    out: list[tuple[str, int | None, str | None]] = []
    with cache.read() as s:
        running = list(s.exec(select(c.Command.command_id).where(
            c.Command.status == c.LocalCommandStatus.RUNNING)))
        for command_id in running:
            opened = s.exec(select(c.OutboxEvent.event_id).where(
                c.OutboxEvent.type == c.EventType.COMPARTMENT_OPENED,
                col(c.OutboxEvent.data).contains(f"remote command {command_id}:"),
            ).order_by(col(c.OutboxEvent.seq).desc())).first()
            intent = None if opened is None else s.exec(select(c.AuditEntry.id).where(
                c.AuditEntry.kind == c.AuditKind.DOOR_OPEN,
                c.AuditEntry.event_id == opened)).first()
            outcome = None
            if intent is not None:
                told = s.exec(select(c.AuditEntry.detail).where(
                    c.AuditEntry.kind == c.AuditKind.DOOR_OUTCOME,
                    col(c.AuditEntry.detail).startswith(f"intent {intent}: "))).first()
                if told is not None and (m := _OUTCOME_RE.match(told)):
                    outcome = m.group(2)
            out.append((command_id, intent, outcome))
    return out


def _unfinished(cache: c.Cache, limit: int = SCAN_INTENTS) -> list[Unfinished]:
    """The newest intent per compartment whose story has no end, oldest first."""
    with cache.read() as s:
        intents = list(s.exec(select(c.AuditEntry).where(
            c.AuditEntry.kind == c.AuditKind.DOOR_OPEN,
        ).order_by(col(c.AuditEntry.id).desc()).limit(limit)))
        if not intents:
            return []
        first_id = min(i.id or 0 for i in intents)
        later = list(s.exec(select(c.AuditEntry).where(
            col(c.AuditEntry.id) > first_id,
            col(c.AuditEntry.kind).in_([c.AuditKind.DOOR_OUTCOME, c.AuditKind.NOTE]),
        )))
        events = {e.event_id: e for e in s.exec(select(c.OutboxEvent).where(
            col(c.OutboxEvent.event_id).in_([i.event_id for i in intents if i.event_id])))}
        first_seq = min((e.seq for e in events.values()), default=0)
        closes = list(s.exec(select(c.OutboxEvent).where(
            c.OutboxEvent.type == c.EventType.COMPARTMENT_CLOSED,
            col(c.OutboxEvent.seq) > first_seq)))
    outcome: dict[int, str] = {}
    settled: set[int] = set()
    for row in later:
        if row.kind == c.AuditKind.DOOR_OUTCOME and (m := _OUTCOME_RE.match(row.detail)):
            outcome[int(m.group(1))] = m.group(2)
        elif m := _SETTLED_RE.match(row.detail):
            settled.add(int(m.group(1)))
    closed = {_data(e).get("intent_id") for e in closes}
    newest: dict[str, Unfinished] = {}
    for intent in intents:  # newest first: only the last opening of each door counts
        cid = intent.compartment_id
        if cid is None or cid in newest or intent.id is None:
            continue
        ev = events.get(intent.event_id or "")
        data = _data(ev) if ev is not None else {}
        u = Unfinished(
            intent_id=intent.id, intent_seq=ev.seq if ev is not None else 0,
            compartment_id=cid, reason=str(data.get("reason", "")),
            parcel_ids=tuple(str(p) for p in data.get("parcel_ids", ())),
            actor=Actor(intent.actor_kind, intent.actor_id),
            outcome=outcome.get(intent.id), closed=intent.id in closed,
        )
        newest[cid] = u
    return sorted((u for u in newest.values() if not _done(u, settled)),
                  key=lambda u: u.intent_id)


def _done(u: Unfinished, settled: set[int]) -> bool:
    if u.intent_id in settled or u.outcome in _FINAL:
        return True
    # Opened and closed: finished, except a deposit whose parcel record may be missing
    # (the flow writes the close first); `_deposit_due` decides that one.
    return u.outcome in _OPENED and u.closed and u.reason != "deposit"


def _data(event: c.OutboxEvent) -> dict[str, Any]:
    try:
        value = json.loads(event.data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
