"""The fleet benchmark's simulated locker makes exactly the requests the real sync
worker makes: both are driven through the same scripted day (idle cycles, parcels and
couriers changing, events to push, the profile's 30-cycle refresh) against the real
service, and the request lines they sent are compared one for one."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from faultproxy import FaultProxy
from synckit import Kiosk

from sync.cache import EventType, journal
from sync.worker import WorkerSettings
from tests.central_service import CentralService

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import central_fleet  # noqa: E402

pytestmark = pytest.mark.integration

CYCLES = 34  # past the profile's refresh on the 31st cycle
EVENTS_AT = {5, 12, 31}


def _script(central: CentralService, locker_id: str) -> dict[int, Callable[[], object]]:
    def announce(n: int) -> Callable[[], object]:
        return lambda: [central.announce(locker_id=locker_id) for _ in range(n)]

    def courier(cid: str) -> Callable[[], object]:
        return lambda: central.put_courier(f"{cid}-{locker_id}", locker_ids=[locker_id])

    both = (announce(3), courier("c2"))
    return {3: announce(1), 7: courier("c1"), 10: lambda: [f() for f in both],
            20: announce(2), 31: courier("c3")}


def _sent(proxy: FaultProxy, locker_id: str) -> list[str]:
    lines = []
    for method, path, _ in proxy.seen:
        parts = urlsplit(path)
        query = re.sub(r"cursor=[^&]+", "cursor=C", parts.query)
        lines.append(f"{method} {parts.path.replace(locker_id, '{id}')}?{query}")
    proxy.seen.clear()
    return lines


def test_the_simulated_locker_sends_what_the_sync_worker_sends(
    proxied_kiosk: Kiosk, central_service: CentralService, proxy: FaultProxy
) -> None:
    settings = WorkerSettings(pull_interval_s=0.0, heartbeat_interval_s=0.0)
    worker = proxied_kiosk.worker()
    worker.settings = settings
    real: list[list[str]] = []
    script = _script(central_service, central_service.locker_id)
    for k in range(CYCLES):
        if k in script:
            script[k]()
        if k in EVENTS_AT:
            with proxied_kiosk.cache.write() as s:
                for _ in range(2):
                    journal.append_event(s, EventType.CODE_DENIED, at=datetime.now(UTC))
        assert worker.run_round(force=k == 0).ok
        real.append(_sent(proxy, central_service.locker_id))

    _profile, token = central_service.add_locker("SIM-FLEET-1")
    sim = central_fleet.SimLocker("SIM-FLEET-1", token)
    client = central_fleet.Client(int(urlsplit(proxy.url).port or 0))
    simulated: list[list[str]] = []
    script = _script(central_service, sim.locker_id)
    try:
        for k in range(CYCLES):
            if k in script:
                script[k]()
            record: list[tuple[float, bool]] = []
            central_fleet.cycle(client, sim, push_events=k in EVENTS_AT, record=record)
            assert all(ok for _, ok in record), k
            simulated.append(_sent(proxy, sim.locker_id))
    finally:
        client.close()

    assert simulated == real
    # and the day is what the protocol promises: one request on an idle cycle
    assert real[1] == ["POST /v1/lockers/{id}/heartbeat?"]
    assert sum(len(r) for r in real) < 2 * CYCLES
