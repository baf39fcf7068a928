"""Courier visit: time per parcel spent in the software, from the label scan to the
door confirmed open, for a 20-parcel deposit visit.

The real `CourierFlow` on the real cache file and the real `LockerBank` talking to the
simulated 8A boards on a pseudo-terminal. Each parcel's time is split into the parts
the software owns: cache reads (label look-up, free compartments), the intent write
(audit + outbox, fsync'd), the unlock on the bus, the first door read that shows it
open, and the deposit record after the door closes. Side by side in one run: a cache
with only this visit's parcels against one holding 100,000 other parcels.

    .venv/bin/python bench/courier_visit.py [--parcels 20] [--background 100000] [--visits 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _world import (  # noqa: E402
    Timed,
    deadline,
    insert_parcels,
    pct,
    print_variants,
    pty_bank,
    write_profile,
)

from contract.codes import KdfParams, hash_secret, new_salt  # noqa: E402
from kiosk.flows.cache_store import CacheStore  # noqa: E402
from kiosk.flows.clock import SystemClock  # noqa: E402
from kiosk.flows.courier import CourierFlow, CourierScreen, CourierSettings  # noqa: E402
from locker_driver import LockAddress, OpenConfirmer  # noqa: E402
from locker_driver.sim.model import SimulatedBank  # noqa: E402
from sync import cache as c  # noqa: E402

COLUMNS, ROWS = 6, 8  # 48 compartments on two 24-lock 8A boards
PIN = "4711"


def build_cache(path: Path, parcels: int, background: int) -> tuple[c.Cache, list[str]]:
    cache = c.Cache.open(path)
    salt = new_salt()
    kdf = KdfParams()
    write_profile(cache, salt, kdf)
    with cache.write() as s:
        s.add(c.Courier(courier_id="C1", name="Bench", pin_hash=hash_secret(PIN, salt, kdf)))
    sizes = ["S", "M", "M", "L", "L", "M", "XL", "M"]
    cache.replace_layout([
        c.CompartmentSpec(f"{chr(65 + col)}{row:02d}", 1 + (col * ROWS + row - 1) // 24,
                          (col * ROWS + row - 1) % 24 + 1, sizes[row - 1], col, row)
        for col in range(COLUMNS) for row in range(1, ROWS + 1)])
    due = deadline()
    labels = [f"JJD{n:012d}" for n in range(parcels)]
    rows = [(f"v{n:04d}", f"ORD-V{n:04d}", "expected", ["S", "M", "L"][n % 3], None, None,
             due, label, "", 1) for n, label in enumerate(labels)]
    rows += [(f"b{n:06d}", f"ORD-B{n:06d}", ["picked_up", "collected"][n % 2], "M", None,
              None, due, f"OLD{n:012d}", "", 1) for n in range(background)]
    insert_parcels(path, rows)
    return cache, labels


def visit(workdir: Path, parcels: int, background: int
          ) -> tuple[list[float], dict[str, list[float]]]:
    cache, labels = build_cache(workdir / "cache.db", parcels, background)
    address = {f"{chr(65 + col)}{row:02d}": LockAddress(1 + (col * ROWS + row - 1) // 24,
                                                          (col * ROWS + row - 1) % 24 + 1)
               for col in range(COLUMNS) for row in range(1, ROWS + 1)}
    world = pty_bank(address, SimulatedBank("8a", [1, 2]))
    bank = world.bank
    spent: dict[str, float] = defaultdict(float)
    store = Timed(CacheStore(cache), {
        "parcel_by_barcode": "cache reads", "free_compartments": "cache reads",
        "record_open_intent": "intent write"}, spent)
    timed_bank = Timed(bank, {"unlock": "unlock (bus)"}, spent)
    flow = CourierFlow(store, timed_bank, SystemClock(), OpenConfirmer,  # type: ignore[arg-type]
                       CourierSettings())
    assert flow.login_pin("C1", PIN).screen is CourierScreen.menu
    flow.start_deposit()
    totals: list[float] = []
    parts: dict[str, list[float]] = defaultdict(list)
    try:
        for label in labels:
            spent.clear()
            t0 = time.perf_counter()
            view = flow.scan_parcel(label)
            if view.screen is CourierScreen.deposit_fallback:  # its size is full: say yes
                view = flow.accept_larger()
            assert view.screen is CourierScreen.deposit_opening, view.screen
            t_unlocked = time.perf_counter()
            while flow.view().screen is not CourierScreen.deposit_open:
                flow.on_door_states(bank.read_states())
            t_open = time.perf_counter()
            totals.append(t_open - t0)
            for part in ("cache reads", "intent write", "unlock (bus)"):
                parts[part].append(spent[part])
            parts["first open read"].append(t_open - t_unlocked)
            world.close_door(view.door.label)  # type: ignore[union-attr]
            t1 = time.perf_counter()
            while flow.view().screen is not CourierScreen.deposit_scan:
                flow.on_door_states(bank.read_states())
            parts["close read + deposit record"].append(time.perf_counter() - t1)
        assert len(flow.view().tally) == parcels
    finally:
        world.close()
        cache.close()
    return totals, parts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parcels", type=int, default=20)
    ap.add_argument("--background", type=int, default=100_000)
    ap.add_argument("--visits", type=int, default=5)
    args = ap.parse_args()
    results: dict[str, tuple[list[float], dict[str, list[float]]]] = {}
    variants: list[tuple[str, int]] = [("visit parcels only", 0),
                                        (f"+{args.background:,} old parcels", args.background)]
    for name, background in variants:
        all_totals: list[float] = []
        all_parts: dict[str, list[float]] = defaultdict(list)
        for _ in range(args.visits):
            with tempfile.TemporaryDirectory() as tmp:
                totals, parts = visit(Path(tmp), args.parcels, background)
            all_totals += totals
            for k, v in parts.items():
                all_parts[k] += v
        results[name] = (all_totals, all_parts)

    print(f"courier visit: {args.parcels} parcels x {args.visits} visits per variant, "
          "scan -> door confirmed open (ms)")
    print_variants(results, name_w=24, part_w=30, col_w=30)
    names = list(results)
    base, big = (pct(results[n][0], .95) for n in names)
    print(f"\nratio p95 (with old parcels / visit only): {big / base:.2f}")


if __name__ == "__main__":
    main()
