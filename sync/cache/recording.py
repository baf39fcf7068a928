"""Door openings and what the flows did: each call is one transaction holding the state
change, its outbox event(s) (with the next `seq`) and its audit row(s)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sync.cache import contents, journal
from sync.cache.base import INSIDE, CacheBase, get_compartment, get_parcel
from sync.cache.errors import InvalidTransition, NotFound
from sync.cache.models import (
    ActorKind,
    AuditEntry,
    AuditKind,
    CompartmentState,
    DoorOpening,
    EventType,
    OpeningOutcome,
    OutboxEvent,
    Parcel,
    ParcelState,
)

# Audit kind written alongside an event recorded through `record_event`.
_EVENT_AUDIT: dict[EventType, AuditKind] = {
    EventType.CODE_DENIED: AuditKind.CODE_DENIED,
    EventType.CODE_LOCKOUT: AuditKind.ALARM,
    EventType.COURIER_LOGIN: AuditKind.LOGIN,
    EventType.TECHNICIAN_LOGIN: AuditKind.LOGIN,
    EventType.COURIER_LOGIN_FAILED: AuditKind.LOGIN_FAILED,
    EventType.COMPARTMENT_FORCED_OPEN: AuditKind.ALARM,
    EventType.COMPARTMENT_LEFT_OPEN: AuditKind.ALARM,
    EventType.COMPARTMENT_JAMMED: AuditKind.ALARM,
    EventType.COMPARTMENT_OCCUPANCY_MISMATCH: AuditKind.ALARM,
    EventType.PARCEL_PULL_REFUSED: AuditKind.ALARM,
    EventType.LOCKER_PROFILE_REFUSED: AuditKind.ALARM,
}


class RecordingMixin(CacheBase):
    """Writes the flows make; see the module docstring."""

    # -- door openings and the flows' outcomes ------------------------------------------

    def record_open_intent(
        self,
        compartment_id: str,
        parcel_ids: Sequence[str],
        actor_kind: ActorKind,
        actor_id: str | None,
        reason: str,
        *,
        command_id: str | None = None,
    ) -> int:
        """Call BEFORE the unlock frame leaves. Writes the audit row, the
        `compartment.opened` event and the opening's `door_opening` row in one
        transaction; returns the intent id (audit id) to pass to `record_open_outcome`
        and the record_* calls. `command_id`: the remote command it runs, if any."""
        now = self._clock()
        with self.write() as s:
            get_compartment(s, compartment_id)
            ev = journal.append_event(
                s, EventType.COMPARTMENT_OPENED, at=now, compartment_id=compartment_id,
                parcel_id=parcel_ids[0] if len(parcel_ids) == 1 else None,
                actor_kind=actor_kind, actor_id=actor_id,
                data={"reason": reason, "parcel_ids": list(parcel_ids)},
            )
            entry = journal.append_audit(
                s, AuditKind.DOOR_OPEN, at=now, actor_kind=actor_kind, actor_id=actor_id,
                compartment_id=compartment_id, event_id=ev.event_id,
                parcel_id=parcel_ids[0] if len(parcel_ids) == 1 else None,
                detail=f"unlock requested: {reason}; parcels {list(parcel_ids)}",
            )
            assert entry.id is not None
            s.add(DoorOpening(
                intent_id=entry.id, compartment_id=compartment_id, reason=reason,
                parcel_ids=json.dumps(list(parcel_ids)), actor_kind=actor_kind,
                actor_id=actor_id, command_id=command_id, event_seq=ev.seq,
                requested_at=now))
            return entry.id

    def record_open_outcome(self, intent_id: int, outcome: OpeningOutcome | str,
                            detail: str = "") -> None:
        """What the door did after the unlock (opened, already_open, jammed, not_sent,
        unconfirmed). A jam also raises `compartment.jammed`."""
        outcome = OpeningOutcome(outcome)  # an unknown word is refused here, not stored
        now = self._clock()
        with self.write() as s:
            intent = s.get(AuditEntry, intent_id)
            if intent is None or intent.kind != AuditKind.DOOR_OPEN:
                raise NotFound(f"no door-open intent with id {intent_id}")
            opening = s.get(DoorOpening, intent_id)
            if opening is not None:
                opening.outcome, opening.outcome_at = outcome, now
                s.add(opening)
            event_id = None
            if outcome is OpeningOutcome.JAMMED:
                ev = journal.append_event(
                    s, EventType.COMPARTMENT_JAMMED, at=now,
                    compartment_id=intent.compartment_id, actor_kind=intent.actor_kind,
                    actor_id=intent.actor_id, data={"intent_id": intent_id, "detail": detail},
                )
                event_id = ev.event_id
            journal.append_audit(
                s, AuditKind.DOOR_OUTCOME, at=now, actor_kind=intent.actor_kind,
                actor_id=intent.actor_id, compartment_id=intent.compartment_id,
                event_id=event_id,
                detail=f"intent {intent_id}: {outcome.value} {detail}".strip(),
            )

    def record_pickup(
        self,
        parcel_ids: Sequence[str],
        compartment_id: str,
        *,
        actor_kind: ActorKind = ActorKind.CUSTOMER,
        actor_id: str | None = None,
        intent_id: int | None = None,
    ) -> list[OutboxEvent]:
        """Parcels -> picked_up, compartment -> free, one `parcel.picked_up` event per
        parcel, audit; all or nothing. InvalidTransition if one was already taken."""
        return self._take_out(
            parcel_ids, compartment_id, INSIDE, ParcelState.PICKED_UP,
            EventType.PARCEL_PICKED_UP, AuditKind.PICKUP, actor_kind, actor_id, intent_id,
        )

    def record_collection(
        self,
        parcel_ids: Sequence[str],
        compartment_id: str,
        *,
        courier_id: str,
        intent_id: int | None = None,
    ) -> list[OutboxEvent]:
        """A courier took expired/cancelled parcels back: -> collected, compartment free."""
        return self._take_out(
            parcel_ids, compartment_id, INSIDE, ParcelState.COLLECTED,
            EventType.PARCEL_COLLECTED, AuditKind.COLLECTION, ActorKind.COURIER, courier_id,
            intent_id,
        )

    def record_deposit(
        self,
        parcel_id: str,
        compartment_id: str,
        *,
        courier_id: str,
        intent_id: int | None = None,
    ) -> OutboxEvent:
        """An expected parcel was loaded: -> stored in the compartment, which -> occupied."""
        now = self._clock()
        with self.write() as s:
            parcel = get_parcel(s, parcel_id)
            comp = get_compartment(s, compartment_id)
            if parcel.state != ParcelState.EXPECTED:
                raise InvalidTransition(
                    f"parcel {parcel.order_ref or parcel_id} is {parcel.state.value}, not "
                    "expected: it cannot be deposited again"
                )
            if comp.state not in (CompartmentState.FREE, CompartmentState.RESERVED):
                raise InvalidTransition(
                    f"compartment {compartment_id} is {comp.state.value}; choose a free one"
                )
            _mark_local(parcel)
            parcel.state, parcel.compartment_id = ParcelState.STORED, compartment_id
            s.add(parcel)
            s.flush()
            contents.settle(s, [compartment_id], now)
            ev = journal.append_event(
                s, EventType.PARCEL_DEPOSITED, at=now, parcel_id=parcel_id,
                compartment_id=compartment_id, actor_kind=ActorKind.COURIER,
                actor_id=courier_id, data=_intent(intent_id),
            )
            journal.append_audit(
                s, AuditKind.DEPOSIT, at=now, actor_kind=ActorKind.COURIER,
                actor_id=courier_id, compartment_id=compartment_id, parcel_id=parcel_id,
                event_id=ev.event_id, detail=f"deposited (intent {intent_id})",
            )
            return ev

    def record_event(
        self,
        type: EventType,
        *,
        parcel_id: str | None = None,
        compartment_id: str | None = None,
        actor_kind: ActorKind = ActorKind.SYSTEM,
        actor_id: str | None = None,
        data: Mapping[str, Any] | None = None,
        detail: str = "",
    ) -> OutboxEvent:
        """Any other event (alarms, denied codes, logins, locker.started...). Denied
        codes, logins and alarms get their audit row in the same transaction. A
        `compartment.closed` that names its opening (`data["intent_id"]`) closes that
        opening's `door_opening` row in it too. Never put a plain code or PIN in `data`
        or `detail`."""
        now = self._clock()
        type = EventType(type)
        with self.write() as s:
            ev = journal.append_event(
                s, type, at=now, parcel_id=parcel_id, compartment_id=compartment_id,
                actor_kind=actor_kind, actor_id=actor_id, data=data,
            )
            kind = _EVENT_AUDIT.get(type)
            if kind is not None:
                journal.append_audit(
                    s, kind, at=now, actor_kind=actor_kind, actor_id=actor_id,
                    compartment_id=compartment_id, parcel_id=parcel_id,
                    event_id=ev.event_id, detail=detail or type.value,
                )
            intent_id = (data or {}).get("intent_id")
            if type is EventType.COMPARTMENT_CLOSED and isinstance(intent_id, int):
                opening = s.get(DoorOpening, intent_id)
                if opening is not None and opening.closed_at is None:
                    opening.closed_at = now
                    s.add(opening)
            return ev

    def audit(
        self,
        kind: AuditKind,
        *,
        actor_kind: ActorKind = ActorKind.SYSTEM,
        actor_id: str | None = None,
        compartment_id: str | None = None,
        parcel_id: str | None = None,
        detail: str = "",
    ) -> int:
        """Append an audit row on its own; returns its id."""
        with self.write() as s:
            entry = journal.append_audit(
                s, kind, at=self._clock(), actor_kind=actor_kind, actor_id=actor_id,
                compartment_id=compartment_id, parcel_id=parcel_id, detail=detail,
            )
            assert entry.id is not None
            return entry.id

    # -- helpers -------------------------------------------------------------------------

    def _take_out(
        self,
        parcel_ids: Sequence[str],
        compartment_id: str,
        allowed: frozenset[ParcelState],
        new_state: ParcelState,
        event_type: EventType,
        audit_kind: AuditKind,
        actor_kind: ActorKind,
        actor_id: str | None,
        intent_id: int | None,
    ) -> list[OutboxEvent]:
        if not parcel_ids:
            raise ValueError("no parcel given")
        now = self._clock()
        with self.write() as s:
            get_compartment(s, compartment_id)
            events = []
            for pid in parcel_ids:
                parcel = get_parcel(s, pid)
                if parcel.state not in allowed:
                    raise InvalidTransition(
                        f"parcel {parcel.order_ref or pid} is {parcel.state.value}; "
                        f"it cannot become {new_state.value}"
                    )
                _mark_local(parcel)
                parcel.state = new_state
                parcel.compartment_id = compartment_id
                s.add(parcel)
                ev = journal.append_event(
                    s, event_type, at=now, parcel_id=pid, compartment_id=compartment_id,
                    actor_kind=actor_kind, actor_id=actor_id, data=_intent(intent_id),
                )
                journal.append_audit(
                    s, audit_kind, at=now, actor_kind=actor_kind, actor_id=actor_id,
                    compartment_id=compartment_id, parcel_id=pid, event_id=ev.event_id,
                    detail=f"{new_state.value} (intent {intent_id})",
                )
                events.append(ev)
            s.flush()
            contents.settle(s, [compartment_id], now)
            return events




def _mark_local(parcel: Parcel) -> None:
    # Remember the central version this local change was based on (kept across several
    # local changes until the central side has sent a newer copy).
    if parcel.local_base_version is None:
        parcel.local_base_version = parcel.version


def _intent(intent_id: int | None) -> dict[str, Any]:
    return {} if intent_id is None else {"intent_id": intent_id}
