"""The sync worker against the real central service over HTTP: the normal rounds."""

from __future__ import annotations

import pytest
from synckit import Kiosk, ManualClock, assert_converged, cached_parcels, local_events

from sync.cache import (
    ActorKind,
    CompartmentState,
    EventType,
    LocalCommandStatus,
    ParcelState,
)
from sync.cache.sync_store import SyncStore
from sync.client import CentralClient
from tests.central_service import CentralService

pytestmark = pytest.mark.integration


def test_first_sync_lets_the_kiosk_check_codes(kiosk: Kiosk, central_service: CentralService):
    announced = [central_service.announce(size="M") for _ in range(3)]
    central_service.put_courier("c-1", pin="2468", badge="BADGE-0001")
    result = kiosk.sync()
    assert result.ok and result.pulled_parcels == 3 and result.pulled_couriers == 1
    cache = kiosk.cache
    for a in announced:
        (parcel,) = cache.parcels_for_code_hash(cache.hash_code(a.pickup_code))
        assert parcel.parcel_id == a.parcel.parcel_id
        assert parcel.state == ParcelState.EXPECTED
    courier = cache.courier("c-1")
    assert courier is not None and courier.pin_hash == cache.hash_secret("2468")
    assert cache.courier_by_badge_hash(cache.hash_secret("BADGE-0001")) == courier
    status = cache.sync_status()
    assert status.online and status.last_heartbeat_at is not None
    assert status.clock_skew_s is not None and abs(status.clock_skew_s) < 5
    assert_converged(cache, central_service)


def test_the_accessible_flag_reaches_the_kiosk(kiosk: Kiosk, central_service: CentralService):
    low = central_service.announce(size="M", accessible=True)
    plain = central_service.announce(size="M")
    assert low.parcel.accessible and not plain.parcel.accessible
    assert kiosk.sync().ok
    assert kiosk.cache.parcel(low.parcel.parcel_id).accessible is True
    assert kiosk.cache.parcel(plain.parcel.parcel_id).accessible is False
    assert central_service.parcel(low.parcel.parcel_id).accessible is True


def test_deposit_and_pickup_reach_the_central_side(kiosk: Kiosk, central_service: CentralService):
    a = central_service.announce(size="M")
    pid = a.parcel.parcel_id
    kiosk.sync()
    cache = kiosk.cache
    (slot,) = cache.free_compartments("M")[:1]
    intent = cache.record_open_intent(slot.id, [pid], ActorKind.COURIER, "c-1", "deposit")
    cache.record_deposit(pid, slot.id, courier_id="c-1", intent_id=intent)
    assert kiosk.sync().ok
    assert central_service.parcel(pid).state.value == "stored"
    assert_converged(cache, central_service)

    (found,) = cache.parcels_for_code_hash(cache.hash_code(a.pickup_code))
    intent = cache.record_open_intent(slot.id, [pid], ActorKind.CUSTOMER, None, "pickup")
    cache.record_pickup([pid], slot.id, intent_id=intent)
    assert kiosk.sync().ok
    assert central_service.parcel(pid).state.value == "picked_up"
    assert cache.compartment(slot.id).state == CompartmentState.FREE
    assert_converged(cache, central_service)
    types = [e.type.value for e in central_service.events()]
    assert types == ["compartment.opened", "parcel.deposited",
                     "compartment.opened", "parcel.picked_up"]


def test_a_stale_page_never_undoes_a_local_pickup(kiosk: Kiosk, central_service: CentralService):
    """A pickup the central side has not heard of yet must not be reverted by a pull,
    or the same code would open the (now empty) door again."""
    a = central_service.announce(size="S")
    pid = a.parcel.parcel_id
    kiosk.sync()
    kiosk.cache.record_deposit(pid, "A01", courier_id="c-1")
    kiosk.sync()
    kiosk.cache.record_pickup([pid], "A01")
    # Pull from scratch before the pickup was pushed: the server still says "stored".
    client = CentralClient(kiosk.base_url, kiosk.locker_id, kiosk.token)
    page = client.parcels(None, 100)
    client.close()
    assert page.parcels[0].state.value == "stored"
    SyncStore(kiosk.cache).apply_parcels(page)
    assert cached_parcels(kiosk.cache)[pid].state == ParcelState.PICKED_UP
    assert kiosk.sync().ok
    assert_converged(kiosk.cache, central_service)


def test_central_changes_arrive_by_cursor(kiosk: Kiosk, central_service: CentralService):
    a = central_service.announce()
    b = central_service.announce()
    kiosk.sync()
    kiosk.cache.record_deposit(b.parcel.parcel_id, "A02", courier_id="c-1")
    kiosk.sync()
    central_service.cancel(a.parcel.parcel_id)
    central_service.expire(b.parcel.parcel_id)
    result = kiosk.sync()
    assert result.pulled_parcels == 2  # only what changed since the cursor
    local = cached_parcels(kiosk.cache)
    assert local[a.parcel.parcel_id].state == ParcelState.CANCELLED
    assert local[b.parcel.parcel_id].state == ParcelState.EXPIRED
    assert [p.parcel_id for p in kiosk.cache.parcels_to_collect()] == [b.parcel.parcel_id]
    assert_converged(kiosk.cache, central_service)


def test_remote_commands_are_stored_once_and_reported(kiosk: Kiosk, central_service):  # noqa: ANN001
    cmd = central_service.queue_command("open_compartment", "B02", reason="case 4711")
    central_service.queue_command("resync", reason="after restore")
    assert kiosk.sync().ok
    assert kiosk.sync().ok  # a second heartbeat must not store it again
    (pending,) = kiosk.cache.pending_commands()
    assert pending.command_id == cmd.command_id and pending.compartment_id == "B02"
    assert kiosk.cache.claim_command(cmd.command_id) is not None
    kiosk.cache.mark_command_done(cmd.command_id, ok=True, detail="opened")
    assert kiosk.sync().ok
    statuses = {c.type.value: c.status.value for c in central_service.commands()}
    assert statuses == {"open_compartment": "completed", "resync": "completed"}
    done = [e for e in local_events(kiosk.cache) if e.type == EventType.COMMAND_COMPLETED]
    assert len(done) == 2
    assert kiosk.cache.claim_command(cmd.command_id) is None
    with kiosk.cache.read() as s:
        from sync.cache import Command

        assert s.get(Command, cmd.command_id).status == LocalCommandStatus.DONE  # type: ignore[union-attr]
    assert_converged(kiosk.cache, central_service)


def test_a_rejected_event_is_kept_and_never_blocks_the_rest(
    kiosk: Kiosk, central_service: CentralService
) -> None:
    kiosk.cache.record_event(EventType.LOCKER_STARTED)
    ghost = kiosk.cache.record_event(EventType.PARCEL_PICKED_UP, parcel_id="not-here",
                                     compartment_id="A01")
    kiosk.cache.record_event(EventType.CODE_DENIED)
    result = kiosk.sync()
    assert result.ok and result.pushed == 2
    (rejected,) = kiosk.cache.rejected_events()
    assert rejected.event_id == ghost.event_id and rejected.rejected_code
    status = kiosk.cache.sync_status()
    assert status.outbox_depth == 0 and status.rejected_events == 1
    assert kiosk.sync().pushed == 0  # not sent again
    assert [e.type.value for e in central_service.events()] == ["locker.started", "code.denied"]
    assert_converged(kiosk.cache, central_service)


def test_acknowledged_events_are_pruned_after_30_days_numbering_goes_on(
    kiosk: Kiosk, central_service: CentralService
) -> None:
    kiosk.cache.record_event(EventType.LOCKER_STARTED)
    assert kiosk.sync().ok
    later = ManualClock()
    later.advance(31 * 86400)
    assert kiosk.worker(clock=later).run_round(force=True).ok
    assert local_events(kiosk.cache) == []
    assert kiosk.cache.record_event(EventType.LOCKER_STARTED).seq == 2
    assert kiosk.sync().ok
    assert [e.seq for e in central_service.events()] == [1, 2]
