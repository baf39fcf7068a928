"""What is inside a door, and the one rule that turns it into the compartment's state.

A compartment's state follows from its parcels and nothing else, whichever way a parcel
arrived, moved or left (pull, deposit, pickup, collection, cancel, expiry, recovery, a
remote command): every write that changes a parcel's place or state calls `settle` for
the compartments it touched, inside its own transaction.

The rule (`derive`):

- `out_of_service` and `fault` are people's decisions: they stay until a person (or a
  remote command) returns the door to service; then the rule decides.
- a door with a parcel inside (stored, expired or cancelled there), or with an
  unverified claim from the central service, is `occupied`;
- otherwise a `reserved` door (a deposit in progress) stays reserved;
- otherwise it is `free`.

Only the kiosk puts a parcel inside a door (its deposits, its start-up recovery, and a
claim it verified by sensor or by the technician); a pull never does (`sync.cache.pull`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from sync.cache.base import INSIDE
from sync.cache.models import ClaimStatus, Compartment, CompartmentState, DoorClaim, Parcel

# Set by people; the parcels do not override them.
PEOPLES_STATES = frozenset({CompartmentState.OUT_OF_SERVICE, CompartmentState.FAULT})


def derive(current: CompartmentState, *, holds: bool) -> CompartmentState:
    """The state a compartment must have, given whether anything is (or is claimed to
    be) inside it."""
    if current in PEOPLES_STATES:
        return current
    if holds:
        return CompartmentState.OCCUPIED
    if current == CompartmentState.RESERVED:
        return CompartmentState.RESERVED
    return CompartmentState.FREE


def holds(s: Session, compartment_id: str) -> bool:
    """A parcel is inside, or the central service claims one is and nobody has checked."""
    inside = s.exec(select(Parcel.parcel_id).where(
        Parcel.compartment_id == compartment_id, col(Parcel.state).in_(INSIDE))).first()
    return inside is not None or unverified_claims(s, compartment_id) > 0


def unverified_claims(s: Session, compartment_id: str) -> int:
    return int(s.exec(select(func.count()).select_from(DoorClaim).where(
        DoorClaim.compartment_id == compartment_id,
        DoorClaim.status == ClaimStatus.UNVERIFIED)).one())


def settle(s: Session, compartment_ids: Iterable[str | None], at: datetime) -> None:
    """Apply the rule to each compartment (ids not in the layout are skipped)."""
    for cid in {c for c in compartment_ids if c}:
        comp = s.get(Compartment, cid)
        if comp is None:
            continue
        wanted = derive(comp.state, holds=holds(s, cid))
        if wanted != comp.state:
            comp.state, comp.updated_at = wanted, at
            s.add(comp)
