"""Compartments: fill order, states (with audit and service events), sensors, layout."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import col, select

from sync.cache import contents, journal
from sync.cache.base import INSIDE, CacheBase, get_compartment
from sync.cache.errors import LayoutConflict
from sync.cache.models import (
    ActorKind,
    AuditKind,
    Compartment,
    CompartmentState,
    DoorState,
    EventType,
    Parcel,
)
from sync.cache.records import CompartmentSpec, LayoutChange

_FILL_ORDER = (col(Compartment.column), col(Compartment.row), col(Compartment.id))


class CompartmentsMixin(CacheBase):
    """Compartments and the layout."""

    # -- compartments ----------------------------------------------------------------------

    def compartment(self, compartment_id: str) -> Compartment:
        with self.read() as s:
            return get_compartment(s, compartment_id)

    def compartments(self) -> list[Compartment]:
        """All compartments in fill order: column, then row, then label."""
        with self.read() as s:
            return list(s.exec(select(Compartment).order_by(*_FILL_ORDER)))

    def free_compartments(self, size: str | None = None) -> list[Compartment]:
        """Free compartments of `size` (all sizes if None) in fill order."""
        with self.read() as s:
            q = select(Compartment).where(Compartment.state == CompartmentState.FREE)
            if size is not None:
                q = q.where(Compartment.size == size)
            return list(s.exec(q.order_by(*_FILL_ORDER)))

    def set_compartment_state(
        self,
        compartment_id: str,
        state: CompartmentState,
        *,
        actor_kind: ActorKind = ActorKind.SYSTEM,
        actor_id: str | None = None,
        reason: str = "",
    ) -> Compartment:
        """Change the state, with an audit row and, when a compartment leaves or returns
        to service, a `compartment.out_of_service` / `compartment.in_service` event.

        `free` and `occupied` are not the caller's to choose: asking for either returns
        the door to service, and its parcels decide which it is; `reserved` on a door
        that holds a parcel stays `occupied` (`contents.derive`)."""
        now = self._clock()
        state = CompartmentState(state)
        with self.write() as s:
            comp = get_compartment(s, compartment_id)
            before = comp.state
            if state == CompartmentState.OCCUPIED:
                state = CompartmentState.FREE
            state = contents.derive(state, holds=contents.holds(s, compartment_id))
            if before == state:
                return comp
            comp.state, comp.updated_at = state, now
            s.add(comp)
            event_type = None
            if state == CompartmentState.OUT_OF_SERVICE:
                event_type = EventType.COMPARTMENT_OUT_OF_SERVICE
            elif before == CompartmentState.OUT_OF_SERVICE:
                event_type = EventType.COMPARTMENT_IN_SERVICE
            event_id = None
            if event_type is not None:
                ev = journal.append_event(
                    s, event_type, at=now, compartment_id=compartment_id,
                    actor_kind=actor_kind, actor_id=actor_id,
                    data={"reason": reason, "from": before.value},
                )
                event_id = ev.event_id
            journal.append_audit(
                s, AuditKind.COMPARTMENT_STATE, at=now, actor_kind=actor_kind,
                actor_id=actor_id, compartment_id=compartment_id, event_id=event_id,
                detail=f"{before.value} -> {state.value}: {reason}",
            )
            return comp

    def set_door_state(
        self, compartment_id: str, door: DoorState, occupied: bool | None = None
    ) -> None:
        """Last polled door and occupancy (no audit: polls are not events)."""
        with self.write() as s:
            comp = get_compartment(s, compartment_id)
            comp.door, comp.occupied, comp.updated_at = DoorState(door), occupied, self._clock()
            s.add(comp)

    def replace_layout(self, specs: Iterable[CompartmentSpec]) -> LayoutChange:
        """Make the compartment table match the configured layout. Existing compartments
        keep their state; one that holds a parcel cannot be dropped (LayoutConflict)."""
        wanted = {spec.id: spec for spec in specs}
        now = self._clock()
        with self.write() as s:
            current = {c.id: c for c in s.exec(select(Compartment))}
            removed = sorted(set(current) - set(wanted))
            held = [
                cid for cid in removed
                if current[cid].state == CompartmentState.OCCUPIED
                or s.exec(select(Parcel.parcel_id).where(
                    Parcel.compartment_id == cid, col(Parcel.state).in_(INSIDE)
                )).first()
            ]
            if held:
                raise LayoutConflict(
                    f"the new layout drops compartments that hold parcels: {', '.join(held)}; "
                    "empty them (collect or pick up) before removing them from the layout"
                )
            added, updated = [], []
            for cid, spec in wanted.items():
                comp = current.get(cid)
                fields: dict[str, Any] = {
                    "board": spec.board, "channel": spec.channel, "size": spec.size,
                    "column": spec.column, "row": spec.row,
                }
                if comp is None:
                    s.add(Compartment(id=cid, updated_at=now, **fields))
                    added.append(cid)
                elif any(getattr(comp, k) != v for k, v in fields.items()):
                    for k, v in fields.items():
                        setattr(comp, k, v)
                    comp.updated_at = now
                    s.add(comp)
                    updated.append(cid)
            for cid in removed:
                s.delete(current[cid])
            change = LayoutChange(tuple(sorted(added)), tuple(sorted(updated)), tuple(removed))
            if added or updated or removed:
                journal.append_audit(
                    s, AuditKind.LAYOUT, at=now,
                    detail=f"added {len(added)}, updated {len(updated)}, removed {removed}",
                )
            return change

