"""Parcels arranged for a test the way parcels really reach a door.

A fixture must not write a parcel into a compartment and mark the compartment occupied
itself: that is the product's job, and a fixture doing it would hide a product that
does not. `arrive` goes through the product's own paths:

- every parcel is first pulled (`SyncStore.apply_parcels`) as the central service
  announces it;
- a parcel inside a free door is deposited there (`Cache.record_deposit`) and the
  deposit acknowledged as the central service would;
- a parcel inside a door that already holds one (only a cache rebuilt from nothing can
  have that) is claimed by a pull and confirmed by the technician
  (`Cache.verify_door`);
- a parcel expired or cancelled inside its door gets that state from a later pull.

The pages are part of a first pull that has not ended, so the cache stays "being built"
and a claim stays possible. Returns the parcel as cached.
"""

from __future__ import annotations

from datetime import UTC, datetime

from contract import wire
from sync.cache import ActorKind, Cache, Parcel, ParcelState
from sync.cache.contents import holds
from sync.cache.sync_store import SyncStore

INSIDE = frozenset({ParcelState.STORED, ParcelState.EXPIRED, ParcelState.CANCELLED})
FAR = datetime(2099, 1, 1, tzinfo=UTC)


def arrive(
    cache: Cache,
    parcel_id: str,
    *,
    state: ParcelState = ParcelState.STORED,
    compartment_id: str | None = None,
    code_hash: str | None = None,
    size: str = "M",
    barcode: str | None = None,
    deadline: datetime | None = None,
    order_ref: str | None = None,
    version: int = 1,
    courier_id: str = "C-ARRANGE",
    accessible: bool = False,
) -> Parcel:
    state = ParcelState(state)
    store = SyncStore(cache)
    inside = state in INSIDE and compartment_id is not None

    def pull(parcel_state: ParcelState, door: str | None, v: int) -> None:
        parcel = wire.Parcel(
            parcel_id=parcel_id, order_ref=order_ref or f"ORD-{parcel_id}",
            state=wire.ParcelState(parcel_state.value), size=wire.ParcelSize(size),
            compartment_id=door, barcode=barcode or f"BC-{parcel_id}",
            pickup_code_hash=code_hash, pickup_deadline=deadline or FAR,
            accessible=accessible, version=v)
        cursor = store.cursors()[0] or "arranged"
        store.apply_parcels(wire.ParcelPage(parcels=[parcel], next_cursor=cursor,
                                            has_more=True))

    if not inside:
        pull(state, compartment_id, version)
        return _row(cache, parcel_id)
    assert compartment_id is not None
    with cache.read() as s:
        door_holds = holds(s, compartment_id)
    if door_holds:
        pull(state, compartment_id, version)
        cache.verify_door(compartment_id, actor_kind=ActorKind.TECHNICIAN,
                          actor_id="T-ARRANGE", how="technician looked inside")
        return _row(cache, parcel_id)
    pull(ParcelState.EXPECTED, None, version)
    ev = cache.record_deposit(parcel_id, compartment_id, courier_id=courier_id)
    store.record_push_result([ev.event_id], wire.EventResult(accepted=[ev.event_id]),
                             cache.clock())
    if state != ParcelState.STORED:
        pull(state, compartment_id, version + 1)
    return _row(cache, parcel_id)


def _row(cache: Cache, parcel_id: str) -> Parcel:
    row = cache.parcel(parcel_id)
    assert row is not None
    return row
