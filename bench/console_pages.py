"""The operator console with a fleet of 5,000 lockers, SQLite and PostgreSQL side by side,
and the time from an event at a kiosk to its appearance on the console's locker page.

Part 1 (pages): a database with N lockers (each with a heartbeat of 18 compartments,
4 parcels, and one locker in 25 with an open alarm), the real service process, one
signed-in operator. Every console page is fetched R times; the figures are the median
and the 95th percentile, per backend, with the JSON fleet endpoint (`GET /v1/lockers`,
what the console's fleet page is built on) as the reference in the same run.

Part 2 (event to page): the demo world (central service, simulated board, sync worker)
and Chromium showing the demo locker's page. A door is forced open at the simulated
board; the time until the page shows it open is taken K times. It adds up the sync
worker's push interval (1 s in the demo), the request, and the page's 1 s refresh.

    .venv/bin/python bench/console_pages.py [--lockers 5000] [--repeat 15] [--events 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from central import operators  # noqa: E402
from central.db import Database  # noqa: E402
from central.operators import Role  # noqa: E402
from central.schema import events, locker_status, lockers, parcels, tokens  # noqa: E402
from central.tokens import token_hash  # noqa: E402
from tests.central_service import CentralService, PostgresUnavailable, TempPostgres  # noqa: E402
from tests.console.console_client import ConsoleUser  # noqa: E402

PASSWORD = "bench-password-long"


def fill(db: Database, n: int) -> str:
    """N lockers with status, parcels and some alarms; returns the operator token."""
    now = datetime.now(UTC)
    comps = [
        {"compartment_id": f"{c}{r:02d}", "state": "occupied" if r < 3 else "free",
         "door": "closed", "occupied": r < 3}
        for c in "ABC" for r in range(1, 7)
    ]
    locker_rows, status_rows, parcel_rows, event_rows = [], [], [], []
    for i in range(n):
        lid = f"XP-{i:05d}"
        locker_rows.append({
            "locker_id": lid, "name": f"Locker {i} Street", "address": f"{i} Bench Road",
            "timezone": "UTC", "code_salt": "00" * 16, "kdf_n": 1024, "kdf_r": 8, "kdf_p": 1,
            "kdf_dklen": 32, "layout": {"S": 8, "M": 6, "L": 3, "XL": 1}, "layout_version": 1,
            "change_seq": 10, "created_at": now,
        })
        online = i % 10 != 0
        status_rows.append({
            "locker_id": lid, "last_heartbeat_at": now - timedelta(seconds=5 if online else 900),
            "sent_at": now, "software_version": f"0.{i % 3}.0", "outbox_depth": i % 7,
            "last_event_seq": 100, "board_ok": i % 97 != 0, "compartments": comps,
        })
        for k in range(4):
            parcel_rows.append({
                "parcel_id": f"p{i:05d}{k}", "locker_id": lid, "order_ref": f"ORD-{i:05d}-{k}",
                "state": "stored" if k < 2 else "expected", "size": "M",
                "compartment_id": f"A0{k + 1}" if k < 2 else None, "barcode": f"JJD{i:05d}{k}",
                "pickup_code_hash": "0" * 64, "pickup_deadline": now + timedelta(days=3),
                "recipient_hint": None, "version": 1, "change_seq": k + 1, "physical_at": None,
                "created_at": now, "updated_at": now,
            })
        if i % 25 == 0:
            event_rows.append({
                "event_id": str(uuid.uuid4()), "locker_id": lid, "seq": 1,
                "type": "compartment.forced_open", "occurred_at": now, "parcel_id": None,
                "compartment_id": "B02", "actor_kind": "system", "actor_id": None, "data": {},
                "received_at": now, "change_seq": 9,
            })
    token = f"xpt_bench_{uuid.uuid4().hex}"
    with db.write() as conn:
        for table, rows in ((lockers, locker_rows), (locker_status, status_rows),
                            (parcels, parcel_rows), (events, event_rows)):
            for start in range(0, len(rows), 2000):
                conn.execute(insert(table), rows[start:start + 2000])
        conn.execute(insert(tokens).values(token_hash=token_hash(token), kind="operator",
                                           locker_id=None, created_at=now))
        operators.add(conn, "bench", Role.ADMIN, operators.hash_password(PASSWORD), now)
    return token


def timed(fetch: Callable[[], requests.Response], repeat: int) -> tuple[float, float]:
    fetch()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        resp = fetch()
        times.append((time.perf_counter() - started) * 1000)
        assert resp.status_code == 200, (resp.status_code, resp.text[:200])
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def pages(backend: str, n: int, repeat: int, workdir: Path) -> dict[str, tuple[float, float]]:
    db_url = None
    cluster = None
    if backend == "postgresql":
        cluster = TempPostgres().start()
        db_url = cluster.new_database()
    service = CentralService(workdir / backend, db_url=db_url, create_locker=False,
                             extra_args=["--worker-interval", "0"])
    db = Database(service.db_url)
    db.create_schema()
    token = fill(db, n)
    db.dispose()
    service.operator_token_file.write_text(token + "\n")
    service.start()
    user = ConsoleUser(service.base_url)
    assert user.sign_in("bench", PASSWORD).status_code == 303
    base = service.base_url
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    probes: dict[str, Callable[[], requests.Response]] = {
        "GET /v1/lockers (JSON, reference)": lambda: api.get(base + "/v1/lockers", timeout=60),
        "fleet, page 1": lambda: user.get("/console/fleet"),
        "fleet, sorted by heartbeat": lambda: user.get("/console/fleet", sort="heartbeat",
                                                       desc="1"),
        "fleet, filter 'XP-012'": lambda: user.get("/console/fleet", q="XP-012"),
        "fleet, offline only, page 2": lambda: user.get("/console/fleet", status="offline",
                                                        page="2"),
        "locker page": lambda: user.get("/console/lockers/XP-01234"),
        "locker live part (every 1 s)": lambda: user.get("/console/lockers/XP-01234/live"),
        "parcels, search barcode": lambda: user.get("/console/parcels", q="JJD012341"),
        "alarms": lambda: user.get("/console/alarms"),
        "audit": lambda: user.get("/console/audit"),
    }
    try:
        return {name: timed(fetch, repeat) for name, fetch in probes.items()}
    finally:
        user.close()
        api.close()
        service.close()
        if cluster is not None:
            cluster.stop()


def event_to_page(count: int, workdir: Path) -> list[float]:
    from playwright.sync_api import sync_playwright

    from kiosk.demo_world import DemoWorld
    from tests.crash.world import KioskChild

    found: list[float] = []
    with DemoWorld(workdir / "demo", auto_close_s=None, kdf_n=1024) as world, \
            sync_playwright() as play:
        # The kiosk itself (without a screen) watches the doors and records the event.
        kiosk = KioskChild(world.config_path, workdir / "kiosk.log")
        chrome = play.chromium.launch(executable_path="/usr/bin/chromium",
                                      args=["--no-sandbox"])
        page = chrome.new_page()
        page.set_default_timeout(60_000)
        page.goto(world.central_url + "/console/login")
        page.fill("input[name=name]", world.console_login[0])
        page.fill("input[name=password]", world.console_login[1])
        page.click("button.primary")
        page.wait_for_url("**/console/fleet")
        locker = world.seed["lockers"][0]["locker_id"]
        page.goto(f"{world.central_url}/console/lockers/{locker}")
        page.wait_for_selector("#cell-C03")
        for _ in range(count):
            started = time.perf_counter()
            world.door("open", "C03")
            page.wait_for_selector("#cell-C03.door-open")
            found.append(time.perf_counter() - started)
            world.door("close", "C03")
            page.wait_for_selector("#cell-C03.door-closed")
            time.sleep(0.5)
        chrome.close()
        kiosk.quit()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lockers", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--events", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgresql",
                        help="'' skips the page timings (only the event-to-page part)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xp-console-bench-") as tmp:
        work = Path(tmp)
        results: dict[str, dict[str, tuple[float, float]]] = {}
        for backend in filter(None, args.backends.split(",")):
            try:
                results[backend] = pages(backend, args.lockers, args.repeat, work)
            except PostgresUnavailable as exc:
                print(f"{backend}: skipped ({exc})")
        if results:
            names = list(next(iter(results.values())))
            header = "".join(f" | {b} p50 / p95 ms" for b in results)
            print(f"\nconsole pages with {args.lockers} lockers, {args.repeat} requests each")
            print(f"{'page':<36}{header}")
            for name in names:
                cells = "".join(f" | {results[b][name][0]:8.1f} / {results[b][name][1]:8.1f}"
                                for b in results)
                print(f"{name:<36}{cells}")
        if args.events:
            seen = event_to_page(args.events, work)
            print(f"\nevent at the kiosk -> shown on the console's locker page "
                  f"({len(seen)} times): median {statistics.median(seen):.2f} s, "
                  f"max {max(seen):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
