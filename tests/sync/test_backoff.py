"""Backoff, Retry-After and the event wire form, without a central service: the port
the client calls is closed, so every round fails for real (connection refused)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from contract import wire
from sync.cache import Cache, EventType
from sync.cache.sync_store import SyncStore
from sync.client import CentralClient, SyncUnavailable, event_body, parse_retry_after
from sync.worker import SyncWorker, WorkerSettings
from tests.central_service import free_port

pytestmark = pytest.mark.unit


@pytest.fixture
def cache(tmp_path: Path):  # noqa: ANN201
    c = Cache.open(tmp_path / "cache.db")
    yield c
    c.close()


def _worker(cache: Cache, rng: float) -> SyncWorker:
    client = CentralClient(f"http://127.0.0.1:{free_port()}", "XP-1", "secret-token",
                           timeout=(0.5, 0.5), allow_http=True)
    settings = WorkerSettings(backoff_base_s=1.0, backoff_max_s=60.0)
    return SyncWorker(cache, client, settings, rng=lambda: rng)


def test_backoff_grows_exponentially_up_to_the_cap_with_full_jitter(cache: Cache) -> None:
    top = _worker(cache, rng=0.999999)
    ceilings = []
    for _ in range(8):
        result = top.run_round(force=True)
        assert isinstance(result.error, SyncUnavailable)
        ceilings.append(round(top.next_delay(result)))
    assert ceilings == [2, 4, 8, 16, 32, 60, 60, 60]
    bottom = _worker(cache, rng=0.0)
    assert bottom.next_delay(bottom.run_round(force=True)) == 0.0  # full jitter reaches 0


def test_status_shows_the_streak_and_never_the_token(cache: Cache) -> None:
    worker = _worker(cache, rng=0.5)
    cache.record_event(EventType.LOCKER_STARTED)
    worker.run_round(force=True)
    first = cache.sync_status()
    worker.run_round(force=True)
    second = cache.sync_status()
    assert first.offline_since is not None and second.offline_since == first.offline_since
    assert second.last_error_at is not None and second.last_error_at >= first.last_error_at  # type: ignore[operator]
    assert "cannot connect" in (second.last_error or "")
    assert "secret-token" not in (second.last_error or "") and "secret-token" not in repr(worker)
    assert second.outbox_depth == 1 and not second.online


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120", lambda: now) == 120
    later = (now + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after(later, lambda: now) == 90
    assert parse_retry_after("soon", lambda: now) is None
    assert parse_retry_after(None, lambda: now) is None


def test_outbox_rows_go_out_in_the_wire_form(cache: Cache) -> None:
    cache.record_event(EventType.CODE_DENIED, compartment_id=None, data={"attempts": 3})
    (row,) = SyncStore(cache).outbox_batch(10)
    event = wire.Event.model_validate(event_body(row))
    assert event.event_id == row.event_id and event.seq == 1
    assert event.type == wire.EventType.CODE_DENIED and event.data == {"attempts": 3}
    assert event.occurred_at == row.occurred_at


def test_the_loop_sleeps_through_the_injected_sleep_in_watchdog_slices(cache: Cache) -> None:
    import threading

    worker = _worker(cache, rng=0.999999)
    stop = threading.Event()
    slept: list[float] = []
    ticks: list[int] = []
    results = []

    def on_round(result: object) -> None:
        results.append(result)
        if len(results) == 4:
            stop.set()

    worker.run_forever(stop, sleep=slept.append, on_round=on_round,
                       on_tick=lambda: ticks.append(1), tick_s=5.0)
    assert len(results) == 4 and not any(r.ok for r in results)
    # Rounds 1-3 each waited their backoff (2, 4, 8 s) cut into slices of at most 5 s.
    assert [round(x, 3) for x in slept] == [2.0, 4.0, 5.0, 3.0]
    assert len(ticks) == len(slept)


def test_sync_now_cuts_a_backoff_short_and_forces_a_full_round(cache: Cache, tmp_path) -> None:
    import threading

    from sync.settings import DatabaseSection

    db = DatabaseSection(path=tmp_path / "cache.db")
    worker = _worker(cache, rng=0.999999)
    stop = threading.Event()
    slept: list[float] = []
    results = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == 3:  # "sync now" pressed 1 s into the second (4 s) backoff
            db.sync_request_path.touch()

    def on_round(result: object) -> None:
        results.append(result)
        if len(results) == 3:
            stop.set()

    worker.run_forever(stop, sleep=sleep, on_round=on_round, tick_s=1.0,
                       requested=db.take_sync_request)
    # Round 1 backs off 2 s (two slices); round 2 would back off 4 s, but the request
    # ends that wait after its first slice and round 3 runs at once.
    assert len(results) == 3
    assert len(slept) == 3
    assert not db.sync_request_path.exists()  # taken exactly once
    assert not db.take_sync_request()
