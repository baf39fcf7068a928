"""The HAProxy configuration of docs/deploy-central.md, as shipped, in front of two
central instances on one PostgreSQL: a kiosk syncs through it, one instance is killed
mid-run and the kiosk goes on through the other, and nothing is lost or doubled."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from tests.central_service import REPO_ROOT, CentralService, TempPostgres, free_port

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))
from synckit import assert_converged, make_kiosk  # noqa: E402

from sync.cache import EventType, journal  # noqa: E402
from sync.worker import WorkerSettings  # noqa: E402

pytestmark = pytest.mark.integration

CONFIG = REPO_ROOT / "config" / "deploy" / "haproxy-central.cfg"


@pytest.fixture
def balanced(
    tmp_path: Path, postgres_cluster: TempPostgres
) -> Iterator[tuple[str, list[CentralService]]]:
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        pytest.skip("haproxy is not installed (apt-get install haproxy)")
    url = postgres_cluster.new_database()
    a = CentralService(tmp_path / "a", db_url=url).start()
    b = CentralService(
        tmp_path / "b", db_url=url, operator_token=a.operator_token,
        device_token=a.device_token, locker_id=a.locker_id, create_locker=False,
    ).start()
    port = free_port()
    env = dict(os.environ, CENTRAL_LISTEN=f"127.0.0.1:{port}",
               CENTRAL_1=f"127.0.0.1:{a.port}", CENTRAL_2=f"127.0.0.1:{b.port}")
    log = (tmp_path / "haproxy.log").open("wb")
    proc = subprocess.Popen([haproxy, "-db", "-f", str(CONFIG)], env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert proc.poll() is None, (tmp_path / "haproxy.log").read_text()
            assert time.monotonic() < deadline, "haproxy did not come up"
            time.sleep(0.1)
        yield base, [a, b]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
        b.close()
        a.close()


def test_a_kiosk_behind_the_balancer_survives_an_instance_dying(
    tmp_path: Path, balanced: tuple[str, list[CentralService]]
) -> None:
    base, (a, b) = balanced
    kiosk = make_kiosk(tmp_path / "cache.db", base, a)
    try:
        worker = kiosk.worker()
        worker.settings = WorkerSettings(pull_interval_s=0.0, heartbeat_interval_s=0.0,
                                         kdf_min_n=1024)
        assert worker.run_round(force=True).ok
        failed = 0
        for k in range(16):
            with kiosk.cache.write() as s:
                for _ in range(3):
                    journal.append_event(s, EventType.CODE_DENIED, at=datetime.now(UTC))
            a.announce()
            if k == 6:
                b.kill()
            failed += not worker.run_round().ok
        assert failed <= 1  # at most the round in flight when the instance died
        assert worker.run_round().ok
        assert_converged(kiosk.cache, a)
        assert len(a.events()) == 16 * 3
    finally:
        kiosk.close()
