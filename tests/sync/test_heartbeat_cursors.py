"""The heartbeat carries the current cursors, so an idle locker makes one request per
cycle and the worker pulls only what moved, and never misses a change: changes are made
to race every request of the round (before the heartbeat, between the heartbeat and the
pull, after the pull: each after the service answered and before the locker has the
answer) and from a thread while rounds run."""

from __future__ import annotations

import random
import threading
from urllib.parse import urlsplit

import pytest
from faultproxy import FaultProxy
from synckit import Kiosk, assert_converged, cached_couriers, cached_parcels

from tests.central_service import CentralService

pytestmark = pytest.mark.integration


def _requests(proxy: FaultProxy) -> list[str]:
    """What the locker sent since the last call, as 'METHOD /last-path-part'."""
    seen = [f"{m} {urlsplit(p).path.rsplit('/', 1)[-1]}" for m, p, _ in proxy.seen]
    proxy.seen.clear()
    return seen


def test_an_idle_locker_sends_one_heartbeat_per_cycle_and_pulls_what_moved(
    proxied_kiosk: Kiosk, central_service: CentralService, proxy: FaultProxy
) -> None:
    worker = proxied_kiosk.worker()
    assert worker.run_round(force=True).ok  # the first round pulls everything
    _requests(proxy)
    for _ in range(5):
        assert worker.run_round().ok
    assert _requests(proxy) == ["POST heartbeat"] * 5

    parcel = central_service.announce()
    result = worker.run_round()
    assert (result.pulled_parcels, result.pulled_couriers) == (1, 0)
    assert _requests(proxy) == ["POST heartbeat", "GET parcels"]
    assert parcel.parcel.parcel_id in cached_parcels(proxied_kiosk.cache)

    central_service.put_courier("c-77")
    result = worker.run_round()
    assert (result.pulled_parcels, result.pulled_couriers) == (0, 1)
    assert _requests(proxy) == ["POST heartbeat", "GET couriers"]
    assert "c-77" in cached_couriers(proxied_kiosk.cache)

    assert worker.run_round().ok
    assert _requests(proxy) == ["POST heartbeat"]
    assert_converged(proxied_kiosk.cache, central_service)


def test_an_expired_deadline_moves_the_cursor_without_any_pull(
    proxied_kiosk: Kiosk, central_service: CentralService, proxy: FaultProxy
) -> None:
    from datetime import UTC, datetime, timedelta

    from sync.cache import ParcelState

    announced = central_service.announce()
    worker = proxied_kiosk.worker()
    assert worker.run_round(force=True).ok
    pid = announced.parcel.parcel_id
    proxied_kiosk.cache.record_deposit(pid, "A02", courier_id="c-1")
    assert worker.run_round().ok  # the deposit reaches the server, the parcel is stored
    # The deadline passes on the server's clock only through the data: move it back.
    from sqlalchemy import update

    from central.db import Database
    from central.schema import parcels

    db = Database(central_service.db_url, pool_size=1)
    try:
        with db.write() as conn:
            conn.execute(update(parcels).where(parcels.c.parcel_id == pid).values(
                pickup_deadline=datetime.now(UTC) - timedelta(minutes=1)))
    finally:
        db.dispose()
    _requests(proxy)
    assert worker.run_round().ok
    assert _requests(proxy) == ["POST heartbeat", "GET parcels"]
    assert cached_parcels(proxied_kiosk.cache)[pid].state == ParcelState.EXPIRED
    assert_converged(proxied_kiosk.cache, central_service)


@pytest.mark.parametrize("when", ["heartbeat", "parcels", "couriers", "every"])
def test_a_change_racing_any_request_of_the_round_is_never_missed(
    when: str, proxied_kiosk: Kiosk, central_service: CentralService, proxy: FaultProxy
) -> None:
    worker = proxied_kiosk.worker()
    assert worker.run_round(force=True).ok
    made: list[str] = []

    def make_one() -> None:
        kind = when if when in ("parcels", "couriers") else "parcels couriers"[len(made) % 2 * 8:]
        if kind.startswith("couriers"):
            central_service.put_courier(f"race-{len(made)}")
            made.append(f"courier race-{len(made)}")
        else:
            made.append(central_service.announce().parcel.parcel_id)

    def change(method: str, path: str) -> None:
        # runs in the proxy once the service answered, before the locker has the answer:
        # the answer is already stale. A pull that finds a change makes the next one,
        # so the chain lasts only as long as no change is missed.
        if len(made) < 12 and (when == "every" or path.split("?")[0].endswith(when)):
            make_one()

    if when in ("parcels", "couriers"):
        make_one()  # the first change: the pull it causes races the next one
    proxy.after_forward = change
    for _ in range(20):
        assert worker.run_round().ok
    proxy.after_forward = None
    assert len(made) >= 12, made
    # The changes stopped: two quiet rounds (the second is a lone heartbeat) and the
    # cache holds everything the server has.
    assert worker.run_round().ok
    _requests(proxy)
    assert worker.run_round().ok
    assert _requests(proxy) == ["POST heartbeat"]
    assert_converged(proxied_kiosk.cache, central_service)


def test_changes_from_a_thread_while_rounds_run_all_arrive(
    proxied_kiosk: Kiosk, central_service: CentralService
) -> None:
    worker = proxied_kiosk.worker()
    assert worker.run_round(force=True).ok
    stop = threading.Event()
    rng = random.Random(14)
    errors: list[BaseException] = []

    def operator() -> None:
        try:
            for i in range(30):
                if stop.is_set():
                    return
                if rng.random() < 0.25:
                    central_service.put_courier(f"thread-{i % 5}", pin=f"{1000 + i}")
                else:
                    central_service.announce()
        except BaseException as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    thread = threading.Thread(target=operator)
    thread.start()
    rounds = 0
    while thread.is_alive() and rounds < 500:
        assert worker.run_round().ok
        rounds += 1
    stop.set()
    thread.join(timeout=60)
    assert errors == []
    assert worker.run_round().ok  # the round after the last change
    assert_converged(proxied_kiosk.cache, central_service)
