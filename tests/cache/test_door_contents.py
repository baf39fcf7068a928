"""A door's contents are the kiosk's own knowledge, and a compartment's state follows
from them by one rule, whichever way a parcel arrives, moves or leaves."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cachekit import FAST_KDF, LAYOUT, SALT, ManualClock, seed_profile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import select

from contract import wire
from contract.codes import hash_code
from sync.cache import (
    ActorKind,
    AuditKind,
    Cache,
    CacheError,
    CompartmentState,
    EventType,
    InvalidTransition,
    OutboxEvent,
    ParcelState,
)
from sync.cache.base import INSIDE
from sync.cache.contents import PEOPLES_STATES
from sync.cache.engine import make_engines
from sync.cache.migrate import upgrade
from sync.cache.models import ClaimStatus, DoorClaim, Parcel
from sync.cache.sync_store import SyncStore

pytestmark = pytest.mark.integration

DEADLINE = datetime(2026, 3, 8, tzinfo=UTC)


def remote(pid: str, state: str, door: str | None, version: int, code: str | None = None,
           ) -> wire.Parcel:
    return wire.Parcel(
        parcel_id=pid, order_ref=f"ORD-{pid}", state=wire.ParcelState(state),
        size=wire.ParcelSize.M, compartment_id=door, barcode=f"BC{pid}",
        pickup_code_hash=hash_code(code, SALT, FAST_KDF) if code else None,
        pickup_deadline=DEADLINE, version=version)


def pull(cache: Cache, *parcels: wire.Parcel, more: bool = False) -> None:
    SyncStore(cache).apply_parcels(wire.ParcelPage(parcels=list(parcels),
                                                   next_cursor="c", has_more=more))


def ack_all(cache: Cache, clock: ManualClock) -> None:
    store = SyncStore(cache)
    ids = [e.event_id for e in store.outbox_batch(500)]
    store.record_push_result(ids, wire.EventResult(accepted=ids), clock())


def refusals(cache: Cache) -> list[dict[str, object]]:
    with cache.read() as s:
        rows = s.exec(select(OutboxEvent).where(
            OutboxEvent.type == EventType.PARCEL_PULL_REFUSED)).all()
    return [json.loads(e.data) for e in rows]


def claims(cache: Cache, status: ClaimStatus) -> list[DoorClaim]:
    with cache.read() as s:
        return list(s.exec(select(DoorClaim).where(DoorClaim.status == status)))


@pytest.fixture
def built(cache: Cache, clock: ManualClock) -> Cache:
    """A kiosk in service: first pull done, A02 filled by its own deposit."""
    pull(cache, remote("real", "expected", None, 1, "11112222"))
    cache.record_deposit("real", "A02", courier_id="c1")
    ack_all(cache, clock)
    pull(cache, remote("real", "stored", "A02", 2, "11112222"))
    assert cache.parcel("real").state == ParcelState.STORED  # type: ignore[union-attr]
    return cache


def test_a_pull_cannot_mint_a_parcel_into_a_door_the_kiosk_filled(built: Cache) -> None:
    pull(built, remote("minted", "stored", "A02", 1, "99990000"))
    assert [p.parcel_id for p in built.parcels_in_compartment("A02")] == ["real"]
    (minted,) = built.parcels_for_code_hash(built.hash_code("99990000"))
    assert (minted.state, minted.compartment_id) == (ParcelState.EXPECTED, None)
    assert [r["parcel_id"] for r in refusals(built)] == ["minted"]
    assert any(a.kind == AuditKind.ALARM and "minted" in a.detail
               for a in built.recent_audit(10))
    # The same lie again (a resync re-reads it) is not a second alarm.
    pull(built, remote("minted", "stored", "A02", 1, "99990000"))
    assert len(refusals(built)) == 1


def test_a_pull_cannot_put_a_parcel_into_an_empty_door_either(built: Cache) -> None:
    pull(built, remote("minted", "stored", "B01", 1, "99990000"))
    assert built.parcels_in_compartment("B01") == []
    assert built.compartment("B01").state == CompartmentState.FREE
    assert built.unverified_doors() == {}
    assert len(refusals(built)) == 1


def test_an_expected_parcel_cannot_be_stored_by_a_pull(built: Cache) -> None:
    pull(built, remote("p9", "expected", None, 1, "33334444"))
    pull(built, remote("p9", "stored", "B01", 2, "33334444"))
    parcel = built.parcel("p9")
    assert parcel is not None and parcel.state == ParcelState.EXPECTED
    assert parcel.compartment_id is None and refusals(built)


def test_a_pull_cannot_move_empty_or_revive_what_the_kiosk_holds(
        built: Cache, clock: ManualClock) -> None:
    pull(built, remote("real", "stored", "B01", 3))  # moved
    pull(built, remote("real", "picked_up", "A02", 4))  # emptied without a door opening
    pull(built, remote("real", "expected", None, 5))  # never arrived
    parcel = built.parcel("real")
    assert parcel is not None and (parcel.state, parcel.compartment_id) == (
        ParcelState.STORED, "A02")
    assert len(refusals(built)) == 3
    built.record_pickup(["real"], "A02")
    ack_all(built, clock)
    pull(built, remote("real", "stored", "A02", 6))  # back in the door it left
    assert built.parcel("real").state == ParcelState.PICKED_UP  # type: ignore[union-attr]
    assert built.compartment("A02").state == CompartmentState.FREE
    assert len(refusals(built)) == 4


def test_cancel_and_expiry_from_a_pull_leave_the_parcel_where_it_is(
        built: Cache, clock: ManualClock) -> None:
    pull(built, remote("real", "cancelled", None, 3))
    parcel = built.parcel("real")
    assert parcel is not None and (parcel.state, parcel.compartment_id) == (
        ParcelState.CANCELLED, "A02")
    assert built.compartment("A02").state == CompartmentState.OCCUPIED
    assert [p.parcel_id for p in built.parcels_to_collect()] == ["real"]
    built.record_collection(["real"], "A02", courier_id="c1")
    assert built.compartment("A02").state == CompartmentState.FREE
    assert refusals(built) == []


def test_a_rebuilt_cache_shows_claimed_doors_unverified_until_confirmed(
        cache: Cache) -> None:
    # A replaced disk: the very first pull says B01 and B02 hold parcels.
    pull(cache, remote("p1", "stored", "B01", 2, "12121212"),
         remote("p2", "expired", "B02", 3), more=True)
    assert cache.unverified_doors().keys() == {"B01", "B02"}
    for cid in ("B01", "B02"):  # full as far as couriers are concerned...
        assert cache.compartment(cid).state == CompartmentState.OCCUPIED
    assert {c.id for c in cache.free_compartments()} == {"A01", "A02", "A03"}
    (p1,) = cache.parcels_for_code_hash(cache.hash_code("12121212"))
    assert (p1.state, p1.compartment_id) == (ParcelState.EXPECTED, None)  # ...opens nothing
    assert cache.parcels_to_collect() == []
    pull(cache, remote("p3", "stored", "A01", 1))  # the last page of the first pull
    assert "A01" in cache.unverified_doors()

    assert cache.verify_door("B01", actor_kind=ActorKind.SYSTEM, how="sensor full") == ["p1"]
    stored = cache.parcel("p1")
    assert stored is not None and (stored.state, stored.compartment_id) == (
        ParcelState.STORED, "B01")
    assert cache.verify_door("B02", actor_kind=ActorKind.TECHNICIAN, actor_id="t1",
                             how="looked") == ["p2"]
    assert [p.parcel_id for p in cache.parcels_to_collect()] == ["p2"]
    assert cache.refute_door("A01", actor_kind=ActorKind.SYSTEM, how="sensor empty") == 1
    assert cache.compartment("A01").state == CompartmentState.FREE
    assert cache.parcel("p3").state == ParcelState.EXPECTED  # type: ignore[union-attr]
    assert [r["parcel_id"] for r in refusals(cache)] == ["p3"]
    assert cache.unverified_doors() == {}
    # Building is over: a new claim is now a contradiction.
    pull(cache, remote("p4", "stored", "A03", 1))
    assert "A03" not in cache.unverified_doors() and len(refusals(cache)) == 2


def test_a_resync_does_not_reopen_the_rebuild(built: Cache) -> None:
    SyncStore(built).reset_cursors()
    pull(built, remote("minted", "stored", "B01", 1), more=True)
    assert built.unverified_doors() == {} and len(refusals(built)) == 1


def test_a_claim_withdrawn_by_the_central_service_frees_the_door(cache: Cache) -> None:
    pull(cache, remote("p1", "stored", "B01", 1), more=True)
    pull(cache, remote("p1", "cancelled", None, 2), more=True)
    assert cache.unverified_doors() == {}
    assert cache.compartment("B01").state == CompartmentState.FREE
    assert claims(cache, ClaimStatus.REFUTED)[0].detail == "withdrawn by the central service"


def test_returning_to_service_is_decided_by_the_parcels(built: Cache) -> None:
    built.set_compartment_state("B01", CompartmentState.OCCUPIED)  # nothing inside
    assert built.compartment("B01").state == CompartmentState.FREE
    built.set_compartment_state("A02", CompartmentState.FREE)  # "real" is inside
    assert built.compartment("A02").state == CompartmentState.OCCUPIED
    built.set_compartment_state("A02", CompartmentState.OUT_OF_SERVICE, reason="hinge")
    built.set_compartment_state("A02", CompartmentState.FREE, reason="fixed")
    assert built.compartment("A02").state == CompartmentState.OCCUPIED
    with pytest.raises(InvalidTransition):
        built.record_deposit("real", "B01", courier_id="c1")


def test_an_old_file_gets_its_compartment_states_recomputed(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engines = make_engines(path)
    upgrade(engines, path, target="0002")
    with engines.writer.begin() as conn:
        conn.execute(text(
            "INSERT INTO compartment (id, board, channel, size, \"column\", row, state, door, "
            "updated_at) VALUES ('B01', 1, 4, 'M', 1, 1, 'free', 'closed', "
            "'2026-01-01 00:00:00'), ('B02', 1, 5, 'M', 1, 2, 'occupied', 'closed', "
            "'2026-01-01 00:00:00')"))
        conn.execute(text(
            "INSERT INTO parcel (parcel_id, order_ref, state, compartment_id, version) "
            "VALUES ('p1', 'o', 'stored', 'B01', 1)"))
    engines.dispose()
    with Cache.open(path) as cache:
        assert cache.compartment("B01").state == CompartmentState.OCCUPIED
        assert cache.compartment("B02").state == CompartmentState.FREE
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM door_claim").fetchone() == (0,)


# -- the rule, under random interleavings ------------------------------------------------

DOORS = [c.id for c in LAYOUT]
PIDS = ["p1", "p2", "p3"]
ops = st.one_of(
    st.tuples(st.just("announce"), st.sampled_from(PIDS)),
    st.tuples(st.just("deposit"), st.sampled_from(PIDS), st.sampled_from(DOORS)),
    st.tuples(st.just("pickup"), st.sampled_from(PIDS)),
    st.tuples(st.just("collect"), st.sampled_from(PIDS)),
    st.tuples(st.just("ack")),
    st.tuples(st.just("central"), st.sampled_from(PIDS),
              st.sampled_from(["expected", "stored", "picked_up", "expired", "cancelled",
                               "collected"]),
              st.sampled_from([None, *DOORS]), st.booleans()),
    st.tuples(st.just("service"), st.sampled_from(DOORS),
              st.sampled_from(list(CompartmentState))),
    st.tuples(st.just("verify"), st.sampled_from(DOORS), st.booleans()),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated cache file with the layout; each example starts from a copy."""
    path = tmp_path_factory.mktemp("template") / "cache.db"
    with Cache.open(path) as cache:
        cache.replace_layout(LAYOUT)
        seed_profile(cache)
    return path


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(ops, max_size=25))
def test_the_state_always_follows_the_contents(
        template: Path, tmp_path_factory: pytest.TempPathFactory,
        steps: list[tuple[object, ...]]) -> None:
    clock = ManualClock()
    path = tmp_path_factory.mktemp("rule") / "cache.db"
    shutil.copy(template, path)
    cache = Cache.open(path, clock=clock)
    versions = dict.fromkeys(PIDS, 0)
    try:
        for step in steps:
            _apply(cache, clock, versions, step)
            _check(cache)
    finally:
        cache.close()


def _apply(cache: Cache, clock: ManualClock, versions: dict[str, int],
           step: tuple[object, ...]) -> None:
    kind = step[0]
    try:
        if kind == "announce":
            pid = str(step[1])
            versions[pid] += 1
            pull(cache, remote(pid, "expected", None, versions[pid]), more=True)
        elif kind == "deposit":
            cache.record_deposit(str(step[1]), str(step[2]), courier_id="c1")
        elif kind in ("pickup", "collect"):
            parcel = cache.parcel(str(step[1]))
            if parcel is None or parcel.compartment_id is None:
                return
            if kind == "pickup":
                cache.record_pickup([parcel.parcel_id], parcel.compartment_id)
            else:
                cache.record_collection([parcel.parcel_id], parcel.compartment_id,
                                        courier_id="c1")
        elif kind == "ack":
            ack_all(cache, clock)
        elif kind == "central":
            pid, state, door, more = str(step[1]), str(step[2]), step[3], bool(step[4])
            versions[pid] += 1
            pull(cache, remote(pid, state, door if isinstance(door, str) else None,
                               versions[pid]), more=more)
        elif kind == "service":
            cache.set_compartment_state(str(step[1]), CompartmentState(str(step[2])))
        elif kind == "verify":
            if step[2]:
                cache.verify_door(str(step[1]), actor_kind=ActorKind.SYSTEM, how="sensor")
            else:
                cache.refute_door(str(step[1]), actor_kind=ActorKind.SYSTEM, how="sensor")
    except CacheError as exc:
        del exc  # a refused move is part of the game; the invariant must still hold


def _check(cache: Cache) -> None:
    with cache.read() as s:
        parcels = list(s.exec(select(Parcel)))
        open_claims = list(s.exec(select(DoorClaim).where(
            DoorClaim.status == ClaimStatus.UNVERIFIED)))
    for comp in cache.compartments():
        inside = [p for p in parcels if p.compartment_id == comp.id and p.state in INSIDE]
        claimed = [c for c in open_claims if c.compartment_id == comp.id]
        if comp.state in PEOPLES_STATES:
            continue
        assert (comp.state == CompartmentState.OCCUPIED) == bool(inside or claimed), comp.id
    for p in parcels:
        if p.state in INSIDE and p.compartment_id is not None:
            continue
        assert p.state != ParcelState.STORED, f"{p.parcel_id} stored in no door"
