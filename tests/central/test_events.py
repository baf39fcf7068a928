"""Event pushes: idempotent by event id, one bad event never blocks the rest,
physical truth wins over central decisions."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from contract.wire import CommandStatus, ParcelState
from tests.central.conftest import Locker, error_of
from tests.central_service import CentralService

pytestmark = pytest.mark.integration


def test_resending_a_batch_lands_in_duplicates(locker: Locker) -> None:
    batch = [locker.event("locker.started"), locker.event("code.denied", actor_kind="customer")]
    first = locker.push(batch)
    assert first.accepted == [e["event_id"] for e in batch]
    again = locker.push(batch)
    assert again.accepted == [] and again.duplicates == [e["event_id"] for e in batch]
    assert len(locker.service.events(locker.locker_id)) == 2


def test_a_bad_event_is_rejected_alone(locker: Locker) -> None:
    good1 = locker.event("compartment.opened", compartment_id="A01")
    bad_type = locker.event("compartment.exploded", compartment_id="A01")
    bad_seq = locker.event("compartment.closed") | {"seq": "7"}
    unknown_parcel = locker.event("parcel.picked_up", parcel_id="never-announced")
    good2 = locker.event("compartment.closed", compartment_id="A01")
    result = locker.push([good1, bad_type, bad_seq, unknown_parcel, good2])
    assert result.accepted == [good1["event_id"], good2["event_id"]]
    codes = {r.event_id: r.code for r in result.rejected}
    assert codes == {
        bad_type["event_id"]: "invalid_event",
        bad_seq["event_id"]: "invalid_event",
        unknown_parcel["event_id"]: "unknown_parcel",
    }
    assert all(r.message for r in result.rejected)
    stored = [e.event_id for e in locker.service.events(locker.locker_id)]
    assert stored == [good1["event_id"], good2["event_id"]]


def test_malformed_batches_fail_as_a_whole(locker: Locker) -> None:
    assert error_of(locker.post("/events", {"events": []})) == (422, "validation_error")
    assert error_of(locker.post("/events", [1, 2])) == (422, "validation_error")
    no_id = locker.event("locker.started")
    del no_id["event_id"]
    assert error_of(locker.post("/events", {"events": [no_id]})) == (422, "validation_error")
    too_many = [locker.event("locker.started") for _ in range(501)]
    assert error_of(locker.post("/events", {"events": too_many})) == (422, "validation_error")
    resp = locker.session.post(
        locker.url + "/events",
        data=b"{not json",
        headers=locker.headers() | {"Content-Type": "application/json"},
        timeout=10,
    )
    assert error_of(resp) == (422, "validation_error")
    assert locker.service.events(locker.locker_id) == []


def test_a_full_batch_of_500_is_stored_in_order(locker: Locker) -> None:
    batch = [locker.event("code.denied", actor_kind="customer") for _ in range(500)]
    assert len(locker.push(batch).accepted) == 500
    stored = locker.service.events(locker.locker_id)
    assert [e.seq for e in stored] == list(range(1, 501))


def test_event_id_used_by_another_locker_is_rejected(
    service: CentralService, locker: Locker
) -> None:
    _p, other_token = service.add_locker(locker.locker_id + "-o")
    shared = locker.event("locker.started")
    locker.push([shared])
    resp = locker.session.post(
        f"{service.base_url}/v1/lockers/{locker.locker_id}-o/events",
        json={"events": [shared]},
        headers={"Authorization": f"Bearer {other_token}"},
        timeout=10,
    )
    rejected = resp.json()["rejected"]
    assert [(r["event_id"], r["code"]) for r in rejected] == [
        (shared["event_id"], "event_id_conflict")
    ]


def test_parcel_events_move_the_parcel_and_the_locker_pulls_it(locker: Locker) -> None:
    parcel_id = locker.announce().parcel.parcel_id
    cursor = locker.pull().next_cursor
    locker.deposit(parcel_id, "B02")
    page = locker.pull(cursor)
    assert [(p.state, p.compartment_id, p.version) for p in page.parcels] == [
        (ParcelState.STORED, "B02", 2)
    ]
    locker.push(
        [
            locker.event(
                "parcel.picked_up", parcel_id=parcel_id, compartment_id="B02", actor_kind="customer"
            )
        ]
    )
    page = locker.pull(page.next_cursor)
    assert [(p.state, p.version) for p in page.parcels] == [(ParcelState.PICKED_UP, 3)]


def test_physical_truth_wins_over_cancel_and_expiry(locker: Locker) -> None:
    svc = locker.service
    cancelled = locker.announce().parcel.parcel_id
    expired = locker.announce().parcel.parcel_id
    locker.deposit(cancelled, "A01")
    locker.deposit(expired, "A02")
    svc.cancel(cancelled)
    svc.expire(expired)
    # the pickups happened offline before the kiosk heard of the central decisions
    result = locker.push(
        [
            locker.event("parcel.picked_up", parcel_id=cancelled, actor_kind="customer"),
            locker.event(
                "parcel.collected", parcel_id=expired, actor_kind="courier", actor_id="1001"
            ),
        ]
    )
    assert len(result.accepted) == 2 and not result.rejected
    assert svc.parcel(cancelled).state is ParcelState.PICKED_UP
    assert svc.parcel(expired).state is ParcelState.COLLECTED


def test_command_result_events_close_the_command(locker: Locker) -> None:
    svc = locker.service
    cmd = svc.queue_command(
        "open_compartment", "A03", reason="support case 42", locker_id=locker.locker_id
    )
    assert [c.command_id for c in locker.heartbeat().commands] == [cmd.command_id]
    locker.push(
        [
            locker.event(
                "command.completed",
                compartment_id="A03",
                actor_kind="operator",
                data={"command_id": cmd.command_id, "outcome": "opened"},
            )
        ]
    )
    record = svc.commands(locker.locker_id)[0]
    assert record.status is CommandStatus.COMPLETED and record.result["outcome"] == "opened"
    assert locker.heartbeat().commands == []


def test_a_lower_seq_after_a_reset_is_still_accepted(locker: Locker) -> None:
    locker.push([locker.event("locker.started") for _ in range(3)])
    locker.seq = 0  # the kiosk's database was replaced
    result = locker.push([locker.event("locker.started")])
    assert len(result.accepted) == 1
    assert len(locker.service.events(locker.locker_id)) == 4


def test_concurrent_overlapping_pushes_store_each_event_once(locker: Locker) -> None:
    events = [locker.event("code.denied", actor_kind="customer") for _ in range(200)]
    parcel_id = locker.announce().parcel.parcel_id
    events.append(locker.event("parcel.deposited", parcel_id=parcel_id, compartment_id="A01"))
    batches = [events[i : i + 50] for i in range(0, len(events), 50)]
    # the same batches from several "retrying" clients at once, in different orders
    plans = [batches, batches[::-1], batches[1:] + batches[:1], batches]

    def send(plan: list[list[dict]]) -> list[str]:
        accepted: list[str] = []
        for batch in plan:
            accepted += locker.push(batch).accepted
        return accepted

    with ThreadPoolExecutor(len(plans)) as pool:
        accepted = [eid for got in pool.map(send, plans) for eid in got]
    assert sorted(accepted) == sorted(e["event_id"] for e in events)
    stored = [e.event_id for e in locker.service.events(locker.locker_id)]
    assert sorted(stored) == sorted(e["event_id"] for e in events)
    assert locker.service.parcel(parcel_id).version == 2


def test_acknowledged_events_survive_a_kill(central_service_factory) -> None:
    svc: CentralService = central_service_factory().start()
    batch = [svc.make_event("locker.started", i + 1) for i in range(20)]
    assert len(svc.push_events(batch).accepted) == 20
    svc.kill()
    svc.start()
    assert len(svc.events()) == 20
    again = svc.push_events(batch)
    assert again.accepted == [] and len(again.duplicates) == 20
    assert str(uuid.UUID(again.duplicates[0])) == again.duplicates[0]


def test_two_worker_processes_share_the_work_and_store_each_event_once(
    central_service_factory,
) -> None:
    svc: CentralService = central_service_factory(workers=2).start()
    events = [svc.make_event("code.denied", i + 1, actor_kind="customer") for i in range(300)]
    batches = [events[i : i + 100] for i in range(0, 300, 100)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(svc.push_events, batches * 4))
    accepted = [eid for r in results for eid in r.accepted]
    assert sorted(accepted) == sorted(e["event_id"] for e in events)
    assert len(svc.events()) == 300
    svc.kill()  # the whole process group: nothing answers any more
    with pytest.raises(requests.ConnectionError):
        requests.get(svc.base_url + "/healthz", timeout=2)
