"""Announcing parcels, pulling them by cursor, operator state changes, deadlines."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from contract.codes import hash_code, parse_scan
from contract.wire import Parcel, ParcelState
from tests.central.conftest import Locker, error_of
from tests.central_service import CentralService, OperatorApiError

pytestmark = pytest.mark.integration


def test_announce_returns_the_code_once_and_the_pull_has_its_hash(locker: Locker) -> None:
    announced = locker.announce(size="L", recipient_hint="M. Muster")
    scan = parse_scan(announced.qr_payload)
    assert scan.locker_id == locker.locker_id and scan.code == announced.pickup_code
    profile = locker.service.profile(locker.locker_id)
    expected = hash_code(announced.pickup_code, profile.code_salt, profile.code_kdf.to_params())
    pulled = {p.parcel_id: p for p in locker.pull().parcels}[announced.parcel.parcel_id]
    assert pulled.pickup_code_hash == expected
    assert pulled.state is ParcelState.EXPECTED
    assert pulled.size == "L" and pulled.recipient_hint == "M. Muster"
    # the operator view never shows the code again
    record = locker.service.parcel(announced.parcel.parcel_id)
    assert announced.pickup_code not in record.model_dump_json()


def test_two_parcels_get_different_codes(locker: Locker) -> None:
    codes = {locker.announce().pickup_code for _ in range(5)}
    assert len(codes) == 5


def test_bad_announcements_are_typed_errors(locker: Locker) -> None:
    svc = locker.service
    locker.announce(order_ref="ORDER-1", barcode="BC-1")
    with pytest.raises(OperatorApiError) as exc:
        locker.announce(order_ref="ORDER-1", barcode="BC-2")
    assert (exc.value.status, exc.value.code) == (409, "duplicate_order_ref")
    with pytest.raises(OperatorApiError) as exc:
        locker.announce(order_ref="ORDER-2", barcode="BC-1")
    assert (exc.value.status, exc.value.code) == (409, "duplicate_barcode")
    with pytest.raises(OperatorApiError) as exc:
        locker.announce(pickup_deadline=datetime.now(UTC) - timedelta(hours=1))
    assert (exc.value.status, exc.value.code) == (422, "deadline_in_past")
    resp = locker.session.post(
        svc.base_url + "/v1/parcels",
        json={"locker_id": locker.locker_id, "order_ref": "X", "size": "XXL", "barcode": "B"},
        headers={"Authorization": f"Bearer {svc.operator_token}"},
        timeout=10,
    )
    status, code = error_of(resp)
    assert (status, code) == (422, "validation_error")
    assert "size" in resp.json()["error"]["message"]


def test_paging_walks_every_parcel_once_in_change_order(locker: Locker) -> None:
    ids = [locker.announce().parcel.parcel_id for _ in range(7)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = locker.pull(cursor, limit=3)
        pages += 1
        seen += [p.parcel_id for p in page.parcels]
        cursor = page.next_cursor
        if not page.has_more:
            break
    assert seen == ids
    assert pages == 3
    # nothing new: the same cursor comes back with an empty page
    again = locker.pull(cursor)
    assert again.parcels == [] and again.next_cursor == cursor and not again.has_more


def test_changes_made_while_paging_are_not_missed(locker: Locker) -> None:
    ids = [locker.announce().parcel.parcel_id for _ in range(5)]
    first = locker.pull(limit=2)
    assert [p.parcel_id for p in first.parcels] == ids[:2]
    # while the client holds page 1: one parcel it already read and one it has not
    # read yet change
    locker.deposit(ids[0], "A01")
    locker.service.cancel(ids[3])
    rest: list = []
    cursor = first.next_cursor
    while True:
        page = locker.pull(cursor, limit=2)
        rest += page.parcels
        cursor = page.next_cursor
        if not page.has_more:
            break
    final = {p.parcel_id: p for p in first.parcels}
    for parcel in rest:
        final[parcel.parcel_id] = parcel  # apply in order, as the cache does
    assert set(final) == set(ids)
    assert final[ids[0]].state is ParcelState.STORED and final[ids[0]].compartment_id == "A01"
    assert final[ids[3]].state is ParcelState.CANCELLED
    assert [p.parcel_id for p in rest][-2:] == [ids[0], ids[3]]  # in change order


def test_cursor_survives_a_server_kill(central_service_factory) -> None:
    svc: CentralService = central_service_factory().start()
    for _ in range(3):
        svc.announce()
    resp = svc.device_get(f"/v1/lockers/{svc.locker_id}/parcels")
    cursor = resp.json()["next_cursor"]
    svc.kill()
    svc.start()
    late = svc.announce()
    resp = svc.device_get(f"/v1/lockers/{svc.locker_id}/parcels", cursor=cursor)
    assert resp.status_code == 200
    assert [p["parcel_id"] for p in resp.json()["parcels"]] == [late.parcel.parcel_id]


def test_foreign_or_garbage_cursors_are_refused(service: CentralService, locker: Locker) -> None:
    locker.announce()
    cursor = locker.pull().next_cursor
    assert error_of(locker.get("/parcels", cursor="not-a-cursor")) == (422, "invalid_cursor")
    assert error_of(locker.get("/couriers", cursor=cursor)) == (422, "invalid_cursor")
    _p, other_token = service.add_locker(locker.locker_id + "-x")
    resp = locker.session.get(
        f"{service.base_url}/v1/lockers/{locker.locker_id}-x/parcels",
        params={"cursor": cursor},
        headers={"Authorization": f"Bearer {other_token}"},
        timeout=10,
    )
    assert error_of(resp) == (422, "invalid_cursor")
    assert error_of(locker.get("/parcels", limit=0)) == (422, "validation_error")
    assert error_of(locker.get("/parcels", limit=1001)) == (422, "validation_error")


def test_operator_cancel_and_expire_follow_the_lifecycle(locker: Locker) -> None:
    svc = locker.service
    expected = locker.announce().parcel.parcel_id
    stored = locker.announce().parcel.parcel_id
    locker.deposit(stored)
    with pytest.raises(OperatorApiError) as exc:
        svc.expire(expected)  # never deposited: nothing to collect
    assert (exc.value.status, exc.value.code) == (409, "invalid_transition")
    assert svc.expire(stored).state is ParcelState.EXPIRED
    assert svc.cancel(expected).state is ParcelState.CANCELLED
    with pytest.raises(OperatorApiError) as exc:
        svc.cancel(expected)
    assert exc.value.status == 409
    with pytest.raises(OperatorApiError) as exc:
        svc.cancel("no-such-parcel")
    assert (exc.value.status, exc.value.code) == (404, "parcel_not_found")
    versions = {p.parcel_id: p.version for p in locker.pull().parcels}
    assert versions == {expected: 2, stored: 3}


def test_stored_parcel_past_its_deadline_is_pulled_as_expired(locker: Locker) -> None:
    deadline = datetime.now(UTC) + timedelta(seconds=1.5)  # room for a slow, busy machine
    parcel_id = locker.announce(pickup_deadline=deadline).parcel.parcel_id
    never_deposited = locker.announce(pickup_deadline=deadline).parcel.parcel_id
    locker.deposit(parcel_id)
    cursor = locker.pull().next_cursor
    time.sleep(max(0.0, (deadline - datetime.now(UTC)).total_seconds()) + 0.05)
    page = locker.pull(cursor)
    assert [(p.parcel_id, p.state) for p in page.parcels] == [(parcel_id, ParcelState.EXPIRED)]
    assert locker.service.parcel(never_deposited).state is ParcelState.EXPECTED


def test_the_sweep_timer_expires_parcels_without_any_pull(central_service_factory) -> None:
    svc: CentralService = central_service_factory(sweep_interval_s=0.2).start()
    deadline = datetime.now(UTC) + timedelta(seconds=1)
    parcel_id = svc.announce(pickup_deadline=deadline).parcel.parcel_id
    svc.push_events(
        [svc.make_event("parcel.deposited", 1, parcel_id=parcel_id, compartment_id="A01")]
    )
    give_up = time.monotonic() + 10
    while svc.parcel(parcel_id).state is not ParcelState.EXPIRED:
        assert time.monotonic() < give_up, "the sweep timer never expired the parcel"
        time.sleep(0.1)
    assert svc.parcel(parcel_id).version == 3


def test_a_client_paging_during_concurrent_writes_ends_with_the_servers_state(
    locker: Locker,
) -> None:
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for i in range(40):
                parcel_id = locker.announce().parcel.parcel_id
                if i % 2:
                    locker.deposit(parcel_id, f"A{i:02d}")
                if i % 5 == 0:
                    locker.service.cancel(parcel_id)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            stop.set()

    thread = threading.Thread(target=writer)
    thread.start()
    seen: dict[str, Parcel] = {}
    cursor = None
    while True:
        writer_done = stop.is_set()
        page = locker.pull(cursor, limit=3)
        for parcel in page.parcels:
            assert parcel.version > (
                seen[parcel.parcel_id].version if parcel.parcel_id in seen else 0
            )
            seen[parcel.parcel_id] = parcel
        cursor = page.next_cursor
        if writer_done and not page.has_more:
            break
    thread.join()
    assert not errors
    truth = {p.parcel_id: p for p in locker.pull().parcels}
    assert len(truth) == 40
    assert seen == truth
