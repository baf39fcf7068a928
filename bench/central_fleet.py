"""The central service under a simulated fleet of lockers, SQLite and PostgreSQL side by side.

Every simulated locker makes, once per 10 s, exactly the requests the sync worker
makes (tests/bench/test_fleet_locker.py pins it): one cycle in ten it pushes a small
batch of events, then it sends a heartbeat and pulls only the parcels or couriers whose
cursor the heartbeat shows moved, and the profile on its first cycle and every 30th.
The `legacy-` backends drive the protocol before cursors in the heartbeat (both pulls
every cycle, a heartbeat every third) for the side-by-side ratio. Time is compressed,
not the load: N lockers start N/10 cycles per second in total, spread evenly (open
loop), for a short window; a steady trickle of parcel announcements keeps some pulls
non-empty.

For each backend the script searches the largest N for which p99 request latency
stays under 100 ms with no errors and the offered rate is met, doubling N while it
holds and then bisecting. It prints one line per step and a summary with the ratio.

Client and server share this machine's cores, so the figures are conservative; all
traffic is on 127.0.0.1.

    .venv/bin/python bench/central_fleet.py [--backends sqlite,postgresql,postgresql:2]
        [--window 6]

Backends: `sqlite`, `postgresql`, `NAME:K` (one service, K worker processes), `NAME*H`
(H services on one database, each on its own port as if on its own host; client
connections are spread over them), `legacy-NAME`.
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
# requests per locker per cycle: a heartbeat, an event push one cycle in ten, the
# profile one in thirty, and (legacy) two pulls every cycle with a heartbeat one in three
REQUESTS_PER_CYCLE = {"current": 1 + 0.1 + 1 / 30, "legacy": 2 + 1 / 3 + 0.1 + 1 / 30}


@dataclass
class SimLocker:
    locker_id: str
    token: str
    parcel_cursor: str | None = None
    courier_cursor: str | None = None
    seq: int = 0
    cycles: int = 0


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

    def __init__(
        self, services: list[CentralService], parcels_per_locker: int, protocol: str
    ) -> None:
        self.services = services
        self.service = services[0]
        self.protocol = protocol
        self.db = Database(self.service.db_url, pool_size=2)
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
            cycle(client, sim, push_events=False, record=None, protocol=self.protocol)
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


PAGE_LIMIT = 1000  # the sync worker's default page size
PROFILE_EVERY = 30  # the worker fetches the profile on its first cycle and every 30th


def _beat(sim: SimLocker, now: str) -> dict[str, object]:
    return {
        "sent_at": now,
        "software_version": "bench",
        "outbox_depth": 0,
        "last_event_seq": sim.seq,
        "compartments": [
            {"compartment_id": f"A{i:02d}", "state": "free", "door": "closed", "occupied": False}
            for i in range(8)
        ],
        "board_ok": True,
    }


def _events(sim: SimLocker, now: str) -> dict[str, object]:
    events = []
    for _ in range(2):
        sim.seq += 1
        events.append({
            "event_id": str(uuid.uuid4()), "seq": sim.seq, "type": "code.denied",
            "occurred_at": now, "parcel_id": None, "compartment_id": None,
            "actor": {"kind": "customer", "id": None}, "data": {},
        })
    return {"events": events}


def cycle(
    client: Client,
    sim: SimLocker,
    *,
    push_events: bool,
    record: list[tuple[float, bool]] | None,
    protocol: str = "current",
) -> None:
    """One locker's 10-second duty, request for request what sync/worker.py sends.

    current: push (when events wait), heartbeat, then only the pulls whose cursor the
    heartbeat shows moved, page by page; the profile on the first cycle and every 30th.
    legacy (the worker before cursors in the heartbeat): push, profile as above, both
    pulls every cycle, then the heartbeat every third cycle (30 s).
    """
    base = f"/v1/lockers/{sim.locker_id}"
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")

    def call(method: str, path: str, body: object | None = None) -> dict | None:
        start = time.perf_counter()
        try:
            status, data = client.call(method, path, sim.token, body)
            ok = status == 200
        except (OSError, http.client.HTTPException, ValueError):
            ok, data = False, {}
        if record is not None:
            record.append(((time.perf_counter() - start) * 1000.0, ok))
        return data if ok else None

    def pull(kind: str, cursor: str | None) -> str | None:
        while True:
            query = f"?limit={PAGE_LIMIT}" + (f"&cursor={cursor}" if cursor else "")
            page = call("GET", f"{base}/{kind}{query}")
            if page is None:
                return cursor
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return cursor

    if push_events and call("POST", f"{base}/events", _events(sim, now)) is None:
        return  # the worker's round ends at the first failure
    profile_due = sim.cycles % PROFILE_EVERY == 0
    sim.cycles += 1
    if protocol == "legacy":
        if profile_due:
            call("GET", base)
        sim.parcel_cursor = pull("parcels", sim.parcel_cursor)
        sim.courier_cursor = pull("couriers", sim.courier_cursor)
        if (sim.cycles - 1) % 3 == 0:  # the heartbeat every 30 s, pulls every 10
            call("POST", f"{base}/heartbeat", _beat(sim, now))
        return
    reply = call("POST", f"{base}/heartbeat", _beat(sim, now))
    if reply is None:
        return
    if profile_due:
        call("GET", base)
    if reply.get("parcels_cursor") != sim.parcel_cursor:
        sim.parcel_cursor = pull("parcels", sim.parcel_cursor)
    if reply.get("couriers_cursor") != sim.courier_cursor:
        sim.courier_cursor = pull("couriers", sim.courier_cursor)


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

    def worker(index: int) -> None:
        # with several instances each client connection goes to one of them, so a
        # locker's successive cycles land on different processes
        client = Client(fleet.services[index % len(fleet.services)].port)
        local: list[tuple[float, bool]] = []
        while (job := jobs.get()) is not None:
            when, sim, push = job
            delay = when - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            cycle(client, sim, push_events=push, record=local, protocol=fleet.protocol)
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

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
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
        f"  {label:<18} N={res.n:>6}  {res.achieved_rps:7.1f} req/s "
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
        default="sqlite,postgresql,postgresql:2,postgresql*2,legacy-postgresql",
        help="comma-separated: sqlite, postgresql; NAME:K runs one service with K worker "
        "processes; NAME*H runs H services on one database, each on its own port as if "
        "on its own host; legacy-NAME drives NAME with the protocol before cursors",
    )
    parser.add_argument("--window", type=float, default=6.0, help="seconds measured per step")
    parser.add_argument("--start-n", type=int, default=100)
    parser.add_argument("--max-n", type=int, default=12800)
    parser.add_argument("--bisect", type=int, default=3, help="bisection steps after doubling")
    parser.add_argument("--threads", type=int, default=48, help="client threads")
    parser.add_argument("--parcels-per-locker", type=int, default=20)
    args = parser.parse_args()

    print(
        f"central fleet bench: each locker's sync cycle every {CYCLE_S:.0f} s (heartbeat, "
        "the pulls it shows are needed, events 1 cycle in 10); "
        f"pass = p99 < {P99_LIMIT_MS:.0f} ms, "
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
                protocol = "legacy" if label.startswith("legacy-") else "current"
                spec = label.removeprefix("legacy-")
                spec, _, hosts_text = spec.partition("*")
                backend, _, workers_text = spec.partition(":")
                workers, hosts = int(workers_text or 1), int(hosts_text or 1)
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
                folder = Path(tmp) / label.replace(":", "-").replace("*", "x")
                first = CentralService(folder / "0", db_url=db_url, workers=workers)
                group = [first.start()]
                for h in range(1, hosts):
                    # the same database, operator token and locker; its own port
                    group.append(CentralService(
                        folder / str(h), db_url=first.db_url, workers=workers,
                        operator_token=first.operator_token, device_token=first.device_token,
                        locker_id=first.locker_id, create_locker=False,
                    ).start())
                services += group
                fleets[label] = Fleet(group, args.parcels_per_locker, protocol)
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
        rps = best / CYCLE_S * REQUESTS_PER_CYCLE[fleets[backend].protocol]
        print(f"  {backend:<18} N = {best:>6} lockers  (~{rps:.0f} requests/s)")
    base = results.get("sqlite")
    for label, best in results.items():
        if base and label != "sqlite" and not label.startswith("legacy-"):
            print(f"  {label} / sqlite = {best / base:.2f}")
    for label, best in results.items():  # the protocol change on the same backend
        current = results.get(label.removeprefix("legacy-"))
        if label.startswith("legacy-") and best and current is not None:
            print(f"  {label.removeprefix('legacy-')} / {label} = {current / best:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
