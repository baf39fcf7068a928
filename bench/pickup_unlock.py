"""Keypad OK to unlock: the pickup flow's time from a submitted code to the unlock
acknowledged by the board, with 100,000 parcels in the cache.

The real `PickupFlow`, the real cache file and the real `LockerBank` talking to a
simulated 8A board on a pseudo-terminal. Split into the code hash (scrypt, the locker
profile's parameters), the cache reads (look-up by hash, layout), the intent write
(audit + outbox, one fsync'd transaction) and the unlock on the bus; then the first
door read that shows the door open. Side by side in one run: the production scrypt cost
(n=16384) against a lighter one (n=4096), to show what the KDF costs the customer.

    .venv/bin/python bench/pickup_unlock.py [--parcels 100000] [--codes 40]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _world import Timed, pct, pickup_cache, print_variants, pty_bank  # noqa: E402

from contract.codes import KdfParams, hash_code  # noqa: E402
from kiosk.flows.cache_store import CacheStore  # noqa: E402
from kiosk.flows.clock import SystemClock  # noqa: E402
from kiosk.flows.pickup import PickupFlow, PickupScreen, PickupSettings  # noqa: E402
from locker_driver import LockAddress, OpenConfirmer  # noqa: E402

LOCKS = 24


def run(workdir: Path, parcels: int, codes: int, kdf: KdfParams
        ) -> tuple[list[float], dict[str, list[float]]]:
    cache, plain = pickup_cache(workdir / "cache.db", parcels, codes, kdf, LOCKS)
    world = pty_bank({f"A{n:02d}": LockAddress(1, n) for n in range(1, LOCKS + 1)})
    bank = world.bank
    spent: dict[str, float] = defaultdict(float)
    store = Timed(CacheStore(cache), {
        "parcels_for_code_hash": "cache reads", "compartments": "cache reads",
        "profile": "cache reads", "record_open_intent": "intent write"}, spent)
    profile = CacheStore(cache).profile()

    def hasher(code: str, salt: str) -> str:
        t0 = time.perf_counter()
        try:
            return hash_code(code, salt, profile.kdf)
        finally:
            spent["code hash"] += time.perf_counter() - t0

    flow = PickupFlow(store, Timed(bank, {"unlock": "unlock (bus)"}, spent),  # type: ignore[arg-type]
                      SystemClock(), OpenConfirmer, PickupSettings(), hasher=hasher)
    totals: list[float] = []
    parts: dict[str, list[float]] = defaultdict(list)
    try:
        for code in plain:
            spent.clear()
            t0 = time.perf_counter()
            view = flow.submit_code(code)
            t_unlock = time.perf_counter()
            assert view.screen is PickupScreen.door_opening, view.screen
            totals.append(t_unlock - t0)
            for part in ("code hash", "cache reads", "intent write", "unlock (bus)"):
                parts[part].append(spent[part])
            while flow.view().screen is not PickupScreen.door_open:
                flow.on_door_states(bank.read_states())
            parts["then: first open read"].append(time.perf_counter() - t_unlock)
            world.close_door(view.door.label)  # type: ignore[union-attr]
            while flow.view().screen is not PickupScreen.done:
                flow.on_door_states(bank.read_states())
            flow.cancel()
    finally:
        world.close()
        cache.close()
    return totals, parts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parcels", type=int, default=100_000)
    ap.add_argument("--codes", type=int, default=40)
    args = ap.parse_args()
    variants = {"scrypt n=16384 (production)": KdfParams(n=16384),
                "scrypt n=4096": KdfParams(n=4096)}
    results = {}
    for name, kdf in variants.items():
        with tempfile.TemporaryDirectory() as tmp:
            results[name] = run(Path(tmp), args.parcels, args.codes, kdf)

    print(f"keypad OK -> unlock acknowledged, {args.parcels:,} parcels, "
          f"{args.codes} codes per variant (ms)")
    print_variants(results, name_w=30, part_w=24, col_w=32)
    names = list(results)
    prod, light = (pct(results[n][0], .5) for n in names)
    share = pct(results[names[0]][1]["code hash"], .5) / prod
    print(f"\nratio p50 production / lighter KDF: {prod / light:.2f}; "
          f"the hash is {share:.0%} of the production p50")


if __name__ == "__main__":
    main()
