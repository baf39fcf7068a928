"""The real cache (`sync.cache.Cache`) seen through the flows' `Store` port.

Rows come back as the flows' frozen records, so a flow never holds a live SQLModel row
and a renamed column is fixed here only. Which compartments a seated person can reach is
layout configuration, not cache data, so it is passed in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from contract.vocabulary import DoorState as StoredDoorState
from kiosk.flows.ports import (
    Actor,
    AuditKind,
    Compartment,
    CompartmentState,
    Courier,
    DoorState,
    EventType,
    InterruptedCommand,
    LockerProfile,
    Opening,
    OpeningOutcome,
    OpeningSettlement,
    Parcel,
    RecordRefused,
    RemoteCommand,
    Store,
    StoreNotReady,
)
from sync import cache as c


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except (c.InvalidTransition, c.NotFound) as exc:
        raise RecordRefused(str(exc)) from exc


class CacheStore:
    def __init__(
        self,
        cache: c.Cache,
        *,
        accessible: Iterable[str] = (),
        other_lockers: Mapping[str, str] | None = None,
    ) -> None:
        self.cache = cache
        self._accessible = frozenset(accessible)
        self._other_lockers = other_lockers if other_lockers is not None else {}

    # -- records -------------------------------------------------------------------

    def _compartment(self, row: c.Compartment) -> Compartment:
        return Compartment(
            compartment_id=row.id, column=row.column, row=row.row, size=row.size,
            state=row.state, accessible=row.id in self._accessible,
        )

    @staticmethod
    def _parcel(row: c.Parcel) -> Parcel:
        return Parcel(
            parcel_id=row.parcel_id, state=row.state, size=row.size or "",
            compartment_id=row.compartment_id, pickup_deadline=row.pickup_deadline,
            barcode=row.barcode, accessible=bool(row.accessible),
        )

    @staticmethod
    def _courier(row: c.Courier | None) -> Courier | None:
        if row is None:
            return None
        return Courier(row.courier_id, row.name, row.pin_hash, row.badge_hash, row.active)

    @staticmethod
    def _command(row: c.Command) -> RemoteCommand:
        return RemoteCommand(row.command_id, row.type, row.compartment_id, row.reason,
                             row.expires_at)

    # -- reads ---------------------------------------------------------------------

    def profile(self) -> LockerProfile:
        try:
            p = self.cache.profile()
        except c.ProfileMissing as exc:
            raise StoreNotReady(str(exc)) from exc
        return LockerProfile(p.locker_id, p.name, p.code_salt, p.kdf)

    def locker_name(self, locker_id: str) -> str | None:
        return self._other_lockers.get(locker_id)

    def compartments(self) -> Sequence[Compartment]:
        return [self._compartment(r) for r in self.cache.compartments()]

    def parcels_for_code_hash(self, code_hash: str) -> Sequence[Parcel]:
        return [self._parcel(r) for r in self.cache.parcels_for_code_hash(code_hash)]

    def parcel(self, parcel_id: str) -> Parcel | None:
        row = self.cache.parcel(parcel_id)
        return None if row is None else self._parcel(row)

    def parcel_by_barcode(self, barcode: str) -> Parcel | None:
        row = self.cache.parcel_by_barcode(barcode)
        return None if row is None else self._parcel(row)

    def parcels_to_collect(self) -> Sequence[Parcel]:
        return [self._parcel(r) for r in self.cache.parcels_to_collect()]

    def free_compartments(self, size: str) -> Sequence[Compartment]:
        return [self._compartment(r) for r in self.cache.free_compartments(size)]

    def expected_parcel_count(self) -> int:
        return self.cache.expected_parcel_count()

    def parcels_in_compartment(self, compartment_id: str) -> Sequence[Parcel]:
        return [self._parcel(r) for r in self.cache.parcels_in_compartment(compartment_id)]

    def courier_by_id(self, courier_id: str) -> Courier | None:
        return self._courier(self.cache.courier(courier_id))

    def courier_by_badge_hash(self, badge_hash: str) -> Courier | None:
        return self._courier(self.cache.courier_by_badge_hash(badge_hash))

    def pending_commands(self) -> Sequence[RemoteCommand]:
        return [self._command(r) for r in self.cache.pending_commands()]

    # -- after a restart -------------------------------------------------------------

    @staticmethod
    def _opening(row: c.DoorOpening) -> Opening:
        return Opening(
            intent_id=row.intent_id, event_seq=row.event_seq,
            compartment_id=row.compartment_id, reason=row.reason,
            parcel_ids=tuple(str(p) for p in json.loads(row.parcel_ids or "[]")),
            actor=Actor(row.actor_kind, row.actor_id), outcome=row.outcome,
            closed=row.closed_at is not None)

    def unsettled_openings(self, limit: int) -> Sequence[Opening]:
        return [self._opening(r) for r in self.cache.unsettled_openings(limit)]

    def interrupted_commands(self) -> Sequence[InterruptedCommand]:
        return [InterruptedCommand(r.command_id, r.intent_id, r.outcome)
                for r in self.cache.interrupted_commands()]

    def deposit_moved_on(self, parcel_id: str, after_seq: int) -> bool:
        return self.cache.deposit_moved_on(parcel_id, after_seq)

    def forced_open_raised(self, compartment_id: str) -> bool:
        last = self.cache.last_door_audit(compartment_id)
        return last is not None and last.kind == AuditKind.ALARM and \
            last.detail == EventType.COMPARTMENT_FORCED_OPEN.value

    def settle_opening(self, intent_id: int, settlement: OpeningSettlement) -> None:
        self.cache.settle_opening(intent_id, settlement)

    def sync_status(self) -> c.SyncStatus:
        return self.cache.sync_status()

    def audit_trail(self) -> Sequence[Mapping[str, Any]]:
        rows = reversed(self.cache.recent_audit(limit=10_000_000))
        return [
            {"id": r.id, "at": r.at.isoformat(), "kind": str(r.kind),
             "actor_kind": str(r.actor_kind), "actor_id": r.actor_id,
             "compartment_id": r.compartment_id, "parcel_id": r.parcel_id,
             "event_id": r.event_id, "detail": r.detail}
            for r in rows
        ]

    def load_state(self, key: str) -> str | None:
        return self.cache.load_state(key)

    # -- writes --------------------------------------------------------------------

    def save_state(self, key: str, value: str) -> None:
        self.cache.save_state(key, value)

    def record_open_intent(self, compartment_id: str, *, actor: Actor, reason: str,
                           parcel_ids: Sequence[str] = (), command_id: str | None = None
                           ) -> int:
        return self.cache.record_open_intent(
            compartment_id, list(parcel_ids), actor.kind, actor.id, reason,
            command_id=command_id)

    def record_open_outcome(self, intent_id: int, outcome: OpeningOutcome, detail: str = ""
                            ) -> None:
        self.cache.record_open_outcome(intent_id, outcome, detail)

    def record_pickup(self, parcel_ids: Sequence[str], compartment_id: str, *, actor: Actor,
                      intent_id: int) -> None:
        with _refusals():
            self.cache.record_pickup(list(parcel_ids), compartment_id,
                                     actor_kind=actor.kind, actor_id=actor.id,
                                     intent_id=intent_id)

    def record_deposit(self, parcel_id: str, compartment_id: str, *, actor: Actor,
                       intent_id: int) -> None:
        with _refusals():
            self.cache.record_deposit(parcel_id, compartment_id, courier_id=actor.id or "",
                                      intent_id=intent_id)

    def record_collection(self, parcel_ids: Sequence[str], compartment_id: str, *,
                          actor: Actor, intent_id: int | None) -> None:
        with _refusals():
            self.cache.record_collection(list(parcel_ids), compartment_id,
                                         courier_id=actor.id or "", intent_id=intent_id)

    def set_compartment_state(self, compartment_id: str, state: CompartmentState, *,
                              actor: Actor, reason: str) -> None:
        self.cache.set_compartment_state(
            compartment_id, state, actor_kind=actor.kind,
            actor_id=actor.id, reason=reason)

    def unverified_doors(self) -> Mapping[str, int]:
        return {cid: len(rows) for cid, rows in self.cache.unverified_doors().items()}

    def verify_door(self, compartment_id: str, *, actor: Actor, how: str) -> Sequence[str]:
        with _refusals():
            return self.cache.verify_door(compartment_id, actor_kind=actor.kind,
                                          actor_id=actor.id, how=how)

    def refute_door(self, compartment_id: str, *, actor: Actor, how: str) -> int:
        with _refusals():
            return self.cache.refute_door(compartment_id, actor_kind=actor.kind,
                                          actor_id=actor.id, how=how)

    def set_door_state(self, compartment_id: str, door: DoorState, occupied: bool | None
                       ) -> None:
        # The wall between the driver's word and the stored one: same values (checked by
        # tests/test_vocabulary.py), two enums because the driver imports nothing of ours.
        self.cache.set_door_state(compartment_id, StoredDoorState(door), occupied)

    def record_event(self, event_type: EventType, *, actor: Actor, parcel_id: str | None = None,
                     compartment_id: str | None = None,
                     data: Mapping[str, Any] | None = None) -> None:
        self.cache.record_event(
            event_type, parcel_id=parcel_id, compartment_id=compartment_id,
            actor_kind=actor.kind, actor_id=actor.id, data=data)

    def audit(self, kind: AuditKind, *, actor: Actor, compartment_id: str | None = None,
              parcel_id: str | None = None, detail: str = "") -> None:
        self.cache.audit(kind, actor_kind=actor.kind, actor_id=actor.id,
                         compartment_id=compartment_id, parcel_id=parcel_id, detail=detail)

    def claim_command(self, command_id: str) -> RemoteCommand | None:
        row = self.cache.claim_command(command_id)
        return None if row is None else self._command(row)

    def finish_command(self, command_id: str, *, ok: bool, detail: str) -> None:
        self.cache.mark_command_done(command_id, ok, detail)



def _fits(store: CacheStore) -> Store:
    return store  # mypy checks CacheStore against the flows' Store port here
