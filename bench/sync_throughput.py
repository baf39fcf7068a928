"""Sync throughput over loopback against the real central service (a separate process).

Side by side in one run:
- the cache write alone (pages of pulled parcels applied to an empty cache), through
  SQLAlchemy Core's executemany (the way before) and through sqlite3's own executemany;
- first pull of 100,000 parcels into an empty cache, the way before (Core, page 500)
  against the driver path at several page sizes (1000 is the default);
- push of a 10,000-event backlog, for several batch sizes;
- idle cost of the worker loop (CPU seconds per wall second) with the shipped intervals.

    .venv/bin/python bench/sync_throughput.py [--parcels 100000] [--events 10000]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from central import lockers as central_lockers  # noqa: E402
from central.db import Database  # noqa: E402
from central.schema import parcels as central_parcels  # noqa: E402
from contract import wire  # noqa: E402
from sync.cache import Cache, EventType, journal  # noqa: E402
from sync.cache.sync_store import (  # noqa: E402
    ParcelUpsert,
    SyncStore,
    upsert_parcels_with_core,
    upsert_parcels_with_driver,
)
from sync.client import CentralClient  # noqa: E402
from sync.worker import SyncWorker, WorkerSettings  # noqa: E402
from tests.central_service import CentralService  # noqa: E402


def seed_parcels(central: CentralService, n: int) -> None:
    """Insert n parcels straight into the service's database (announcing 100,000 over
    HTTP would benchmark scrypt, not sync), with change sequence numbers as announce
    would give them."""
    db = Database(central.db_url)
    now = datetime.now(UTC)
    with db.write() as conn:
        first = central_lockers.next_seq(conn, central.locker_id, count=n)
        rows = [
            {"parcel_id": f"b{i:07d}", "locker_id": central.locker_id, "order_ref": f"ORD{i:07d}",
             "state": "expected", "size": "M", "compartment_id": None,
             "barcode": f"JJD{i:012d}", "pickup_code_hash": uuid.uuid4().hex * 2,
             "pickup_deadline": now + timedelta(days=7), "recipient_hint": "A. B.",
             "version": 1, "change_seq": first + i, "physical_at": None,
             "created_at": now, "updated_at": now}
            for i in range(n)
        ]
        for i in range(0, n, 5000):
            conn.execute(insert(central_parcels), rows[i : i + 5000])
    db.dispose()


WRITERS: dict[str, ParcelUpsert] = {
    "core": upsert_parcels_with_core, "driver": upsert_parcels_with_driver,
}


def cache_pages(n: int) -> list[wire.ParcelPage]:
    deadline = datetime.now(UTC) + timedelta(days=7)
    parcels = [
        wire.Parcel(parcel_id=f"w{i:07d}", order_ref=f"ORD{i:07d}", state="expected", size="M",
                    barcode=f"JJD{i:012d}", pickup_code_hash=uuid.uuid4().hex * 2,
                    pickup_deadline=deadline, recipient_hint="A. B.", version=1)
        for i in range(n)
    ]
    return [wire.ParcelPage(parcels=parcels[i : i + 1000], next_cursor=f"c{i}", has_more=False)
            for i in range(0, n, 1000)]


def timed_round(cache: Cache, url: str, locker: str, token: str,
                settings: WorkerSettings, writer: str = "driver") -> tuple[float, int, int]:
    client = CentralClient(url, locker, token, timeout=(5, 120), deadline_s=300,
                           allow_http=True)
    worker = SyncWorker(cache, client, settings,
                        store=SyncStore(cache, upsert=WRITERS[writer]))
    t0 = time.perf_counter()
    result = worker.run_round(force=True)
    elapsed = time.perf_counter() - t0
    client.close()
    if not result.ok:
        raise SystemExit(f"sync round failed: {result.error}")
    return elapsed, result.pulled_parcels, result.pushed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--parcels", type=int, default=100_000)
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--idle-seconds", type=float, default=20.0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="xp-bench-sync-"))
    central = CentralService(tmp / "central")
    try:
        central.start()
        central.stop()
        seed_parcels(central, args.parcels)
        central.start()
        url = central.base_url

        print(f"cache write of {args.parcels:,} pulled parcels in pages of 1000 (no HTTP)")
        # wall time includes the fsync of each page's commit; CPU time is the writer's
        print(f"{'writer':>10}{'seconds':>10}{'parcels/s':>12}{'vs core':>9}{'CPU s':>8}"
              f"{'vs core':>9}")
        pages = cache_pages(args.parcels)
        writes = []
        for writer in ("core", "driver", "core", "driver"):  # twice each, best kept
            cache = Cache.open(tmp / f"write-{writer}-{len(writes)}.db")
            store = SyncStore(cache, upsert=WRITERS[writer])
            t0, c0 = time.perf_counter(), time.process_time()
            for page in pages:
                store.apply_parcels(page)
            writes.append((writer, time.perf_counter() - t0, time.process_time() - c0))
            cache.close()
        best = {w: (min(e for x, e, _ in writes if x == w), min(c for x, _, c in writes if x == w))
                for w in ("core", "driver")}
        for writer, (elapsed, cpu) in best.items():
            print(f"{writer:>10}{elapsed:>10.2f}{args.parcels / elapsed:>12,.0f}"
                  f"{elapsed / best['core'][0]:>8.2f}x{cpu:>8.2f}{cpu / best['core'][1]:>8.2f}x")

        print(f"\nfirst pull of {args.parcels:,} parcels (profile + heartbeat + parcels + "
              "couriers)")
        print(f"{'writer':>10}{'page size':>10}{'seconds':>10}{'parcels/s':>12}{'vs before':>10}")
        pulls = []
        for writer, page in (("core", 500), ("driver", 500), ("driver", 1000)):
            cache = Cache.open(tmp / f"pull-{writer}-{page}.db")
            elapsed, pulled, _ = timed_round(cache, url, central.locker_id, central.device_token,
                                             WorkerSettings(page_size=page, kdf_min_n=1024,
                                                            round_pull_rows=10**9), writer)
            assert pulled == args.parcels, pulled
            cache.close()
            pulls.append((writer, page, elapsed))
        before = pulls[0][2]
        for writer, page, elapsed in pulls:
            label = f"{writer}{' (before)' if (writer, page) == ('core', 500) else ''}"
            print(f"{label:>16}{page:>4}{elapsed:>10.2f}{args.parcels / elapsed:>12,.0f}"
                  f"{elapsed / before:>9.2f}x")
        print(f"first pull of {args.parcels:,} parcels: {pulls[-1][2]:.2f} s "
              f"(driver, page 1000) against {before:.2f} s before")

        print(f"\npush of a {args.events:,}-event backlog")
        print(f"{'batch':>10}{'seconds':>10}{'events/s':>12}{'vs best':>9}")
        pushes = []
        for batch in (50, 200, 500):
            locker = f"XP-PUSH-{batch}"
            _profile, token = central.add_locker(locker)
            cache = Cache.open(tmp / f"push-{batch}.db")
            with cache.write() as s:
                for i in range(args.events):
                    journal.append_event(s, EventType.CODE_DENIED, at=datetime.now(UTC),
                                         data={"i": i})
            settings = WorkerSettings(push_batch=batch, kdf_min_n=1024, round_pull_rows=10**9)
            client = CentralClient(url, locker, token, timeout=(5, 120), deadline_s=300,
                               allow_http=True)
            worker = SyncWorker(cache, client, settings)
            t0 = time.perf_counter()
            pushed = worker.push_outbox()
            elapsed = time.perf_counter() - t0
            assert pushed == args.events, pushed
            client.close()
            cache.close()
            pushes.append((batch, elapsed))
        best = min(e for _, e in pushes)
        for batch, elapsed in pushes:
            print(f"{batch:>10}{elapsed:>10.2f}{args.events / elapsed:>12,.0f}"
                  f"{elapsed / best:>8.2f}x")

        print(f"\nidle worker loop for {args.idle_seconds:.0f} s "
              "(push 2 s, pull 10 s, heartbeat 30 s)")
        cache = Cache.open(tmp / "pull-driver-1000.db")
        client = CentralClient(url, central.locker_id, central.device_token, allow_http=True)
        worker = SyncWorker(cache, client,
                            WorkerSettings(kdf_min_n=1024, round_pull_rows=10**9))
        worker.run_round(force=True)
        stop = threading.Event()
        rounds = []
        cpu0, wall0 = time.process_time(), time.perf_counter()
        timer = threading.Timer(args.idle_seconds, stop.set)
        timer.start()
        worker.run_forever(stop, on_round=rounds.append)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        print(f"{len(rounds)} rounds, {cpu:.2f} CPU s in {wall:.1f} s "
              f"= {cpu / wall:.2%} of one core")
        client.close()
        cache.close()
    finally:
        central.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
