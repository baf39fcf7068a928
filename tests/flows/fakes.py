"""In-memory stand-ins for the flows' two ports, so a flow rule is checked in
milliseconds. The real cache and a simulated board are checked against the same rules
in the integration tests beside these (test_pickup.py, test_courier.py, ...); these
fakes keep the cache's transition rules (what may be picked up, deposited, collected)
so a flow cannot pass here by doing what the cache would refuse.

    store, bank = MemoryStore(), MemoryBank(["A01", "A02"])
    store.add_compartment("A01"); store.add_parcel("P1", "A01", code_hash=...)
    flow = PickupFlow(store, bank, ManualClock(), OpenConfirmer, settings, hasher=...)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from contract.codes import KdfParams
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
    ParcelState,
    RecordRefused,
    RemoteCommand,
    StoreNotReady,
)
from locker_driver import CompartmentReading, UnlockResult

INSIDE = frozenset({ParcelState.STORED, ParcelState.EXPIRED, ParcelState.CANCELLED})


@dataclass
class Written:
    """One event or audit row the store was asked to write."""

    what: EventType | AuditKind
    actor: Actor
    compartment_id: str | None = None
    parcel_id: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    detail: str = ""


@dataclass
class _Opening:
    opening: Opening
    settlement: OpeningSettlement | None = None
    command_id: str | None = None


class MemoryStore:
    """The `Store` port in memory; `events` and `audits` record every write in order."""

    def __init__(self, profile: LockerProfile | None = None) -> None:
        self._profile = profile
        self._compartments: dict[str, Compartment] = {}
        self._parcels: dict[str, Parcel] = {}
        self._code_hashes: dict[str, str] = {}  # parcel id -> code hash
        self._couriers: dict[str, Courier] = {}
        self._commands: dict[str, tuple[RemoteCommand, str]] = {}
        self._openings: dict[int, _Opening] = {}
        self._ids = itertools.count(1)
        self.events: list[Written] = []
        self.audits: list[Written] = []
        self.doors: dict[str, tuple[DoorState, bool | None]] = {}
        self.finished: dict[str, tuple[bool, str]] = {}
        self._state: dict[str, str] = {}  # what the kiosk keeps across restarts

    # -- arranging ---------------------------------------------------------------------

    def set_profile(self, locker_id: str, salt: str, kdf: KdfParams) -> None:
        self._profile = LockerProfile(locker_id, "Test locker", salt, kdf)

    def add_compartment(self, cid: str, size: str = "M", column: int = 0, row: int = 0,
                        state: CompartmentState = CompartmentState.FREE) -> None:
        self._compartments[cid] = Compartment(cid, column, row, size, state)

    def add_parcel(self, pid: str, cid: str | None, *, code_hash: str = "",
                   state: ParcelState = ParcelState.STORED, size: str = "M",
                   barcode: str | None = None) -> None:
        self._parcels[pid] = Parcel(pid, state, size, cid, None, barcode)
        self._code_hashes[pid] = code_hash
        if cid is not None and state in INSIDE:
            self._set_state(cid, CompartmentState.OCCUPIED)

    def add_courier(self, courier: Courier) -> None:
        self._couriers[courier.courier_id] = courier

    def add_command(self, command: RemoteCommand, status: str = "pending") -> None:
        self._commands[command.command_id] = (command, status)

    def event_types(self) -> list[str]:
        return [str(e.what) for e in self.events]

    def opening(self, intent_id: int) -> Opening:
        return self._openings[intent_id].opening

    def settlement(self, intent_id: int) -> OpeningSettlement | None:
        return self._openings[intent_id].settlement

    # -- reads -------------------------------------------------------------------------

    def profile(self) -> LockerProfile:
        if self._profile is None:
            raise StoreNotReady("no locker profile yet: the sync worker has not run")
        return self._profile

    def locker_name(self, locker_id: str) -> str | None:
        return None

    def compartments(self) -> Sequence[Compartment]:
        return sorted(self._compartments.values(), key=lambda c: (c.column, c.row,
                                                                  c.compartment_id))

    def parcels_for_code_hash(self, code_hash: str) -> Sequence[Parcel]:
        return [p for pid, p in self._parcels.items() if self._code_hashes[pid] == code_hash]

    def parcel(self, parcel_id: str) -> Parcel | None:
        return self._parcels.get(parcel_id)

    def parcel_by_barcode(self, barcode: str) -> Parcel | None:
        rows = [p for p in self._parcels.values() if p.barcode == barcode]
        open_states = {ParcelState.EXPECTED, ParcelState.STORED}
        return max(rows, key=lambda p: p.state in open_states) if rows else None

    def parcels_to_collect(self) -> Sequence[Parcel]:
        return sorted((p for p in self._parcels.values()
                       if p.state in (ParcelState.EXPIRED, ParcelState.CANCELLED)
                       and p.compartment_id is not None),
                      key=lambda p: p.compartment_id or "")

    def free_compartments(self, size: str) -> Sequence[Compartment]:
        return [c for c in self.compartments()
                if c.state is CompartmentState.FREE and c.size == size]

    def expected_parcel_count(self) -> int:
        return sum(1 for p in self._parcels.values() if p.state is ParcelState.EXPECTED)

    def load_state(self, key: str) -> str | None:
        return self._state.get(key)

    def save_state(self, key: str, value: str) -> None:
        self._state[key] = value

    def parcels_in_compartment(self, compartment_id: str) -> Sequence[Parcel]:
        return [p for p in self._parcels.values()
                if p.compartment_id == compartment_id and p.state in INSIDE]

    def courier_by_id(self, courier_id: str) -> Courier | None:
        return self._couriers.get(courier_id)

    def courier_by_badge_hash(self, badge_hash: str) -> Courier | None:
        return next((c for c in self._couriers.values() if c.badge_hash == badge_hash), None)

    def pending_commands(self) -> Sequence[RemoteCommand]:
        return [cmd for cmd, status in self._commands.values() if status == "pending"]

    def sync_status(self) -> Any:
        return None

    def audit_trail(self) -> Sequence[Mapping[str, Any]]:
        return [{"kind": str(a.what), "detail": a.detail} for a in self.audits]

    # -- writes ------------------------------------------------------------------------

    def record_open_intent(self, compartment_id: str, *, actor: Actor, reason: str,
                           parcel_ids: Sequence[str] = (), command_id: str | None = None
                           ) -> int:
        if compartment_id not in self._compartments:
            raise RecordRefused(f"compartment {compartment_id} is not in the layout")
        self.events.append(Written(EventType.COMPARTMENT_OPENED, actor, compartment_id,
                                   parcel_ids[0] if len(parcel_ids) == 1 else None,
                                   {"reason": reason, "parcel_ids": list(parcel_ids)}))
        intent = next(self._ids)
        self.audits.append(Written(AuditKind.DOOR_OPEN, actor, compartment_id,
                                   detail=f"intent {intent}: {reason}"))
        self._openings[intent] = _Opening(
            Opening(intent, len(self.events), compartment_id, reason, tuple(parcel_ids),
                    actor, None, False), command_id=command_id)
        return intent

    def record_open_outcome(self, intent_id: int, outcome: OpeningOutcome, detail: str = ""
                            ) -> None:
        outcome = OpeningOutcome(outcome)
        o = self._openings[intent_id]
        o.opening = replace(o.opening, outcome=outcome)
        if outcome is OpeningOutcome.JAMMED:
            self.events.append(Written(EventType.COMPARTMENT_JAMMED, o.opening.actor,
                                       o.opening.compartment_id, data={"intent_id": intent_id}))
        self.audits.append(Written(AuditKind.DOOR_OUTCOME, o.opening.actor,
                                   o.opening.compartment_id, detail=f"{outcome} {detail}"))

    def record_pickup(self, parcel_ids: Sequence[str], compartment_id: str, *, actor: Actor,
                      intent_id: int) -> None:
        self._take_out(parcel_ids, compartment_id, ParcelState.PICKED_UP,
                       EventType.PARCEL_PICKED_UP, actor)

    def record_collection(self, parcel_ids: Sequence[str], compartment_id: str, *,
                          actor: Actor, intent_id: int | None) -> None:
        self._take_out(parcel_ids, compartment_id, ParcelState.COLLECTED,
                       EventType.PARCEL_COLLECTED, actor)

    def record_deposit(self, parcel_id: str, compartment_id: str, *, actor: Actor,
                       intent_id: int) -> None:
        parcel = self._parcels.get(parcel_id)
        comp = self._compartments.get(compartment_id)
        if parcel is None or comp is None:
            raise RecordRefused(f"{parcel_id} or {compartment_id} is not in the cache")
        if parcel.state is not ParcelState.EXPECTED:
            raise RecordRefused(f"parcel {parcel_id} is {parcel.state}, not expected")
        if comp.state not in (CompartmentState.FREE, CompartmentState.RESERVED):
            raise RecordRefused(f"compartment {compartment_id} is {comp.state}")
        self._parcels[parcel_id] = replace(parcel, state=ParcelState.STORED,
                                           compartment_id=compartment_id)
        self._set_state(compartment_id, CompartmentState.OCCUPIED)
        self.events.append(Written(EventType.PARCEL_DEPOSITED, actor, compartment_id,
                                   parcel_id, {"intent_id": intent_id}))

    def set_compartment_state(self, compartment_id: str, state: CompartmentState, *,
                              actor: Actor, reason: str) -> None:
        before = self._compartments[compartment_id].state
        if before is state:
            return
        self._set_state(compartment_id, state)
        if state is CompartmentState.OUT_OF_SERVICE:
            self.events.append(Written(EventType.COMPARTMENT_OUT_OF_SERVICE, actor,
                                       compartment_id, data={"reason": reason}))
        elif before is CompartmentState.OUT_OF_SERVICE:
            self.events.append(Written(EventType.COMPARTMENT_IN_SERVICE, actor,
                                       compartment_id, data={"reason": reason}))
        self.audits.append(Written(AuditKind.COMPARTMENT_STATE, actor, compartment_id,
                                   detail=f"{before} -> {state}: {reason}"))

    # A memory store starts with every door's contents known: no unverified claims (the
    # rebuilt-cache claims are tested on the real cache, tests/cache/test_door_contents.py).
    def unverified_doors(self) -> Mapping[str, int]:
        return {}

    def verify_door(self, compartment_id: str, *, actor: Actor, how: str) -> Sequence[str]:
        return []

    def refute_door(self, compartment_id: str, *, actor: Actor, how: str) -> int:
        return 0

    def set_door_state(self, compartment_id: str, door: DoorState, occupied: bool | None
                       ) -> None:
        self.doors[compartment_id] = (door, occupied)

    def record_event(self, event_type: EventType, *, actor: Actor,
                     parcel_id: str | None = None, compartment_id: str | None = None,
                     data: Mapping[str, Any] | None = None) -> None:
        data = dict(data or {})
        self.events.append(Written(EventType(event_type), actor, compartment_id, parcel_id,
                                   data))
        intent_id = data.get("intent_id")
        if event_type is EventType.COMPARTMENT_CLOSED and intent_id in self._openings:
            o = self._openings[intent_id]
            o.opening = replace(o.opening, closed=True)
        if event_type is EventType.COMPARTMENT_FORCED_OPEN:
            self.audits.append(Written(AuditKind.ALARM, actor, compartment_id,
                                       detail=event_type.value))

    def audit(self, kind: AuditKind, *, actor: Actor, compartment_id: str | None = None,
              parcel_id: str | None = None, detail: str = "") -> None:
        self.audits.append(Written(AuditKind(kind), actor, compartment_id, parcel_id,
                                   detail=detail))

    def claim_command(self, command_id: str) -> RemoteCommand | None:
        cmd, status = self._commands.get(command_id, (None, ""))
        if cmd is None or status != "pending":
            return None
        self._commands[command_id] = (cmd, "running")
        return cmd

    def finish_command(self, command_id: str, *, ok: bool, detail: str) -> None:
        cmd, _ = self._commands[command_id]
        self._commands[command_id] = (cmd, "done" if ok else "failed")
        self.finished[command_id] = (ok, detail)

    # -- after a restart ---------------------------------------------------------------

    def unsettled_openings(self, limit: int) -> Sequence[Opening]:
        last: dict[str, _Opening] = {}
        for intent in sorted(self._openings, reverse=True)[:limit]:
            last.setdefault(self._openings[intent].opening.compartment_id,
                            self._openings[intent])
        return sorted((o.opening for o in last.values() if o.settlement is None),
                      key=lambda o: o.intent_id)

    def interrupted_commands(self) -> Sequence[InterruptedCommand]:
        out = []
        for command_id, (_, status) in self._commands.items():
            if status != "running":
                continue
            mine = [o.opening for o in self._openings.values() if o.command_id == command_id]
            last = max(mine, key=lambda o: o.intent_id) if mine else None
            out.append(InterruptedCommand(command_id, last.intent_id if last else None,
                                          last.outcome if last else None))
        return out

    def deposit_moved_on(self, parcel_id: str, after_seq: int) -> bool:
        return any(e.parcel_id == parcel_id and e.what in (EventType.PARCEL_DEPOSIT_FAILED,
                                                           EventType.COMPARTMENT_OPENED)
                   for e in self.events[after_seq:])

    def forced_open_raised(self, compartment_id: str) -> bool:
        said = [a for a in self.audits if a.compartment_id == compartment_id
                and a.what is not AuditKind.COMPARTMENT_STATE]
        return bool(said) and said[-1].what is AuditKind.ALARM and \
            said[-1].detail == EventType.COMPARTMENT_FORCED_OPEN.value

    def settle_opening(self, intent_id: int, settlement: OpeningSettlement) -> None:
        o = self._openings[intent_id]
        o.settlement = OpeningSettlement(settlement)
        self.audits.append(Written(AuditKind.NOTE, Actor(o.opening.actor.kind),
                                   o.opening.compartment_id,
                                   detail=f"intent {intent_id} settled: {settlement}"))

    # -- helpers -----------------------------------------------------------------------

    def _set_state(self, cid: str, state: CompartmentState) -> None:
        self._compartments[cid] = replace(self._compartments[cid], state=state)

    def _take_out(self, parcel_ids: Sequence[str], compartment_id: str, new: ParcelState,
                  event: EventType, actor: Actor) -> None:
        parcels = [self._parcels.get(pid) for pid in parcel_ids]
        for pid, parcel in zip(parcel_ids, parcels, strict=True):
            if parcel is None or parcel.state not in INSIDE:
                raise RecordRefused(f"parcel {pid} cannot become {new}")
        for pid, parcel in zip(parcel_ids, parcels, strict=True):
            assert parcel is not None
            self._parcels[pid] = replace(parcel, state=new, compartment_id=compartment_id)
            self.events.append(Written(event, actor, compartment_id, pid))
        if not self.parcels_in_compartment(compartment_id) and \
                self._compartments[compartment_id].state is CompartmentState.OCCUPIED:
            self._set_state(compartment_id, CompartmentState.FREE)


class MemoryBank:
    """The `Bank` port without a board: an unlock opens the door at once unless the
    door is jammed; `close` shuts it as a person would."""

    def __init__(self, compartments: Iterable[str]) -> None:
        self.doors = {cid: DoorState.CLOSED for cid in compartments}
        self.jammed: set[str] = set()
        self.unreachable = False
        self.unlocks: list[str] = []

    def unlock(self, compartment_id: str) -> UnlockResult:
        if self.unreachable:
            return UnlockResult.NOT_SENT
        self.unlocks.append(compartment_id)
        if compartment_id not in self.jammed:
            self.doors[compartment_id] = DoorState.OPEN
        return UnlockResult.SENT

    def read_states(self) -> Mapping[str, CompartmentReading]:
        if self.unreachable:
            return {cid: CompartmentReading(DoorState.UNKNOWN, None) for cid in self.doors}
        return {cid: CompartmentReading(door, None) for cid, door in self.doors.items()}

    def close(self, compartment_id: str) -> None:
        self.doors[compartment_id] = DoorState.CLOSED

    def open_by_hand(self, compartment_id: str) -> None:
        self.doors[compartment_id] = DoorState.OPEN
