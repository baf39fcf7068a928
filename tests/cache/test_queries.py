"""The query API the kiosk calls, on a real cache file."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from cachekit import LAYOUT, ManualClock, add_parcel
from sqlmodel import select

from contract import wire
from contract.codes import MalformedCode
from sync.cache import (
    ActorKind,
    AuditKind,
    Cache,
    Command,
    CompartmentSpec,
    CompartmentState,
    EventType,
    InvalidTransition,
    LayoutConflict,
    NotFound,
    OutboxEvent,
    Parcel,
    ParcelState,
    ProfileMissing,
)
from sync.cache.sync_store import SyncStore

pytestmark = pytest.mark.integration


def _wire(parcel: Parcel, **changes: object) -> wire.Parcel:
    values = {
        "parcel_id": parcel.parcel_id, "order_ref": parcel.order_ref, "state": parcel.state.value,
        "size": parcel.size, "compartment_id": parcel.compartment_id,
        "barcode": parcel.barcode, "pickup_code_hash": parcel.pickup_code_hash,
        "pickup_deadline": parcel.pickup_deadline, "version": parcel.version,
    }
    values.update(changes)
    return wire.Parcel.model_validate(values)


def outbox(cache: Cache) -> list[OutboxEvent]:
    with cache.read() as s:
        return list(s.exec(select(OutboxEvent).order_by(OutboxEvent.seq)))


def test_a_code_finds_its_parcels_in_every_state(cache: Cache) -> None:
    add_parcel(cache, "p1", "12345678", state=ParcelState.STORED, compartment_id="A02")
    add_parcel(cache, "p2", "12345678", state=ParcelState.PICKED_UP, version=3)
    add_parcel(cache, "p3", "87654321")
    found = cache.parcels_for_code_hash(cache.hash_code("1234 5678"))
    assert [(p.parcel_id, p.state) for p in found] == [
        ("p2", ParcelState.PICKED_UP),
        ("p1", ParcelState.STORED),
    ]
    assert cache.parcels_for_code_hash(cache.hash_code("00000000")) == []
    with pytest.raises(MalformedCode):
        cache.hash_code("12ab")


def test_without_a_profile_codes_cannot_be_checked(tmp_path) -> None:  # noqa: ANN001
    with Cache.open(tmp_path / "fresh.db") as fresh, pytest.raises(ProfileMissing):
        fresh.hash_code("12345678")


def test_no_plain_code_reaches_the_file(cache: Cache, cache_path) -> None:  # noqa: ANN001
    add_parcel(cache, "p1", "24681357", compartment_id="A02")
    code_hash = cache.hash_code("24681357")
    (parcel,) = cache.parcels_for_code_hash(code_hash)
    intent = cache.record_open_intent("A02", ["p1"], ActorKind.CUSTOMER, None, "pickup")
    cache.record_pickup(["p1"], "A02", intent_id=intent)
    cache.record_event(EventType.CODE_DENIED, data={"code_hash_prefix": code_hash[:8]})
    cache.close()
    raw = b"".join(p.read_bytes() for p in cache_path.parent.glob("cache.db*"))
    assert b"24681357" not in raw
    assert code_hash.encode() in raw


def test_barcode_lookup_prefers_the_open_parcel(cache: Cache) -> None:
    add_parcel(cache, "old", None, barcode="JD0001", state=ParcelState.COLLECTED, version=9)
    add_parcel(cache, "new", None, barcode="JD0001", state=ParcelState.EXPECTED, version=1)
    found = cache.parcel_by_barcode("JD0001")
    assert found is not None and found.parcel_id == "new"
    assert cache.parcel_by_barcode("nope") is None


def test_free_compartments_come_in_fill_order_by_size(cache: Cache) -> None:
    add_parcel(cache, "p1", None, compartment_id="A03")
    assert [c.id for c in cache.free_compartments("M")] == ["A02", "B01"]
    assert [c.id for c in cache.free_compartments()] == ["A01", "A02", "B01", "B02"]
    assert cache.free_compartments("XL") == []


def test_open_intent_writes_audit_and_event_together(cache: Cache) -> None:
    add_parcel(cache, "p1", "12345678", compartment_id="A02")
    arranged = len(outbox(cache))  # the deposit that put p1 there
    intent = cache.record_open_intent("A02", ["p1"], ActorKind.CUSTOMER, None, "pickup")
    (event,) = outbox(cache)[arranged:]
    assert event.type == EventType.COMPARTMENT_OPENED and event.seq == arranged + 1
    assert json.loads(event.data) == {"parcel_ids": ["p1"], "reason": "pickup"}
    entry = cache.recent_audit(1)[0]
    assert entry.id == intent and entry.kind == AuditKind.DOOR_OPEN
    assert entry.event_id == event.event_id
    with pytest.raises(NotFound):
        cache.record_open_intent("Z99", [], ActorKind.TECHNICIAN, "t1", "diag")
    assert len(outbox(cache)) == arranged + 1


def test_pickup_frees_the_compartment_and_cannot_happen_twice(cache: Cache) -> None:
    add_parcel(cache, "p1", "12345678", compartment_id="A02")
    add_parcel(cache, "p2", "12345678", compartment_id="A02")  # only a rebuilt cache
    assert cache.compartment("A02").state == CompartmentState.OCCUPIED
    seq = cache.sync_status().last_event_seq
    events = cache.record_pickup(["p1", "p2"], "A02")
    assert [e.type for e in events] == [EventType.PARCEL_PICKED_UP] * 2
    assert [e.seq for e in events] == [seq + 1, seq + 2]  # the door's state: audit only
    assert cache.parcel("p1").state == ParcelState.PICKED_UP  # type: ignore[union-attr]
    assert cache.compartment("A02").state == CompartmentState.FREE
    depth = cache.sync_status().outbox_depth
    with pytest.raises(InvalidTransition, match="picked_up"):
        cache.record_pickup(["p1"], "A02")
    assert cache.sync_status().outbox_depth == depth


def test_a_failing_write_leaves_nothing_behind(cache: Cache) -> None:
    add_parcel(cache, "p1", "12345678", compartment_id="A02")
    before = outbox(cache)
    seq = cache.sync_status().last_event_seq
    with pytest.raises(NotFound):
        cache.record_pickup(["p1", "unknown"], "A02")
    assert cache.parcel("p1").state == ParcelState.STORED  # type: ignore[union-attr]
    assert cache.compartment("A02").state == CompartmentState.OCCUPIED
    assert cache.sync_status().last_event_seq == seq
    assert [e.event_id for e in outbox(cache)] == [e.event_id for e in before]


def test_deposit_and_collection(cache: Cache, clock: ManualClock) -> None:
    add_parcel(cache, "p1", None, state=ParcelState.EXPECTED)
    ev = cache.record_deposit("p1", "B01", courier_id="c7")
    assert ev.type == EventType.PARCEL_DEPOSITED and ev.actor_id == "c7"
    assert cache.compartment("B01").state == CompartmentState.OCCUPIED
    parcel = cache.parcel("p1")
    assert parcel is not None and parcel.state == ParcelState.STORED
    assert parcel.compartment_id == "B01"
    with pytest.raises(InvalidTransition):
        cache.record_deposit("p1", "B02", courier_id="c7")
    add_parcel(cache, "p2", None, state=ParcelState.EXPECTED)
    with pytest.raises(InvalidTransition, match="occupied"):
        cache.record_deposit("p2", "B01", courier_id="c7")
    # The central side hears of the deposit, then expires it; the courier takes it back.
    store = SyncStore(cache)
    store.record_push_result([ev.event_id], wire.EventResult(accepted=[ev.event_id]),
                             clock())
    store.apply_parcels(wire.ParcelPage(parcels=[_wire(parcel, state="expired", version=2)],
                                        next_cursor="c2", has_more=False))
    assert cache.parcel("p1").state == ParcelState.EXPIRED  # type: ignore[union-attr]
    assert [p.parcel_id for p in cache.parcels_to_collect()] == ["p1"]
    cache.record_collection(["p1"], "B01", courier_id="c7")
    assert cache.compartment("B01").state == CompartmentState.FREE
    assert cache.parcels_to_collect() == []
    kinds = [e.kind for e in cache.recent_audit()]
    assert AuditKind.DEPOSIT in kinds and AuditKind.COLLECTION in kinds


def test_service_state_changes_raise_events(cache: Cache) -> None:
    cache.set_compartment_state(
        "B02", CompartmentState.OUT_OF_SERVICE, actor_kind=ActorKind.TECHNICIAN,
        actor_id="t1", reason="hinge broken",
    )
    assert cache.free_compartments("L") == []
    cache.set_compartment_state("B02", CompartmentState.FREE, actor_kind=ActorKind.TECHNICIAN)
    assert [e.type for e in outbox(cache)] == [
        EventType.COMPARTMENT_OUT_OF_SERVICE, EventType.COMPARTMENT_IN_SERVICE,
    ]


def test_alarm_events_are_audited(cache: Cache) -> None:
    cache.record_event(EventType.COMPARTMENT_FORCED_OPEN, compartment_id="A01")
    cache.record_event(EventType.COURIER_LOGIN, actor_kind=ActorKind.COURIER, actor_id="c7")
    cache.record_event(EventType.LOCKER_STARTED)
    kinds = [e.kind for e in cache.recent_audit(2)]
    assert kinds == [AuditKind.LOGIN, AuditKind.ALARM]
    assert [e.seq for e in outbox(cache)] == [1, 2, 3]


def test_layout_replacement_keeps_states_and_protects_parcels(cache: Cache) -> None:
    add_parcel(cache, "p1", None, compartment_id="A02")
    bigger = [*LAYOUT, CompartmentSpec("C01", board=2, channel=1, size="XL", column=2, row=1)]
    change = cache.replace_layout(bigger)
    assert change.added == ("C01",) and change.removed == ()
    assert cache.compartment("A02").state == CompartmentState.OCCUPIED
    with pytest.raises(LayoutConflict, match="A02"):
        cache.replace_layout([s for s in bigger if s.id != "A02"])
    assert len(cache.compartments()) == 6
    moved = [CompartmentSpec("A01", 1, 9, "S", 0, 1), *LAYOUT[1:]]
    assert cache.replace_layout(moved) == type(change)((), ("A01",), ("C01",))


def _command(cache: Cache, clock: ManualClock, cid: str, minutes: int) -> None:
    with cache.write() as s:
        s.add(Command(command_id=cid, type="open_compartment", compartment_id="A01",
                      reason="support case", expires_at=clock.now + timedelta(minutes=minutes),
                      received_at=clock.now))


def test_remote_commands_run_at_most_once(cache: Cache, clock: ManualClock) -> None:
    _command(cache, clock, "cmd-1", 10)
    _command(cache, clock, "cmd-2", 1)
    assert [c.command_id for c in cache.pending_commands()] == ["cmd-1", "cmd-2"]
    claimed = cache.claim_command("cmd-1")
    assert claimed is not None
    assert cache.claim_command("cmd-1") is None  # a second caller gets nothing
    assert [c.command_id for c in cache.pending_commands()] == ["cmd-2"]
    ev = cache.mark_command_done("cmd-1", ok=True, detail="opened")
    assert ev.type == EventType.COMMAND_COMPLETED
    assert json.loads(ev.data)["command_id"] == "cmd-1"
    with pytest.raises(InvalidTransition):
        cache.mark_command_done("cmd-1", ok=True)
    clock.advance(120)
    assert cache.pending_commands() == []
    assert cache.claim_command("cmd-2") is None
    assert outbox(cache)[-1].type == EventType.COMMAND_FAILED
