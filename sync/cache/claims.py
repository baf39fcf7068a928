"""Door contents the central service claims and the kiosk has not seen for itself.

On a cache rebuilt from nothing (a replaced disk) the first pull may say parcels are
inside doors. The kiosk keeps each as an unverified `DoorClaim`: the door counts as
occupied (no deposit goes there), the parcel reads `expected` (its code opens nothing)
and the technician sees the door as unverified. An occupancy sensor that reads the door
full, or the technician, confirms it (`verify_door`): only then is the parcel stored in
it. A sensor reading empty, or the technician, refutes it (`refute_door`). Any claim
made after the cache was built contradicts the kiosk and is refused with an alarm.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from contract import wire
from sync.cache import contents, journal
from sync.cache.base import CacheBase, get_compartment
from sync.cache.models import (
    ActorKind,
    AuditKind,
    ClaimStatus,
    DoorClaim,
    EventType,
    Parcel,
    ParcelState,
)

_NOT_ARRIVED = frozenset({ParcelState.EXPECTED, ParcelState.EXPIRED, ParcelState.CANCELLED})


# -- inside the sync worker's pull transaction --------------------------------------------


def unverified_by_parcel(s: Session, parcel_ids: Sequence[str]) -> dict[str, str]:
    """parcel id -> door of its unverified claim."""
    found: dict[str, str] = {}
    for i in range(0, len(parcel_ids), 500):
        q = select(DoorClaim.parcel_id, DoorClaim.compartment_id).where(
            col(DoorClaim.parcel_id).in_(parcel_ids[i : i + 500]),
            DoorClaim.status == ClaimStatus.UNVERIFIED)
        found.update((pid, cid) for pid, cid in s.exec(q))
    return found


def put_unverified(s: Session, remote: wire.Parcel, compartment_id: str,
                   at: datetime) -> None:
    row = s.exec(select(DoorClaim).where(
        DoorClaim.parcel_id == remote.parcel_id,
        DoorClaim.status == ClaimStatus.UNVERIFIED)).first()
    if row is None:
        row = DoorClaim(parcel_id=remote.parcel_id, compartment_id=compartment_id,
                        state=remote.state.value, version=remote.version, received_at=at)
        journal.append_audit(
            s, AuditKind.NOTE, at=at, compartment_id=compartment_id,
            parcel_id=remote.parcel_id,
            detail=f"unverified: the central service says parcel {remote.parcel_id} is "
                   f"inside ({remote.state.value}); it opens for nobody but the technician "
                   "until a sensor or the technician confirms it")
    row.compartment_id, row.state, row.version = compartment_id, remote.state.value, \
        remote.version
    s.add(row)
    s.flush()


def close_unverified(s: Session, parcel_id: str, status: ClaimStatus, at: datetime,
                     detail: str) -> None:
    for row in s.exec(select(DoorClaim).where(DoorClaim.parcel_id == parcel_id,
                                              DoorClaim.status == ClaimStatus.UNVERIFIED)):
        row.status, row.resolved_at, row.detail = status, at, detail
        s.add(row)
    s.flush()


def refuse(s: Session, remote: wire.Parcel, door: str | None, why: str, at: datetime, *,
           local_compartment: str | None) -> None:
    """Record the refusal once per parcel version: a claim row (when a door was named),
    the `parcel.pull_refused` alarm event and its audit row."""
    seen = s.exec(select(DoorClaim.id).where(
        DoorClaim.parcel_id == remote.parcel_id, DoorClaim.version == remote.version,
        DoorClaim.status == ClaimStatus.REFUSED)).first()
    if seen is not None:
        return
    s.add(DoorClaim(parcel_id=remote.parcel_id, compartment_id=door or local_compartment
                    or "", state=remote.state.value, version=remote.version,
                    status=ClaimStatus.REFUSED, received_at=at, resolved_at=at,
                    detail=why[:500]))
    where = door or local_compartment
    ev = journal.append_event(
        s, EventType.PARCEL_PULL_REFUSED, at=at, compartment_id=where,
        data={"parcel_id": remote.parcel_id, "version": remote.version,
              "state": remote.state.value, "compartment_id": remote.compartment_id,
              "reason": why[:300]})
    journal.append_audit(
        s, AuditKind.ALARM, at=at, compartment_id=where, parcel_id=remote.parcel_id,
        event_id=ev.event_id, detail=f"pulled parcel {remote.parcel_id} refused: {why}"[:500])


# -- the kiosk's side ------------------------------------------------------------------


class ClaimsMixin(CacheBase):
    """Unverified doors, and the confirmations that settle them."""

    def unverified_doors(self) -> dict[str, list[DoorClaim]]:
        """door -> its unverified claims, for the technician map and the sensor check."""
        with self.read() as s:
            rows = list(s.exec(select(DoorClaim).where(
                DoorClaim.status == ClaimStatus.UNVERIFIED).order_by(col(DoorClaim.id))))
        out: dict[str, list[DoorClaim]] = {}
        for row in rows:
            out.setdefault(row.compartment_id, []).append(row)
        return out

    def verify_door(self, compartment_id: str, *, actor_kind: ActorKind,
                    actor_id: str | None = None, how: str) -> list[str]:
        """The door's claims are true (a sensor reads it full, or the technician looked):
        each claimed parcel not since handled by the kiosk is stored in it. Returns the
        parcel ids stored."""
        now = self._clock()
        stored: list[str] = []
        with self.write() as s:
            get_compartment(s, compartment_id)
            rows = list(s.exec(select(DoorClaim).where(
                DoorClaim.compartment_id == compartment_id,
                DoorClaim.status == ClaimStatus.UNVERIFIED)))
            for row in rows:
                parcel = s.get(Parcel, row.parcel_id)
                ok = parcel is not None and parcel.state in _NOT_ARRIVED and \
                    parcel.compartment_id is None
                row.status = ClaimStatus.VERIFIED if ok else ClaimStatus.REFUTED
                row.resolved_at, row.detail = now, how if ok else \
                    f"{how}; the parcel was handled by this kiosk meanwhile"
                s.add(row)
                if ok and parcel is not None:
                    state = ParcelState(row.state)
                    parcel.state = state if state in (
                        ParcelState.EXPIRED, ParcelState.CANCELLED) else ParcelState.STORED
                    parcel.compartment_id = compartment_id
                    s.add(parcel)
                    stored.append(parcel.parcel_id)
                journal.append_audit(
                    s, AuditKind.NOTE, at=now, actor_kind=actor_kind, actor_id=actor_id,
                    compartment_id=compartment_id, parcel_id=row.parcel_id,
                    detail=f"claim {'verified' if ok else 'refuted'}: {row.detail}"[:500])
            s.flush()
            contents.settle(s, [compartment_id], now)
        return stored

    def refute_door(self, compartment_id: str, *, actor_kind: ActorKind,
                    actor_id: str | None = None, how: str) -> int:
        """The door is empty (sensor or technician): its claims are false. Each is an
        alarm (`parcel.pull_refused`); the parcels stay `expected`. Returns how many."""
        now = self._clock()
        with self.write() as s:
            get_compartment(s, compartment_id)
            rows = list(s.exec(select(DoorClaim).where(
                DoorClaim.compartment_id == compartment_id,
                DoorClaim.status == ClaimStatus.UNVERIFIED)))
            for row in rows:
                row.status, row.resolved_at, row.detail = ClaimStatus.REFUTED, now, how
                s.add(row)
                ev = journal.append_event(
                    s, EventType.PARCEL_PULL_REFUSED, at=now, compartment_id=compartment_id,
                    actor_kind=actor_kind, actor_id=actor_id,
                    data={"parcel_id": row.parcel_id, "version": row.version,
                          "state": row.state, "compartment_id": compartment_id,
                          "reason": f"door found empty: {how}"[:300]})
                journal.append_audit(
                    s, AuditKind.ALARM, at=now, actor_kind=actor_kind, actor_id=actor_id,
                    compartment_id=compartment_id, parcel_id=row.parcel_id,
                    event_id=ev.event_id,
                    detail=f"claim refuted: parcel {row.parcel_id} is not in "
                           f"{compartment_id} ({how})"[:500])
            s.flush()
            contents.settle(s, [compartment_id], now)
            return len(rows)
