"""The central service under a simulated fleet of lockers, SQLite and PostgreSQL side by side.

Every simulated locker, once per 10 s, sends a heartbeat, pulls its parcel changes and
its courier changes (with the cursors it kept from last time) and, one cycle in ten,
pushes a small batch of events. Time is compressed, not the load: N lockers start
N/10 cycles per second in total, spread evenly (open loop), for a short window; a
steady trickle of parcel announcements keeps the pulls non-empty.

For each backend the script searches the largest N for which p99 request latency
stays under 100 ms with no errors and the offered rate is met, doubling N while it
holds and then bisecting. It prints one line per step and a summary with the ratio.

Client and server share this machine's cores, so the figures are conservative; all
traffic is on 127.0.0.1.

    .venv/bin/python bench/central_fleet.py [--backends sqlite,postgresql] [--window 6]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import queue
import random
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, update  # noqa: E402

from central import lockers, tokens  # noqa: E402
from central.db import Database  # noqa: E402
from central.schema import lockers as lockers_table  # noqa: E402
from central.schema import parcels as parcels_table  # noqa: E402
from central.tokens import TokenKind  # noqa: E402
from contract.wire import CodeKdf, LockerCreate  # noqa: E402
from tests.central_service import (  # noqa: E402
    CentralService,
    PostgresUnavailable,
    TempPostgres,
)

CYCLE_S = 10.0
P99_LIMIT_MS = 100.0
MIN_RATE_SHARE = 0.95
REQUESTS_PER_CYCLE = 3.1  # heartbeat, two pulls, and an event push one cycle in ten


@dataclass
class SimLocker:
    locker_id: str
    token: str
    parcel_cursor: str | None = None
    courier_cursor: str | None = None
    seq: int = 0


@dataclass
class StepResult:
    n: int
    requests: int
    errors: int
    offered_rps: float
    achieved_rps: float
    latencies_ms: list[float] = field(repr=False)

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, int(q * len(data)))]

    @property
    def passed(self) -> bool:
        return (
            self.errors == 0
            and self.pct(0.99) < P99_LIMIT_MS
            and self.achieved_rps >= MIN_RATE_SHARE * self.offered_rps
        )


class Fleet:
    """Lockers created straight in the database (fast), then driven over HTTP."""

    def __init__(self, service: CentralService, parcels_per_locker: int) -> None:
        self.service = service
        self.db = Database(service.db_url, pool_size=2)
        self.parcels_per_locker = parcels_per_locker
        self.lockers: list[SimLocker] = []

    def grow(self, n: int) -> None:
        now = datetime.now(UTC)
        new: list[SimLocker] = []
        while len(self.lockers) + len(new) < n:
            locker_id = f"B-{len(self.lockers) + len(new):06d}"
            new.append(SimLocker(locker_id, tokens.new_token()))
        if not new:
            return
        kdf = CodeKdf(n=16, r=1)
        with self.db.write() as conn:
            for sim in new:
                lockers.create(
                    conn,
                    LockerCreate(locker_id=sim.locker_id, name=sim.locker_id, code_kdf=kdf),
                    now,
                )
                tokens.register(conn, sim.token, TokenKind.DEVICE, now, sim.locker_id)
                rows = [
                    {
                        "parcel_id": f"{sim.locker_id}-{i}",
                        "locker_id": sim.locker_id,
                        "order_ref": f"{sim.locker_id}-O{i}",
                        "state": "stored" if i % 2 else "expected",
                        "size": "SMLX"[i % 4].replace("X", "XL"),
                        "compartment_id": f"A{i:02d}" if i % 2 else None,
                        "barcode": f"{sim.locker_id}-B{i}",
                        "pickup_code_hash": uuid.uuid4().hex * 2,
                        "pickup_deadline": now + timedelta(days=7),
                        "recipient_hint": "B. Bench",
                        "version": 1,
                        "change_seq": i + 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in range(self.parcels_per_locker)
                ]
                if rows:
                    conn.execute(insert(parcels_table), rows)
                conn.execute(
                    update(lockers_table)
                    .where(lockers_table.c.locker_id == sim.locker_id)
                    .values(change_seq=self.parcels_per_locker)
                )
        # warm-up: each new locker does its first full pull once, unmeasured
        client = Client(self.service.port)
        for sim in new:
            cycle(client, sim, push_events=False, record=None)
        client.close()
        self.lockers += new


class Client:
    """One keep-alive HTTP connection (http.client: lighter than requests)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(
        self, method: str, path: str, token: str, body: object | None = None
    ) -> tuple[int, dict]:
        headers = {"Authorization": f"Bearer {token}"}
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=payload, headers=headers)
            resp = self.conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise
        return resp.status, json.loads(data) if data else {}

    def close(self) -> None:
        self.conn.close()


def cycle(
    client: Client,
    sim: SimLocker,
    *,
    push_events: bool,
    record: list[tuple[float, bool]] | None,
) -> None:
    """One locker's 10-second duty: heartbeat, pull parcels, pull couriers, maybe push."""
    base = f"/v1/lockers/{sim.locker_id}"
    now = datetime.now(UTC).isoformat()
    calls: list[tuple[str, str, object | None]] = [
        (
            "POST",
            f"{base}/heartbeat",
            {
                "sent_at": now,
                "software_version": "bench",
                "outbox_depth": 0,
                "last_event_seq": sim.seq,
                "compartments": [
                    {"compartment_id": f"A{i:02d}", "state": "free", "door": "closed"}
                    for i in range(8)
                ],
                "board_ok": True,
            },
        ),
        (
            "GET",
            f"{base}/parcels" + (f"?cursor={sim.parcel_cursor}" if sim.parcel_cursor else ""),
            None,
        ),
        (
            "GET",
            f"{base}/couriers" + (f"?cursor={sim.courier_cursor}" if sim.courier_cursor else ""),
            None,
        ),
    ]
    if push_events:
        events = []
        for _ in range(2):
            sim.seq += 1
            events.append(
                {
                    "event_id": str(uuid.uuid4()),
                    "seq": sim.seq,
                    "type": "code.denied",
                    "occurred_at": now,
                    "actor": {"kind": "customer"},
                    "data": {},
                }
            )
        calls.append(("POST", f"{base}/events", {"events": events}))
    for method, path, body in calls:
        start = time.perf_counter()
        try:
            status, data = client.call(method, path, sim.token, body)
            ok = status == 200
        except (OSError, http.client.HTTPException, ValueError):
            ok, data = False, {}
        if record is not None:
            record.append(((time.perf_counter() - start) * 1000.0, ok))
        if ok and path.startswith(f"{base}/parcels"):
            sim.parcel_cursor = data["next_cursor"]
        elif ok and path.startswith(f"{base}/couriers"):
            sim.courier_cursor = data["next_cursor"]


def run_step(fleet: Fleet, n: int, window_s: float, threads: int, rng: random.Random) -> StepResult:
    fleet.grow(n)
    active = fleet.lockers[:n]
    rate = n / CYCLE_S  # cycles per second, all lockers together
    total = max(1, int(rate * window_s))
    jobs: queue.Queue[tuple[float, SimLocker, bool] | None] = queue.Queue()
    records: list[tuple[float, bool]] = []
    lock = threading.Lock()
    order = list(active)
    rng.shuffle(order)
    t0 = time.perf_counter() + 0.2
    for k in range(total):
        jobs.put((t0 + k / rate, order[k % len(order)], rng.random() < 0.1))
    for _ in range(threads):
        jobs.put(None)

    def worker() -> None:
        client = Client(fleet.service.port)
        local: list[tuple[float, bool]] = []
        while (job := jobs.get()) is not None:
            when, sim, push = job
            delay = when - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            cycle(client, sim, push_events=push, record=local)
        client.close()
        with lock:
            records.extend(local)

    stop_trickle = threading.Event()

    def trickle() -> None:
        # operator announcements keep some pulls non-empty (not measured)
        while not stop_trickle.wait(0.5):
            sim = rng.choice(active)
            # a failed announce only thins the trickle; the measured calls count errors
            with contextlib.suppress(Exception):
                fleet.service.announce(locker_id=sim.locker_id)

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    side = threading.Thread(target=trickle, daemon=True)
    side.start()
    for th in pool:
        th.start()
    for th in pool:
        th.join(timeout=window_s * 10 + 60)
    elapsed = time.perf_counter() - t0
    stop_trickle.set()
    side.join(timeout=5)
    latencies = [ms for ms, _ in records]
    errors = sum(1 for _, ok in records if not ok)
    # offered: the requests scheduled within the window; achieved: as they completed
    offered_rps = len(records) / (total / rate) if records else 0.0
    achieved_rps = len(records) / elapsed if elapsed > 0 else 0.0
    return StepResult(n, len(records), errors, offered_rps, achieved_rps, latencies)


class Search:
    """Double N while it holds, then bisect between the last pass and the first failure."""

    def __init__(self, start_n: int, max_n: int, bisect: int) -> None:
        self.best = 0
        self.worst: int | None = None
        self.next: int | None = start_n
        self.max_n = max_n
        self.bisect_left = bisect

    def update(self, res: StepResult) -> None:
        if res.passed:
            self.best = res.n
        else:
            self.worst = res.n
        if self.worst is None:
            doubled = res.n * 2
            self.next = doubled if doubled <= self.max_n else None
            return
        mid = (self.best + self.worst) // 2
        close = self.worst - self.best <= max(10, self.best // 20)
        if self.best == 0 or close or self.bisect_left <= 0:
            self.next = None
            return
        self.bisect_left -= 1
        self.next = mid


def report(label: str, res: StepResult) -> None:
    print(
        f"  {label:<12} N={res.n:>6}  {res.achieved_rps:7.1f} req/s "
        f"(offered {res.offered_rps:7.1f})  p50 {res.pct(0.5):6.1f} ms  "
        f"p95 {res.pct(0.95):6.1f} ms  p99 {res.pct(0.99):6.1f} ms  "
        f"max {max(res.latencies_ms, default=float('nan')):7.1f} ms  errors {res.errors:>3}  "
        f"{'ok' if res.passed else 'FAIL'}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--backends",
        default="sqlite,postgresql",
        help="comma-separated; NAME:K runs the service with K worker processes, "
        "e.g. sqlite,postgresql,postgresql:2",
    )
    parser.add_argument("--window", type=float, default=6.0, help="seconds measured per step")
    parser.add_argument("--start-n", type=int, default=100)
    parser.add_argument("--max-n", type=int, default=12800)
    parser.add_argument("--bisect", type=int, default=3, help="bisection steps after doubling")
    parser.add_argument("--threads", type=int, default=48, help="client threads")
    parser.add_argument("--parcels-per-locker", type=int, default=20)
    args = parser.parse_args()

    print(
        f"central fleet bench: heartbeat + parcel pull + courier pull per locker every "
        f"{CYCLE_S:.0f} s (+ events 1 cycle in 10); pass = p99 < {P99_LIMIT_MS:.0f} ms, "
        f"no errors, >= {MIN_RATE_SHARE:.0%} of the offered rate; {args.window:.0f} s per step"
    )
    print(f"  load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    results: dict[str, int] = {}
    pg: TempPostgres | None = None
    fleets: dict[str, Fleet] = {}
    services: list[CentralService] = []
    with tempfile.TemporaryDirectory(prefix="xp-fleet-") as tmp:
        try:
            for label in [b.strip() for b in args.backends.split(",") if b.strip()]:
                backend, _, workers_text = label.partition(":")
                workers = int(workers_text or 1)
                db_url = None
                if backend == "postgresql":
                    try:
                        if pg is None:
                            pg = TempPostgres().start()
                    except PostgresUnavailable as exc:
                        print(f"  postgresql skipped: {exc}")
                        continue
                    db_url = pg.new_database()
                elif backend != "sqlite":
                    print(f"  unknown backend {backend!r} skipped")
                    continue
                service = CentralService(
                    Path(tmp) / label.replace(":", "-"), db_url=db_url, workers=workers
                )
                services.append(service.start())
                fleets[label] = Fleet(service, args.parcels_per_locker)
            # Backends take turns step by step, so a burst of load from elsewhere on the
            # machine hits both alike and the ratio stays meaningful.
            searches = {b: Search(args.start_n, args.max_n, args.bisect) for b in fleets}
            rng = random.Random(7)
            while any(s.next is not None for s in searches.values()):
                for backend, search in searches.items():
                    if search.next is None:
                        continue
                    res = run_step(fleets[backend], search.next, args.window, args.threads, rng)
                    report(backend, res)
                    search.update(res)
            results = {b: s.best for b, s in searches.items()}
        finally:
            for fleet in fleets.values():
                fleet.db.dispose()
            for service in services:
                service.close()
            if pg is not None:
                pg.stop()

    print(f"  load average at end: {os.getloadavg()[0]:.2f}")
    print("\nlargest fleet holding p99 < 100 ms on this machine:")
    for backend, best in results.items():
        rps = best / CYCLE_S * REQUESTS_PER_CYCLE
        print(f"  {backend:<12} N = {best:>6} lockers  (~{rps:.0f} requests/s)")
    base = results.get("sqlite")
    for label, best in results.items():
        if base and label != "sqlite":
            print(f"  {label} / sqlite = {best / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
