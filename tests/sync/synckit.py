"""Helpers of the sync tests: a kiosk-side cache + worker pointed at a central service
(directly or through the fault proxy), and the convergence check every fault test ends
with: every event on the server exactly once, and the cache equal to the server's view."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import select

from sync.cache import Cache, CompartmentSpec, Courier, OutboxEvent, Parcel
from sync.client import CentralClient
from sync.worker import RoundResult, SyncWorker, WorkerSettings

LAYOUT = [
    CompartmentSpec(f"{col}{row:02d}", board=1, channel=i + 1, size=size, column=c, row=row)
    for i, (c, col, row, size) in enumerate(
        (c, col, row, size)
        for c, col in enumerate("AB")
        for row, size in enumerate(("S", "M", "M", "L"), start=1)
    )
]

FAST = WorkerSettings(
    pull_interval_s=0.0, heartbeat_interval_s=0.0, push_interval_s=0.01,
    page_size=200, push_batch=200, backoff_base_s=0.01, backoff_max_s=0.05,
    kdf_min_n=1024,  # the test service's fast scrypt
)


class ManualClock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Kiosk:
    """The kiosk's cache and a sync worker for it."""

    path: Path
    cache: Cache
    base_url: str
    locker_id: str
    token: str
    settings: WorkerSettings = FAST
    timeout: tuple[float, float] = (2.0, 5.0)
    deadline_s: float = 20.0
    clients: list[CentralClient] = field(default_factory=list)

    def worker(self, **kw: object) -> SyncWorker:
        client = CentralClient(self.base_url, self.locker_id, self.token,
                               timeout=self.timeout, deadline_s=self.deadline_s,
                               allow_http=True)
        self.clients.append(client)
        return SyncWorker(self.cache, client, self.settings, rng=lambda: 0.5, **kw)  # type: ignore[arg-type]

    def sync(self, rounds: int = 10) -> RoundResult:
        """Rounds until one succeeds with an empty outbox (or `rounds` are used up)."""
        worker = self.worker()
        result = worker.run_round(force=True)
        for _ in range(rounds - 1):
            if result.ok and self.cache.sync_status().outbox_depth == 0:
                break
            result = worker.run_round(force=True)
        return result

    def close(self) -> None:
        for c in self.clients:
            c.close()
        self.cache.close()


def local_events(cache: Cache) -> list[OutboxEvent]:
    with cache.read() as s:
        return list(s.exec(select(OutboxEvent).order_by(OutboxEvent.seq)))


def cached_parcels(cache: Cache) -> dict[str, Parcel]:
    with cache.read() as s:
        return {p.parcel_id: p for p in s.exec(select(Parcel))}


def cached_couriers(cache: Cache) -> dict[str, Courier]:
    with cache.read() as s:
        return {c.courier_id: c for c in s.exec(select(Courier))}


def assert_converged(cache: Cache, central) -> None:  # noqa: ANN001
    """Every local event on the server exactly once; the cache equals the server's view."""
    every = local_events(cache)
    assert all(e.sent_at is not None or e.rejected_code for e in every), "events left unsent"
    events = [e for e in every if e.rejected_code is None]
    server = central.events()
    counts = Counter(e.event_id for e in server)
    assert not [eid for eid, n in counts.items() if n != 1], "an event landed twice"
    assert set(counts) == {e.event_id for e in events}  # rejected ones are not stored
    by_id = {e.event_id: e for e in server}
    for e in events:
        assert by_id[e.event_id].seq == e.seq and by_id[e.event_id].type.value == e.type.value

    remote = central.parcels()
    local = cached_parcels(cache)
    assert set(local) == set(remote)
    for pid, r in remote.items():
        p = local[pid]
        got = (p.state.value, p.compartment_id, p.pickup_code_hash, p.barcode, p.version,
               p.order_ref, p.size, p.pickup_deadline, p.recipient_hint)
        want = (r.state.value, r.compartment_id, r.pickup_code_hash, r.barcode, r.version,
                r.order_ref, r.size.value, r.pickup_deadline, r.recipient_hint)
        assert got == want, pid
    remote_c = central.couriers()
    local_c = cached_couriers(cache)
    assert {k: (c.name, c.pin_hash, c.badge_hash, c.active, c.version)
            for k, c in local_c.items()} == {
        k: (c.name, c.pin_hash, c.badge_hash, c.active, c.version) for k, c in remote_c.items()
    }


def make_kiosk(path: Path, base_url: str, central: Any, **kw: Any) -> Kiosk:
    """A cache with the test layout and a worker factory for `central`'s locker."""
    cache = Cache.open(path, **kw)
    cache.replace_layout(LAYOUT)
    return Kiosk(path, cache, base_url, central.locker_id, central.device_token)
