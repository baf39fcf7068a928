"""A flood of remote commands from a lying central service: how long the kiosk's customer
flow is blocked, side by side with the kiosk's caps switched off (the old behaviour).

The lying service (tests/sync/liar.py, a real HTTP server on 127.0.0.1) answers a
heartbeat with 10,001 `open_compartment` commands for door A01; the real sync worker
stores what it takes; then the real `RemoteExecutor` runs on the real driver and a
simulated 8A board on a pty, step after step, as the flow runner does between customer
calls. A step blocks the runner thread, and so the customer at the screen: the longest
step is the figure. Also: 10,000 `resync` commands in one answer.

    .venv/bin/python bench/command_flood.py [--commands 10001] [--steps 300]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "sync"))

from _world import pty_bank  # noqa: E402
from liar import LyingCentral  # noqa: E402

from kiosk.flows.cache_store import CacheStore  # noqa: E402
from kiosk.flows.clock import SystemClock  # noqa: E402
from kiosk.flows.remote import RemoteExecutor, RemoteSettings  # noqa: E402
from locker_driver import LockAddress, OpenConfirmer  # noqa: E402
from sync.cache import Cache, CompartmentSpec, EventType  # noqa: E402
from sync.client import CentralClient  # noqa: E402
from sync.worker import SyncWorker, WorkerSettings  # noqa: E402

DOORS = [f"A{n:02d}" for n in range(1, 13)]


@dataclass
class Figures:
    store_s: float
    stored: int
    steps: int
    longest_step_s: float
    failure_events: int
    resync_round_s: float


def run(work: Path, commands: int, steps: int, *, capped: bool) -> Figures:
    big = 10**9
    worker_settings = WorkerSettings(kdf_min_n=1024) if capped else WorkerSettings(
        kdf_min_n=1024, commands_per_answer=big, max_pending_commands=big)
    remote_settings = RemoteSettings() if capped else RemoteSettings(
        commands_per_step=big, max_opens_per_hour=6, max_state_changes_per_hour=big)
    liar = LyingCentral().start()
    cache = Cache.open(work / "cache.db")
    cache.replace_layout([CompartmentSpec(cid, 1, n, "M", 0, n)
                          for n, cid in enumerate(DOORS, 1)])
    client = CentralClient(liar.url, liar.locker_id, "t", allow_http=True,
                           timeout=(5, 120), deadline_s=600)
    worker = SyncWorker(cache, client, worker_settings)
    bank = pty_bank({cid: LockAddress(1, n) for n, cid in enumerate(DOORS, 1)})
    try:
        worker.run_round(force=True)  # profile first
        liar.commands = [liar.command("open_compartment", "A01") for _ in range(commands)]
        t0 = time.perf_counter()
        worker.run_round(force=True)
        store_s = time.perf_counter() - t0
        liar.commands = []
        stored = len(cache.pending_commands())
        executor = RemoteExecutor(CacheStore(cache), bank.bank, SystemClock(), OpenConfirmer,
                                  remote_settings)
        longest, done = 0.0, 0
        for done in range(1, steps + 1):  # noqa: B007
            t0 = time.perf_counter()
            executor.step()
            longest = max(longest, time.perf_counter() - t0)
            if not cache.pending_commands() and not executor.opening:
                break
        failed = sum(1 for e in _events(cache) if e == EventType.COMMAND_FAILED)
        liar.commands = [liar.command("resync") for _ in range(commands - 1)]
        t0 = time.perf_counter()
        worker.run_round(force=True)
        resync_s = time.perf_counter() - t0
        return Figures(store_s, stored, done, longest, failed, resync_s)
    finally:
        bank.close()
        client.close()
        cache.close()
        liar.close()


def _events(cache: Cache) -> list[EventType]:
    from sqlmodel import select

    from sync.cache import OutboxEvent
    with cache.read() as s:
        return [e.type for e in s.exec(select(OutboxEvent))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--commands", type=int, default=10_001)
    ap.add_argument("--steps", type=int, default=300, help="executor steps looked at")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = {}
        for name, capped in (("kiosk caps (shipped)", True), ("caps off (old)", False)):
            work = Path(tmp) / name.split()[0] / str(capped)
            work.mkdir(parents=True)
            rows[name] = run(work, args.commands, args.steps, capped=capped)
    print(f"{args.commands:,} open_compartment commands in one heartbeat answer "
          f"(door A01, 12 doors, 8A board on a pty)")
    print(f"{'variant':<22}{'store s':>9}{'stored':>8}{'steps':>7}{'longest step':>14}"
          f"{'failed ev.':>11}{'resync round s':>16}")
    for name, f in rows.items():
        print(f"{name:<22}{f.store_s:>9.2f}{f.stored:>8}{f.steps:>7}"
              f"{f.longest_step_s * 1000:>11.1f} ms{f.failure_events:>11}"
              f"{f.resync_round_s:>16.2f}")
    capped, old = rows["kiosk caps (shipped)"], rows["caps off (old)"]
    print(f"longest block of the customer flow: {capped.longest_step_s * 1000:.1f} ms vs "
          f"{old.longest_step_s * 1000:.1f} ms "
          f"({old.longest_step_s / max(capped.longest_step_s, 1e-9):.0f}x)")


if __name__ == "__main__":
    main()
