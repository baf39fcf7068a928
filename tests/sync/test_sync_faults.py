"""Faults at the real boundary (HTTP on 127.0.0.1, killed processes). After each one the
worker recovers, every event is on the server exactly once, and the cache equals the
server's view of the locker."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from faultproxy import FaultProxy
from synckit import (
    Kiosk,
    ManualClock,
    assert_converged,
    cached_parcels,
    local_events,
    make_kiosk,
)

from sync.cache import ActorKind, EventType, journal
from sync.cache.sync_store import SyncStore
from sync.client import MalformedResponse, SyncRejected, SyncUnavailable
from tests.central_service import CentralService

pytestmark = pytest.mark.integration


def _activity(kiosk: Kiosk, central: CentralService, n: int = 3) -> None:
    """Some parcels on the server and some events queued on the kiosk."""
    for _ in range(n):
        central.announce(size="M")
    for i in range(n):
        kiosk.cache.record_event(EventType.CODE_DENIED, actor_kind=ActorKind.CUSTOMER,
                                 data={"attempt": i})


def test_server_down_at_start(tmp_path: Path, central_service_factory) -> None:  # noqa: ANN001
    central: CentralService = central_service_factory()
    central.start()
    central.announce()
    central.stop()
    kiosk = make_kiosk(tmp_path / "cache.db", central.base_url, central)
    try:
        kiosk.cache.record_event(EventType.LOCKER_STARTED)
        worker = kiosk.worker()
        result = worker.run_round(force=True)
        assert not result.ok and isinstance(result.error, SyncUnavailable)
        status = kiosk.cache.sync_status()
        assert status.offline_since is not None and "cannot connect" in (status.last_error or "")
        assert status.outbox_depth == 1
        central.start()
        assert worker.run_round(force=True).ok
        assert kiosk.cache.sync_status().offline_since is None
        assert_converged(kiosk.cache, central)
    finally:
        kiosk.close()


@pytest.mark.parametrize(
    ("kind", "match", "error", "says"),
    [
        ("500", "/events", SyncUnavailable, "HTTP 500"),
        ("junk", "/parcels", MalformedResponse, "not valid JSON"),
        ("wrong_types", "/parcels", MalformedResponse, "invalid answer at"),
        ("wrong_types", "/events", MalformedResponse, "invalid answer at accepted"),
        ("wrong_types", "/heartbeat", MalformedResponse, "invalid answer at commands"),
        ("huge", "/parcels", MalformedResponse, "byte limit"),
        ("slow", "/couriers", SyncUnavailable, "answer took over"),
        ("stall", "/heartbeat", SyncUnavailable, "timed out"),
        ("stuck_cursor", "/parcels", MalformedResponse, "no progress"),
    ],
)
def test_bad_answers_fail_the_round_without_a_partial_apply(
    proxied_kiosk: Kiosk, central_service: CentralService, proxy: FaultProxy,
    kind: str, match: str, error: type[Exception], says: str,
) -> None:
    kiosk = proxied_kiosk
    kiosk.deadline_s = 1.5  # the slow server trickles for 10 s
    kiosk.timeout = (1.0, 1.0)  # the stalled one says nothing for 3 s
    _activity(kiosk, central_service)
    cursors_before = SyncStore(kiosk.cache).cursors()
    parcels_before = cached_parcels(kiosk.cache)
    proxy.fail(kind, match=match)
    worker = kiosk.worker()
    result = worker.run_round(force=True)
    assert not result.ok and isinstance(result.error, error), result.error
    assert match.strip("/") in str(result.error) and says in str(result.error)
    if match == "/parcels":
        assert SyncStore(kiosk.cache).cursors() == cursors_before
        assert cached_parcels(kiosk.cache) == parcels_before
    if match == "/events" and kind == "500":
        assert kiosk.cache.sync_status().outbox_depth == 3
    assert worker.run_round(force=True).ok
    assert_converged(kiosk.cache, central_service)


def test_429_retry_after_is_honoured(proxied_kiosk: Kiosk, central_service, proxy) -> None:  # noqa: ANN001
    _activity(proxied_kiosk, central_service)
    proxy.fail("429", match="/events", retry_after=42)
    worker = proxied_kiosk.worker()
    result = worker.run_round(force=True)
    assert isinstance(result.error, SyncUnavailable) and result.error.retry_after == 42
    assert worker.next_delay(result) >= 42  # the jittered backoff alone would be < 0.05 s
    assert worker.run_round(force=True).ok
    assert_converged(proxied_kiosk.cache, central_service)


def test_a_failure_streak_is_logged_once(
    proxied_kiosk: Kiosk, central_service: CentralService, proxy: FaultProxy,
    caplog: pytest.LogCaptureFixture,
) -> None:
    proxy.fail("500", match="/events", times=5)
    proxied_kiosk.cache.record_event(EventType.LOCKER_STARTED)
    worker = proxied_kiosk.worker()
    with caplog.at_level(logging.INFO, logger="sync.worker"):
        results = [worker.run_round(force=True) for _ in range(6)]
    assert [r.ok for r in results] == [False] * 5 + [True]
    failures = [r for r in caplog.records if "sync round failed" in r.getMessage()]
    assert len(failures) == 1 and failures[0].levelno == logging.WARNING
    assert any("reachable again" in r.getMessage() for r in caplog.records)
    assert_converged(proxied_kiosk.cache, central_service)


def test_a_revoked_token_stops_sync_until_a_new_one_is_set(
    kiosk: Kiosk, central_service: CentralService
) -> None:
    _activity(kiosk, central_service)
    assert kiosk.sync().ok
    kiosk.cache.record_event(EventType.TECHNICIAN_LOGIN, actor_kind=ActorKind.TECHNICIAN)
    central_service.revoke_device_token()
    worker = kiosk.worker()
    result = worker.run_round(force=True)
    assert isinstance(result.error, SyncRejected) and result.error.status == 401
    assert "token" in (kiosk.cache.sync_status().last_error or "")
    assert kiosk.token not in (kiosk.cache.sync_status().last_error or "")
    assert kiosk.cache.sync_status().outbox_depth == 1  # kept, not dropped
    kiosk.token = central_service.issue_device_token()
    assert kiosk.sync().ok
    assert_converged(kiosk.cache, central_service)


def test_server_killed_in_the_middle_of_a_push(
    proxied_kiosk: Kiosk, central_service: CentralService, proxy: FaultProxy
) -> None:
    kiosk = proxied_kiosk
    for i in range(600):
        kiosk.cache.record_event(EventType.CODE_DENIED, data={"i": i})
    # The second batch reaches the server and is stored, then the server dies before
    # anything is answered.
    proxy.fail("pass", match="/events")
    proxy.fail("forward_then_drop", match="/events", on_forwarded=central_service.kill)
    worker = kiosk.worker()
    result = worker.run_round(force=True)
    assert not result.ok and isinstance(result.error, SyncUnavailable)
    assert kiosk.cache.sync_status().outbox_depth == 400
    assert worker.run_round(force=True).error is not None  # still down
    central_service.start()
    assert worker.run_round(force=True).ok
    assert_converged(kiosk.cache, central_service)
    assert len(central_service.events()) == 600


@pytest.mark.slow
def test_a_day_offline_with_5000_events(tmp_path: Path, central_service_factory) -> None:  # noqa: ANN001
    central: CentralService = central_service_factory()
    central.start()
    announced = [central.announce(size="S") for _ in range(4)]
    clock = ManualClock()
    kiosk = make_kiosk(tmp_path / "cache.db", central.base_url, central, clock=clock)
    try:
        assert kiosk.sync().ok
        central.stop()
        worker = kiosk.worker(clock=clock)
        for a, slot in zip(announced, kiosk.cache.free_compartments(), strict=False):
            kiosk.cache.record_deposit(a.parcel.parcel_id, slot.id, courier_id="c-1")
        remaining = 5000 - len(announced)
        for hour in range(24):  # alarms and denied codes all day, a failed round each hour
            with kiosk.cache.write() as s:
                for i in range(remaining // 24 + (hour < remaining % 24)):
                    clock.advance(3600 / (remaining // 24 + 1))
                    journal.append_event(s, EventType.CODE_DENIED, at=clock(), data={"i": i})
            assert not worker.run_round(force=True).ok
        status = kiosk.cache.sync_status()
        assert status.outbox_depth == 5000
        assert status.offline_since is not None
        assert (clock() - status.offline_since).total_seconds() > 0.79 * 86400
        central.start()
        kiosk.settings = kiosk.settings.__class__(**{**kiosk.settings.__dict__, "push_batch": 500})
        assert kiosk.sync().ok
        assert_converged(kiosk.cache, central)
        assert len(local_events(kiosk.cache)) == 5000
    finally:
        kiosk.close()
