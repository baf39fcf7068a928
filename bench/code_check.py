"""Code check: hash a typed code and look it up, with 100,000 parcels in the cache.

Side by side in one run:
- KDF cost: production scrypt n=16384 against lighter n=4096 and n=1024;
- lookup: the Cache API on the indexed column, the same query in raw sqlite3, and the
  Cache API on a copy of the file without the pickup_code_hash index.
Prints p50/p99 per variant, the share of the total that is the KDF, and ratios.

    .venv/bin/python bench/code_check.py [--parcels 100000] [--checks 200]
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _world import deadline, insert_parcels  # noqa: E402

from contract.codes import KdfParams, hash_code, new_code, new_salt  # noqa: E402
from sync.cache import Cache  # noqa: E402
from sync.cache.journal import sync_state  # noqa: E402

STATES = ["stored"] * 6 + ["picked_up"] * 3 + ["expected", "expired", "cancelled"]


def build(path: Path, n: int, salt: str, kdf: KdfParams, known: dict[str, str]) -> None:
    cache = Cache.open(path)
    with cache.write() as s:
        st = sync_state(s)
        st.locker_id, st.code_salt = "XP-BENCH", salt
        st.code_kdf = json.dumps(kdf.as_profile())
        s.add(st)
    cache.close()
    due = deadline()
    known_hashes = list(known.values())
    rows = []
    for i in range(n):
        # Real hashes for the codes the benchmark types, random ones for the rest (the
        # lookup cannot tell; computing 100,000 production hashes would take an hour).
        h = known_hashes[i] if i < len(known_hashes) else secrets.token_hex(32)
        rows.append((f"p{i:06d}", f"ORD{i:06d}", STATES[i % len(STATES)], "M",
                     f"A{i % 40:02d}", h, due, f"JJD{i:012d}", "A. B.", 1))
    insert_parcels(path, rows)


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def measure(codes: list[str], hasher: Callable[[str], str],
            lookup: Callable[[str], object]) -> tuple[list[float], list[float], list[float]]:
    kdf_t, look_t, total_t = [], [], []
    for code in codes:
        t0 = time.perf_counter()
        h = hasher(code)
        t1 = time.perf_counter()
        found = lookup(h)
        t2 = time.perf_counter()
        assert found, "a known code must be found"
        kdf_t.append(t1 - t0)
        look_t.append(t2 - t1)
        total_t.append(t2 - t0)
    return kdf_t, look_t, total_t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--parcels", type=int, default=100_000)
    ap.add_argument("--checks", type=int, default=200)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="xp-bench-code-"))
    salt = new_salt()
    rows: list[tuple[str, float, float, float, float, float]] = []
    try:
        for n in (16384, 4096, 1024):
            kdf = KdfParams(n=n)
            codes = [new_code() for _ in range(args.checks)]
            known = {c: hash_code(c, salt, kdf) for c in codes}
            path = tmp / f"cache-n{n}.db"
            build(path, args.parcels, salt, kdf, known)
            cache = Cache.open(path)
            variants: list[tuple[str, Callable[[str], object]]] = [
                ("Cache API, indexed", cache.parcels_for_code_hash)]
            if n == 16384:
                raw = sqlite3.connect(path)
                variants.append(("raw sqlite3, indexed", lambda h, raw=raw: raw.execute(
                    "SELECT * FROM parcel WHERE pickup_code_hash = ?", (h,)).fetchall()))
                noidx = tmp / "cache-noindex.db"
                shutil.copy(path, noidx)
                with sqlite3.connect(noidx) as con:
                    con.execute("DROP INDEX ix_parcel_pickup_code_hash")
                plain = Cache.open(noidx)
                variants.append(("Cache API, no index", plain.parcels_for_code_hash))
            for name, lookup in variants:
                k, lk, tot = measure(codes, cache.hash_code, lookup)
                share = statistics.fsum(k) / statistics.fsum(tot)
                rows.append((f"n={n:<5} {name}", pct(tot, .5), pct(tot, .99),
                             pct(lk, .5), pct(lk, .99), share))
            cache.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    base = rows[0][1]
    print(f"code check with {args.parcels:,} parcels cached, {args.checks} checks per variant")
    print(f"{'variant':<34}{'total p50':>11}{'p99':>9}{'lookup p50':>12}{'p99':>9}"
          f"{'KDF share':>11}{'vs prod':>9}")
    for name, p50, p99, l50, l99, share in rows:
        print(f"{name:<34}{p50 * 1e3:>9.2f}ms{p99 * 1e3:>7.2f}ms{l50 * 1e3:>10.3f}ms"
              f"{l99 * 1e3:>7.3f}ms{share:>10.1%}{p50 / base:>8.2f}x")


if __name__ == "__main__":
    main()
