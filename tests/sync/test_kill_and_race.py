"""The sync worker as a real process killed at the worst moment, and the central data
changing under a pull in progress."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from faultproxy import FaultProxy
from synckit import Kiosk, assert_converged, cached_parcels

from sync.cache import ActorKind, EventType, ParcelState, journal
from tests.central_service import REPO_ROOT, CentralService

pytestmark = pytest.mark.integration


def _write_config(tmp_path: Path, kiosk: Kiosk, url: str) -> Path:
    token = tmp_path / "device.token"
    token.write_text(kiosk.token + "\n")
    token.chmod(0o600)
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(
        f'[locker]\nid = "{kiosk.locker_id}"\n\n'
        f'[central]\nurl = "{url}"\ntoken_file = "{token}"\ntimeout_s = 5\n'
        "allow_insecure_http = true\n\n"
        f'[database]\npath = "{kiosk.path}"\n\n'
        "[sync]\npush_batch = 100\nkdf_min_n = 1024\n\n"
        '[board]\nport = "loop://"\n'  # the kiosk's table: the worker must ignore it
    )
    return cfg


def test_sync_killed_between_sending_a_batch_and_recording_the_ack(
    tmp_path: Path, proxied_kiosk: Kiosk, central_service: CentralService, proxy: FaultProxy
) -> None:
    kiosk = proxied_kiosk
    with kiosk.cache.write() as s:
        for i in range(250):
            journal.append_event(s, EventType.CODE_DENIED, at=kiosk.cache.clock(), data={"i": i})
    cfg = _write_config(tmp_path, kiosk, proxy.url)
    procs: list[subprocess.Popen[bytes]] = []

    def kill_sync() -> None:  # the server has stored batch 2; the worker dies before the ack
        os.kill(procs[0].pid, signal.SIGKILL)
        procs[0].wait(timeout=10)

    proxy.fail("pass", match="/events")
    proxy.fail("forward_then_drop", match="/events", on_forwarded=kill_sync)
    procs.append(subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sync", "--config", str(cfg), "--once"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    ))
    out, _ = procs[0].communicate(timeout=60)
    assert procs[0].returncode == -signal.SIGKILL, out.decode()
    assert len(central_service.events()) == 200  # two batches stored on the server...
    assert kiosk.cache.sync_status().outbox_depth == 150  # ...but only one acknowledged

    again = subprocess.run(
        [sys.executable, "-m", "kiosk", "sync", "--config", str(cfg), "--once"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "pushed 150 event(s)" in again.stdout  # 100 duplicates + 50 new, all acknowledged
    assert kiosk.token not in again.stdout + again.stderr
    assert_converged(kiosk.cache, central_service)
    assert len(central_service.events()) == 250
    status = subprocess.run(
        [sys.executable, "-m", "kiosk", "sync", "--config", str(cfg), "--status"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
    )
    assert status.returncode == 0, status.stderr
    assert "state:          online" in status.stdout
    assert "outbox depth:   0 event(s) waiting" in status.stdout
    assert "last event seq: 250" in status.stdout


def test_two_parcels_change_while_the_pages_are_read(
    proxied_kiosk: Kiosk, central_service: CentralService, proxy: FaultProxy
) -> None:
    kiosk = proxied_kiosk
    kiosk.settings = kiosk.settings.__class__(**{**kiosk.settings.__dict__, "page_size": 2})
    announced = [central_service.announce() for _ in range(6)]
    first, last = announced[0].parcel.parcel_id, announced[-1].parcel.parcel_id
    pages = []

    def change_between_pages(method: str, path: str) -> None:
        if "/parcels" in path and method == "GET":
            pages.append(path)
            if len(pages) == 2:  # page 1 was delivered, page 2 not yet read
                central_service.cancel(first)   # already delivered in page 1
                central_service.cancel(last)    # not delivered yet
    proxy.before_forward = change_between_pages
    result = kiosk.sync()
    assert result.ok and len(pages) >= 4
    local = cached_parcels(kiosk.cache)
    assert local[first].state == ParcelState.CANCELLED
    assert local[last].state == ParcelState.CANCELLED
    assert_converged(kiosk.cache, central_service)


def test_the_cli_reports_a_bad_config_key_and_file(tmp_path: Path) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[locker]\nid = "XP-1"\n[central]\nurl = "ftp://x"\ntoken_file = "t"\n'
                   '[database]\npath = "c.db"\n')
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", "sync", "--config", str(cfg), "--once"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 2
    assert f"{cfg}: central.url: must start with https://" in run.stderr


def _wait_for(predicate, timeout_s: float = 120.0) -> None:  # noqa: ANN001
    """Returns as soon as `predicate` holds; the bound only has to outlast a loaded box."""
    import time

    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.1)


def test_the_running_worker_picks_up_a_replaced_token_and_stops_on_sigterm(
    tmp_path: Path, kiosk: Kiosk, central_service: CentralService
) -> None:
    cfg = _write_config(tmp_path, kiosk, central_service.base_url)
    cfg.write_text(cfg.read_text().replace(
        "[sync]\npush_batch = 100\n",
        "[sync]\npush_batch = 100\npush_interval_s = 0.2\nbackoff_max_s = 1\n"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sync", "--config", str(cfg)],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(lambda: kiosk.cache.sync_status().online)
        central_service.revoke_device_token()
        kiosk.cache.record_event(EventType.TECHNICIAN_LOGIN)
        _wait_for(lambda: "401" in (kiosk.cache.sync_status().last_error or ""))
        assert kiosk.cache.sync_status().outbox_depth == 1
        (tmp_path / "device.token").write_text(central_service.issue_device_token() + "\n")
        _wait_for(lambda: kiosk.cache.sync_status().outbox_depth == 0)
        _wait_for(lambda: kiosk.cache.sync_status().online)  # the rest of that round
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out.decode()
    log = out.decode()
    assert log.count("sync round failed") == 1  # one line for the whole streak
    assert kiosk.token not in log
    kiosk.token = central_service.device_token
    assert_converged(kiosk.cache, central_service)


def test_kiosk_writes_while_the_worker_process_syncs(
    tmp_path: Path, kiosk: Kiosk, central_service: CentralService
) -> None:
    """Two processes on one file: the kiosk (this process) deposits and records events
    while a real worker process pulls and pushes; nothing is lost or locked out."""
    announced = [central_service.announce(size="M") for _ in range(8)]
    assert kiosk.sync().ok
    cfg = _write_config(tmp_path, kiosk, central_service.base_url)
    cfg.write_text(cfg.read_text().replace(
        "[sync]\npush_batch = 100\n",
        "[sync]\npush_batch = 20\npush_interval_s = 0.1\npull_interval_s = 0.1\n"
        "heartbeat_interval_s = 0.2\n"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sync", "--config", str(cfg)],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        slots = kiosk.cache.free_compartments()
        for a, slot in zip(announced, slots, strict=False):
            intent = kiosk.cache.record_open_intent(slot.id, [a.parcel.parcel_id],
                                                    ActorKind.COURIER, "c-1", "deposit")
            kiosk.cache.record_deposit(a.parcel.parcel_id, slot.id, courier_id="c-1",
                                       intent_id=intent)
            for i in range(25):
                kiosk.cache.record_event(EventType.CODE_DENIED, data={"i": i})
        total = kiosk.cache.sync_status().last_event_seq
        _wait_for(lambda: kiosk.cache.sync_status().outbox_depth == 0
                  and len(central_service.events()) == total)
        _wait_for(lambda: all(p.state.value == "stored"
                              for p in central_service.parcels().values()))
        _wait_for(lambda: all(p.local_base_version is None
                              for p in cached_parcels(kiosk.cache).values()))
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out.decode()
    assert "sync round failed" not in out.decode()  # never locked out of the file
    assert_converged(kiosk.cache, central_service)
