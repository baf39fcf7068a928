"""Interim stand-ins for the cache and bank, replaced by the real ones as they land."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from kiosk.flows.ports import (
    Actor,
    Compartment,
    CompartmentState,
    Courier,
    DoorReading,
    DoorState,
    LockerProfile,
    OpenOutcome,
    Parcel,
    ParcelState,
    RemoteCommand,
    UnlockStatus,
)


class SimpleConfirmer:
    def __init__(self, before: DoorState, started_at: float, timeout_s: float) -> None:
        self.before, self.started_at, self.timeout_s = before, started_at, timeout_s

    def update(self, door: DoorState, now: float) -> OpenOutcome | None:
        if door is DoorState.open:
            return OpenOutcome.already_open if self.before is DoorState.open else \
                OpenOutcome.opened
        if now - self.started_at >= self.timeout_s:
            return OpenOutcome.jammed
        return None


@dataclass
class Event:
    type: str
    actor: Actor
    parcel_id: str | None
    compartment_id: str | None
    data: dict[str, Any]


class MemStore:
    def __init__(self, profile: LockerProfile) -> None:
        self._profile = profile
        self.compartments_by_id: dict[str, Compartment] = {}
        self.parcels: dict[str, Parcel] = {}
        self.hashes: dict[str, str] = {}
        self.couriers: dict[str, Courier] = {}
        self.commands: dict[str, RemoteCommand] = {}
        self.finished: dict[str, tuple[bool, str]] = {}
        self.events: list[Event] = []
        self.audits: list[tuple[str, Actor, str | None, dict[str, Any]]] = []
        self.intents: list[tuple[str, str, str | None]] = []
        self.other_lockers: dict[str, str] = {}
        self._ids = itertools.count(1)

    def profile(self) -> LockerProfile:
        return self._profile

    def locker_name(self, locker_id: str) -> str | None:
        return self.other_lockers.get(locker_id)

    def compartments(self) -> Sequence[Compartment]:
        return list(self.compartments_by_id.values())

    def parcels_for_code_hash(self, code_hash: str) -> Sequence[Parcel]:
        return [self.parcels[pid] for pid, h in self.hashes.items() if h == code_hash]

    def parcel_by_barcode(self, barcode: str) -> Parcel | None:
        return next((p for p in self.parcels.values() if p.barcode == barcode), None)

    def parcels_to_collect(self) -> Sequence[Parcel]:
        return [p for p in self.parcels.values() if p.compartment_id and p.state in
                (ParcelState.expired, ParcelState.cancelled)]

    def free_compartments(self, size: str) -> Sequence[Compartment]:
        return [c for c in self.compartments_by_id.values()
                if c.size == size and c.state is CompartmentState.free]

    def record_open_intent(self, compartment_id: str, *, actor: Actor, reason: str,
                           parcel_id: str | None = None) -> str:
        intent = f"i{next(self._ids)}"
        self.intents.append((compartment_id, reason, parcel_id))
        self.audit("door_open", actor=actor, compartment_id=compartment_id,
                   parcel_id=parcel_id, detail={"reason": reason, "intent": intent})
        self.record_event("compartment.opened", actor=actor, compartment_id=compartment_id,
                          parcel_id=parcel_id, data={"reason": reason})
        return intent

    def _set_parcel(self, pid: str, **kw: Any) -> None:
        self.parcels[pid] = replace(self.parcels[pid], **kw)

    def _set_comp(self, cid: str, state: CompartmentState) -> None:
        self.compartments_by_id[cid] = replace(self.compartments_by_id[cid], state=state)

    def record_pickup(self, parcel_id: str, compartment_id: str, actor: Actor) -> None:
        self._set_parcel(parcel_id, state=ParcelState.picked_up)
        self._set_comp(compartment_id, CompartmentState.free)
        self.record_event("parcel.picked_up", actor=actor, parcel_id=parcel_id,
                          compartment_id=compartment_id)

    def record_deposit(self, parcel_id: str, compartment_id: str, actor: Actor) -> None:
        self._set_parcel(parcel_id, state=ParcelState.stored, compartment_id=compartment_id)
        self._set_comp(compartment_id, CompartmentState.occupied)
        self.record_event("parcel.deposited", actor=actor, parcel_id=parcel_id,
                          compartment_id=compartment_id)

    def record_collection(self, parcel_id: str, compartment_id: str, actor: Actor) -> None:
        self._set_parcel(parcel_id, state=ParcelState.collected)
        self._set_comp(compartment_id, CompartmentState.free)
        self.record_event("parcel.collected", actor=actor, parcel_id=parcel_id,
                          compartment_id=compartment_id)

    def set_compartment_state(self, compartment_id: str, state: CompartmentState, *,
                              actor: Actor, reason: str) -> None:
        self._set_comp(compartment_id, state)

    def record_event(self, event_type: str, *, actor: Actor, parcel_id: str | None = None,
                     compartment_id: str | None = None,
                     data: Mapping[str, Any] | None = None) -> None:
        self.events.append(Event(event_type, actor, parcel_id, compartment_id, dict(data or {})))

    def audit(self, action: str, *, actor: Actor, compartment_id: str | None = None,
              parcel_id: str | None = None, detail: Mapping[str, Any] | None = None) -> None:
        self.audits.append((action, actor, compartment_id, dict(detail or {})))

    def courier_by_id(self, courier_id: str) -> Courier | None:
        return self.couriers.get(courier_id)

    def courier_by_badge_hash(self, badge_hash: str) -> Courier | None:
        return next((c for c in self.couriers.values() if c.badge_hash == badge_hash), None)

    def pending_commands(self) -> Sequence[RemoteCommand]:
        return [c for c in self.commands.values() if c.command_id not in self.finished]

    def finish_command(self, command_id: str, *, ok: bool, detail: str) -> bool:
        if command_id in self.finished:
            return False
        self.finished[command_id] = (ok, detail)
        return True


class MemBank:
    """Doors that pop open when unlocked, unless jammed; the test closes them."""

    def __init__(self, ids: Sequence[str]) -> None:
        self.doors = {cid: DoorState.closed for cid in ids}
        self.occupied: dict[str, bool | None] = dict.fromkeys(ids)
        self.jammed: set[str] = set()
        self.next_unlock: UnlockStatus = UnlockStatus.sent
        self.unlocks: list[str] = []
        self.down = False
        # Intents the cache held when each unlock left: proves intent-before-frame.
        self.store: MemStore | None = None
        self.intents_at_unlock: list[int] = []

    def unlock(self, compartment_id: str) -> UnlockStatus:
        if self.store is not None:
            self.intents_at_unlock.append(len(self.store.intents))
        status = self.next_unlock
        if status is UnlockStatus.not_sent:
            return status
        self.unlocks.append(compartment_id)
        if compartment_id not in self.jammed:
            self.doors[compartment_id] = DoorState.open
        return status

    def read_states(self) -> Mapping[str, DoorReading]:
        if self.down:
            raise ConnectionError("board down")
        return {cid: DoorReading(d, self.occupied[cid]) for cid, d in self.doors.items()}
