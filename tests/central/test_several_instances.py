"""Several central instances, each its own process on its own port as if on its own
host, on one PostgreSQL, serve one fleet: a kiosk whose rounds go to either instance
(one of them killed and restarted midway) ends with every event on the server exactly
once and its cache equal to the server's view; cursors from one instance are good at
the other; the deadline sweep both instances run (central/worker.py, the scheduler
lease) expires each parcel once."""

from __future__ import annotations

import re
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from central.db import Database
from central.schema import parcels
from tests.central_service import CentralService, TempPostgres

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))
from synckit import assert_converged, make_kiosk  # noqa: E402

from sync.cache import EventType, journal  # noqa: E402
from sync.worker import WorkerSettings  # noqa: E402

pytestmark = pytest.mark.integration


@pytest.fixture
def two_instances(tmp_path: Path, postgres_cluster: TempPostgres):  # noqa: ANN201
    url = postgres_cluster.new_database()
    a = CentralService(tmp_path / "a", db_url=url, sweep_interval_s=0.2).start()
    b = CentralService(
        tmp_path / "b", db_url=url, sweep_interval_s=0.2, operator_token=a.operator_token,
        device_token=a.device_token, locker_id=a.locker_id, create_locker=False,
    ).start()
    try:
        yield a, b
    finally:
        b.close()
        a.close()


def test_a_kiosk_served_by_either_instance_loses_and_doubles_nothing(
    tmp_path: Path, two_instances: tuple[CentralService, CentralService]
) -> None:
    a, b = two_instances
    kiosk = make_kiosk(tmp_path / "cache.db", a.base_url, a)
    try:
        settings = WorkerSettings(pull_interval_s=0.0, heartbeat_interval_s=0.0, push_batch=7)
        workers = []
        for svc in (a, b):  # one cache, a worker per instance: the cursors are the cache's
            kiosk.base_url = svc.base_url
            worker = kiosk.worker()
            worker.settings = settings
            workers.append(worker)
        assert workers[0].run_round(force=True).ok
        for k in range(24):
            with kiosk.cache.write() as s:
                for _ in range(5):
                    journal.append_event(s, EventType.CODE_DENIED, at=datetime.now(UTC))
            operator = a if k % 3 or not b.running else b  # the operator's call, either host
            operator.announce()
            if k % 5 == 0:
                operator.put_courier(f"c-{k}", pin=f"{2000 + k}")
            if k == 9:
                b.kill()  # mid-fleet: the next rounds on b fail and are retried
            if k == 14:
                b.start()
            workers[k % 2].run_round()
        for worker in workers:  # a quiet round on each: both agree there is nothing left
            assert worker.run_round().ok
            assert worker.run_round().pulled_parcels == 0
        assert_converged(kiosk.cache, a)
        assert_converged(kiosk.cache, b)
        assert len(a.events()) == 24 * 5
    finally:
        kiosk.close()


def test_the_deadline_sweep_both_run_expires_each_parcel_once(
    two_instances: tuple[CentralService, CentralService]
) -> None:
    a, b = two_instances
    ids = []
    for _ in range(6):
        pid = a.announce().parcel.parcel_id
        ids.append(pid)
    db = Database(a.db_url, pool_size=1)
    try:
        with db.write() as conn:  # stored, and the deadline already behind
            conn.execute(update(parcels).where(parcels.c.parcel_id.in_(ids)).values(
                state="stored", compartment_id="A01",
                pickup_deadline=datetime.now(UTC) - timedelta(minutes=1)))
        with db.read() as conn:
            before = dict(conn.execute(
                select(parcels.c.parcel_id, parcels.c.version)
                .where(parcels.c.parcel_id.in_(ids))).all())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if all(a.parcel(pid).state == "expired" for pid in ids):
                break
            time.sleep(0.1)
        time.sleep(1.0)  # several more passes on both instances
        with db.read() as conn:
            after = dict(conn.execute(
                select(parcels.c.parcel_id, parcels.c.version)
                .where(parcels.c.parcel_id.in_(ids))).all())
    finally:
        db.dispose()
    assert {pid: after[pid] - before[pid] for pid in ids} == {pid: 1 for pid in ids}
    expired_in_logs = sum(
        int(m) for svc in (a, b)
        for m in re.findall(r"(\d+) parcel\(s\) of locker \S+ passed their deadline",
                            Path(svc.log_path).read_text(encoding="utf-8"))
    )
    assert expired_in_logs == len(ids)
