"""Set-up shared by the benchmarks that drive the real flows.

A cache file holding many parcels (inserted in one raw transaction: going through the
ORM, or hashing 100,000 codes with production scrypt, would take most of an hour), the
simulated 8A board served on a real pseudo-terminal with the real `LockerBank` on the
other end, a wrapper that times chosen methods of the real objects, and percentiles.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from contract.codes import KdfParams, hash_code, new_code, new_salt
from locker_driver import BankConfig, LockAddress, LockerBank, Timeouts
from locker_driver.sim.model import SimulatedBank
from locker_driver.sim.serve import PtyServer
from sync import cache as c

LOCKER_ID = "XP-BENCH"
PARCEL_COLUMNS = ("parcel_id", "order_ref", "state", "size", "compartment_id",
                  "pickup_code_hash", "pickup_deadline", "barcode", "recipient_hint", "version")


class Timed:
    """Wraps `inner` and adds the time of chosen methods to `spent[part]`; when `started`
    is given, it also notes when each part was last entered (perf_counter)."""

    def __init__(self, inner: Any, parts: dict[str, str], spent: dict[str, float],
                 started: dict[str, float] | None = None) -> None:
        self._inner, self._parts, self._spent = inner, parts, spent
        self._started = started

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        part = self._parts.get(name)
        if part is None:
            return attr

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            if self._started is not None:
                self._started[part] = t0
            try:
                return attr(*args, **kwargs)
            finally:
                self._spent[part] += time.perf_counter() - t0
        return timed


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f}"


def print_variants(results: Mapping[str, tuple[list[float], Mapping[str, list[float]]]],
                   *, name_w: int, part_w: int, col_w: int) -> None:
    """The totals of each variant (p50/p95/max), then each part side by side."""
    print(f"{'variant':<{name_w}} {'p50':>7} {'p95':>7} {'max':>7}")
    for name, (totals, _) in results.items():
        print(f"{name:<{name_w}} {ms(pct(totals, .5))} {ms(pct(totals, .95))} "
              f"{ms(max(totals))}")
    print("\nwhere the time goes (p50 / p95 ms)")
    names = list(results)
    print(f"{'part':<{part_w}}" + "".join(f"{n:>{col_w}}" for n in names))
    for part in results[names[0]][1]:
        row = f"{part:<{part_w}}"
        for n in names:
            v = results[n][1][part]
            row += f"{ms(pct(v, .5)) + ' /' + ms(pct(v, .95)):>{col_w}}"
        print(row)


def deadline(days: int = 7) -> str:
    """A pickup deadline `days` ahead, as the cache stores it (naive UTC)."""
    return (datetime.now(UTC) + timedelta(days=days)).replace(tzinfo=None).isoformat(" ")


def write_profile(cache: c.Cache, salt: str, kdf: KdfParams, name: str = "Bench") -> None:
    """The locker profile a first sync would have written: id, name, code salt and KDF."""
    with cache.write() as s:
        st = s.get(c.models.SyncState, 1) or c.models.SyncState(id=1)
        st.locker_id, st.locker_name, st.code_salt = LOCKER_ID, name, salt
        st.code_kdf = json.dumps(kdf.as_profile())
        s.add(st)


def insert_parcels(path: Path, rows: Iterable[tuple[Any, ...]]) -> None:
    """Parcel rows (values in PARCEL_COLUMNS order) in one transaction, bypassing the ORM."""
    con = sqlite3.connect(path)
    with con:
        con.executemany(
            f"INSERT INTO parcel ({', '.join(PARCEL_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(PARCEL_COLUMNS))})", rows)
    con.close()


def pickup_cache(path: Path, parcels: int, codes: int, kdf: KdfParams, locks: int
                 ) -> tuple[c.Cache, list[str]]:
    """A cache with `parcels` parcels behind `locks` doors A01.. on board 1; the first
    `codes` are stored with real hashes of the returned plain codes, the rest are
    picked up with random hashes (the look-up cannot tell the difference)."""
    cache = c.Cache.open(path)
    salt = new_salt()
    write_profile(cache, salt, kdf)
    cache.replace_layout([c.CompartmentSpec(f"A{n:02d}", 1, n, "M", 0, n)
                          for n in range(1, locks + 1)])
    plain = [new_code() for _ in range(codes)]
    due = deadline()
    insert_parcels(path, (
        (f"p{n:06d}", f"ORD{n:06d}", "stored" if n < codes else "picked_up", "M",
         f"A{n % locks + 1:02d}",
         hash_code(plain[n], salt, kdf) if n < codes else secrets.token_hex(32),
         due, f"JJD{n:012d}", "", 1)
        for n in range(parcels)))
    return cache, plain


@dataclass
class PtyBank:
    """The simulated boards on a pty and the real driver that opened it."""

    sim: SimulatedBank
    pty: PtyServer
    bank: LockerBank
    address: dict[str, LockAddress]

    def close_door(self, compartment_id: str) -> None:
        addr = self.address[compartment_id]
        self.sim.close_door(addr.board, addr.lock)

    def close(self) -> None:
        self.bank.close()
        self.pty.stop()


def pty_bank(address: Mapping[str, LockAddress], sim: SimulatedBank | None = None,
             *, pace: bool = False) -> PtyBank:
    """Serve `sim` (default: one 8A board at address 1) on a pty and open the real bank
    on it with a 5 ms quiet gap (the simulator answers at once)."""
    sim = sim or SimulatedBank("8a", 1)
    pty = PtyServer(sim, pace=pace).start()
    bank = LockerBank.open(BankConfig(port_url=pty.port, protocol=sim.protocol,
                                      compartments=dict(address),
                                      timeouts=Timeouts(quiet_gap_s=0.005)))
    return PtyBank(sim, pty, bank, dict(address))
