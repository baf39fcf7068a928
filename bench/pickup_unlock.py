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
import json
import secrets
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.flows.cache_store import CacheStore  # noqa: E402
from kiosk.flows.clock import SystemClock  # noqa: E402
from kiosk.flows.pickup import PickupFlow, PickupScreen, PickupSettings  # noqa: E402
from locker_driver import BankConfig, LockAddress, LockerBank, OpenConfirmer, Timeouts  # noqa: E402
from locker_driver.sim.model import SimulatedBank  # noqa: E402
from locker_driver.sim.serve import PtyServer  # noqa: E402
from sync import cache as c  # noqa: E402
from sync.codes import KdfParams, hash_code, new_code, new_salt  # noqa: E402

LOCKS = 24


class Timed:
    """Adds the time of chosen methods of `inner` to `spent[part]`."""

    def __init__(self, inner: Any, parts: dict[str, str], spent: dict[str, float]) -> None:
        self._inner, self._parts, self._spent = inner, parts, spent

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        part = self._parts.get(name)
        if part is None:
            return attr

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return attr(*args, **kwargs)
            finally:
                self._spent[part] += time.perf_counter() - t0
        return timed


def build(path: Path, parcels: int, codes: int, kdf: KdfParams) -> tuple[c.Cache, list[str]]:
    cache = c.Cache.open(path)
    salt = new_salt()
    with cache.write() as s:
        st = s.get(c.models.SyncState, 1) or c.models.SyncState(id=1)
        st.locker_id, st.locker_name, st.code_salt = "XP-BENCH", "Bench", salt
        st.code_kdf = json.dumps(kdf.as_profile())
        s.add(st)
    cache.replace_layout([c.CompartmentSpec(f"A{n:02d}", 1, n, "M", 0, n)
                          for n in range(1, LOCKS + 1)])
    plain = [new_code() for _ in range(codes)]
    deadline = (datetime.now(UTC) + timedelta(days=7)).replace(tzinfo=None).isoformat(" ")
    rows = []
    for n in range(parcels):
        # Real hashes for the codes typed, random ones for the rest (the look-up cannot
        # tell, and 100,000 production hashes would take most of an hour).
        known = n < codes
        rows.append((f"p{n:06d}", f"ORD{n:06d}", "stored" if known else "picked_up", "M",
                     f"A{n % LOCKS + 1:02d}",
                     hash_code(plain[n], salt, kdf) if known else secrets.token_hex(32),
                     deadline, f"JJD{n:012d}", "", 1))
    con = sqlite3.connect(path)
    with con:
        con.executemany(
            "INSERT INTO parcel (parcel_id, order_ref, state, size, compartment_id, "
            "pickup_code_hash, pickup_deadline, barcode, recipient_hint, version) "
            "VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    con.close()
    return cache, plain


def run(workdir: Path, parcels: int, codes: int, kdf: KdfParams
        ) -> tuple[list[float], dict[str, list[float]]]:
    cache, plain = build(workdir / "cache.db", parcels, codes, kdf)
    sim = SimulatedBank("8a", 1)
    pty = PtyServer(sim).start()
    board = next(iter(sim.boards))
    address = {f"A{n:02d}": LockAddress(board, n) for n in range(1, LOCKS + 1)}
    bank = LockerBank.open(BankConfig(port_url=pty.port, protocol="8a", compartments=address,
                                      timeouts=Timeouts(quiet_gap_s=0.005)))
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
            addr = address[view.door.label]  # type: ignore[union-attr]
            sim.close_door(addr.board, addr.lock)
            while flow.view().screen is not PickupScreen.done:
                flow.on_door_states(bank.read_states())
            flow.cancel()
    finally:
        bank.close()
        pty.stop()
        cache.close()
    return totals, parts


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


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

    def ms(v: float) -> str:
        return f"{v * 1000:7.1f}"

    print(f"keypad OK -> unlock acknowledged, {args.parcels:,} parcels, "
          f"{args.codes} codes per variant (ms)")
    print(f"{'variant':<30} {'p50':>7} {'p95':>7} {'max':>7}")
    for name, (totals, _) in results.items():
        print(f"{name:<30} {ms(pct(totals, .5))} {ms(pct(totals, .95))} {ms(max(totals))}")
    print("\nwhere the time goes (p50 / p95 ms)")
    names = list(results)
    print(f"{'part':<24}" + "".join(f"{n:>32}" for n in names))
    for part in results[names[0]][1]:
        row = f"{part:<24}"
        for n in names:
            v = results[n][1][part]
            row += f"{ms(pct(v, .5)) + ' /' + ms(pct(v, .95)):>32}"
        print(row)
    prod, light = (pct(results[n][0], .5) for n in names)
    share = pct(results[names[0]][1]["code hash"], .5) / prod
    print(f"\nratio p50 production / lighter KDF: {prod / light:.2f}; "
          f"the hash is {share:.0%} of the production p50")


if __name__ == "__main__":
    main()
