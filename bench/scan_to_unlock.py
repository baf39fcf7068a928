"""Scan to unlock: from the camera frame that holds the customer's QR code to the last
byte of the unlock frame arriving at the lock board, with 100,000 parcels in the cache.

The real pieces in one process: a kiosk decoder (`make_decoder("auto")`, and pyzbar and
OpenCV side by side), the real `PickupFlow` on the real cache file, and the real
`LockerBank` writing to a pseudo-terminal whose other end is the simulated 8A board.
The end of the measurement is taken on the board's side: the moment the simulator has
the complete unlock frame (with `--unpaced` off, the default, the board also waits for
the frame's wire time at 9600 baud, as a real RS-485 line would take it).

Each scan is split into decode (BGR frame to text), code hash (scrypt with the locker
profile's parameters; production n=16384 and a lighter n=4096 side by side), cache
look-up (profile, parcels by hash, layout), the intent write (audit + outbox, one
fsync'd transaction), the bus (unlock called until the board has the last byte) and
the rest of the flow's own work. The acknowledgement coming back is shown after the
total, since the door is already firing by then.

Frames: 640x480 colour camera-like images (scene, perspective, blur, sensor noise) of
`XP1:<locker>:<code>` payloads, generated from a seed with the decode benchmark's
helpers. Frames that a decoder cannot read are counted, not timed.

    .venv/bin/python bench/scan_to_unlock.py [--parcels 100000] [--frames 40]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _world import LOCKER_ID, Timed, pct, pickup_cache, pty_bank  # noqa: E402
from decode import table  # noqa: E402
from images import background, paste, place_quad, qr_symbol  # noqa: E402

from kiosk.flows.cache_store import CacheStore  # noqa: E402
from kiosk.flows.clock import SystemClock  # noqa: E402
from kiosk.flows.pickup import PickupFlow, PickupScreen, PickupSettings  # noqa: E402
from kiosk.scanning import make_decoder  # noqa: E402
from locker_driver import LockAddress, OpenConfirmer  # noqa: E402
from locker_driver.codec import codec_for  # noqa: E402
from locker_driver.sim.model import Emission, SimulatedBank  # noqa: E402
from sync.codes import KdfParams, hash_code  # noqa: E402

LOCKS = 24
PARTS = ("decode", "code hash", "cache look-up", "intent write", "bus", "flow, other")
HEADER = "scan -> last unlock byte at the board"


class StampedBoards(SimulatedBank):
    """The simulated boards, noting when each complete unlock frame reached them."""

    def __init__(self) -> None:
        super().__init__("8a", 1)
        self.unlock_seen_at: list[float] = []

    def handle(self, raw: bytes) -> list[Emission]:
        fired = len(self.unlock_frames)
        out = super().handle(raw)
        if len(self.unlock_frames) > fired:
            self.unlock_seen_at.append(time.perf_counter())
        return out


def camera_frame(rng: random.Random, text: str) -> np.ndarray:
    """A BGR 640x480 frame of a phone screen showing `text` as a QR code: held at an
    arm's length, a little turned and tilted, slightly out of focus, sensor noise."""
    symbol = qr_symbol(text, 4)
    side = symbol.shape[0] * rng.uniform(0.8, 1.2)
    quad = place_quad(rng, side, side, rng.uniform(-15, 15), rng.uniform(0.05, 0.25))
    grey = cv2.GaussianBlur(paste(background(rng), symbol, quad), (0, 0), rng.uniform(0.5, 1.0))
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 5, grey.shape)
    grey = np.clip(grey + noise, 0, 255).astype(np.uint8)
    return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)


@dataclass
class Result:
    frames: int = 0
    totals: list[float] = field(default_factory=list)
    parts: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    ack: list[float] = field(default_factory=list)


def scans(codes: list[str], seed: int) -> Iterator[tuple[str, np.ndarray]]:
    """One frame per code. Every decoder gets the same scenes from the same seed; only
    the code's digits differ (same length, so the same QR version)."""
    rng = random.Random(f"{seed}:scan")
    for code in codes:
        yield code, camera_frame(rng, f"XP1:{LOCKER_ID}:{code}")


def run(workdir: Path, parcels: int, frames: int, kdf: KdfParams, decoders: list[str],
        seed: int, pace: bool) -> dict[str, Result]:
    """Every decoder scans `frames` codes of its own against one cache and one bank."""
    cache, plain = pickup_cache(workdir / "cache.db", parcels, frames * len(decoders), kdf,
                                LOCKS)
    boards = StampedBoards()
    world = pty_bank({f"A{n:02d}": LockAddress(1, n) for n in range(1, LOCKS + 1)}, boards,
                     pace=pace)
    spent: dict[str, float] = defaultdict(float)
    started: dict[str, float] = {}
    store = Timed(CacheStore(cache), {
        "profile": "cache look-up", "parcels_for_code_hash": "cache look-up",
        "compartments": "cache look-up", "record_open_intent": "intent write"}, spent)
    profile = CacheStore(cache).profile()

    def hasher(code: str, salt: str) -> str:
        t0 = time.perf_counter()
        try:
            return hash_code(code, salt, profile.kdf)
        finally:
            spent["code hash"] += time.perf_counter() - t0

    bank = Timed(world.bank, {"unlock": "unlock call"}, defaultdict(float), started)
    flow = PickupFlow(store, bank, SystemClock(), OpenConfirmer,  # type: ignore[arg-type]
                      PickupSettings(), hasher=hasher)
    results: dict[str, Result] = {}
    try:
        for n, name in enumerate(decoders):
            decoder = make_decoder(name)
            label = f"{name} ({decoder.name})" if name == "auto" else name
            result = results[label] = Result()
            mine = plain[n * frames:(n + 1) * frames]
            warm = camera_frame(random.Random(seed), f"XP1:{LOCKER_ID}:00000000")
            decoder.decode(warm)  # first-call allocations are not scan time
            for _code, frame in scans(mine, seed):
                result.frames += 1
                spent.clear()
                t0 = time.perf_counter()
                found = decoder.decode(frame)
                t_decoded = time.perf_counter()
                text = next((d.text for d in found if d.text.startswith("XP1:")), None)
                if text is None:
                    continue  # not read: the customer holds the phone up a little longer
                seen = len(boards.unlock_seen_at)
                view = flow.submit_scan(text)
                t_ack = time.perf_counter()
                assert view.screen is PickupScreen.door_opening, view.screen
                t_board = boards.unlock_seen_at[seen]
                total = t_board - t0
                split = {"decode": t_decoded - t0, "code hash": spent["code hash"],
                         "cache look-up": spent["cache look-up"],
                         "intent write": spent["intent write"],
                         "bus": t_board - started["unlock call"]}
                split["flow, other"] = total - sum(split.values())
                result.totals.append(total)
                for part, value in split.items():
                    result.parts[part].append(value)
                result.ack.append(t_ack - t_board)
                # The customer takes the parcel and closes the door; back to idle.
                while flow.view().screen is not PickupScreen.door_open:
                    flow.on_door_states(world.bank.read_states())
                world.close_door(view.door.label)  # type: ignore[union-attr]
                while flow.view().screen is not PickupScreen.done:
                    flow.on_door_states(world.bank.read_states())
                flow.cancel()
    finally:
        world.close()
        cache.close()
    return results


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def report(results: dict[tuple[str, str], Result], parcels: int, frames: int,
           pace: bool) -> None:
    frame_bytes = len(codec_for("8a").unlock_request(1, 1))
    wire = frame_bytes * 10 / codec_for("8a").default_baudrate
    print(f"# {HEADER}")
    print(f"{parcels:,} parcels in the cache, {frames} frames per decoder and KDF, 640x480 "
          f"BGR; 8A board on a {'paced' if pace else 'unpaced'} pty "
          f"(unlock frame {frame_bytes} bytes = {ms(wire)} ms at 9600 baud"
          f"{'' if pace else ', not waited for'})\n")
    rows = []
    for (decoder, kdf), r in results.items():
        if not r.totals:
            rows.append([decoder, kdf, f"0/{r.frames}"] + ["-"] * (5 + len(PARTS)))
            continue
        rows.append([decoder, kdf, f"{len(r.totals)}/{r.frames}", ms(pct(r.totals, .5)),
                     ms(pct(r.totals, .95)), ms(max(r.totals))]
                    + [ms(pct(r.parts[p], .5)) for p in PARTS]
                    + [ms(pct(r.ack, .5)), ms(pct([t + a for t, a in zip(r.totals, r.ack,
                                                                         strict=True)], .5))])
    print("total and p50 of each part (ms); the parts of one scan add up to its total\n")
    print(table(["decoder", "scrypt", "read", "p50", "p95", "max", *PARTS,
                 "then ack", "to ack p50"], rows))

    print("\neach part's share of the time (sum over all scans of the variant)\n")
    share_rows = []
    for (decoder, kdf), r in results.items():
        if not r.totals:
            continue
        whole = statistics.fsum(r.totals)
        share_rows.append([decoder, kdf] + [f"{statistics.fsum(r.parts[p]) / whole:.0%}"
                                            for p in PARTS])
    print(table(["decoder", "scrypt", *PARTS], share_rows))

    print("\nratios of p50 totals")
    p50 = {key: pct(r.totals, .5) for key, r in results.items() if r.totals}
    keys = list(results)
    base_decoder, prod = keys[0]
    for (decoder, kdf) in keys:
        other = (base_decoder, kdf)
        if decoder != base_decoder and (decoder, kdf) in p50 and other in p50:
            print(f"  {decoder} / {base_decoder}, scrypt {kdf}: "
                  f"{p50[(decoder, kdf)] / p50[other]:.2f}")
    kdfs = list(dict.fromkeys(k for _, k in keys))
    for decoder in dict.fromkeys(d for d, _ in keys):
        if len(kdfs) > 1 and (decoder, kdfs[0]) in p50 and (decoder, kdfs[1]) in p50:
            print(f"  {decoder}: scrypt {kdfs[0]} / {kdfs[1]}: "
                  f"{p50[(decoder, kdfs[0])] / p50[(decoder, kdfs[1])]:.2f}")
    if (base_decoder, prod) in p50:
        r, whole = results[(base_decoder, prod)], p50[(base_decoder, prod)]
        print(f"  {base_decoder}, scrypt {prod}: hash p50 / total p50 "
              f"{pct(r.parts['code hash'], .5) / whole:.0%}, "
              f"decode p50 / total p50 {pct(r.parts['decode'], .5) / whole:.0%}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parcels", type=int, default=100_000)
    ap.add_argument("--frames", type=int, default=40, help="scans per decoder and KDF")
    ap.add_argument("--decoders", default="auto,pyzbar,opencv",
                    help="comma-separated; the first is the base of the ratios")
    ap.add_argument("--kdf-n", default="16384,4096",
                    help="scrypt n values; the first is production")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--unpaced", action="store_true",
                    help="the board takes the frame as soon as the pty has it")
    args = ap.parse_args()
    decoders = args.decoders.split(",")
    results: dict[tuple[str, str], Result] = {}
    for i, n in enumerate(int(v) for v in args.kdf_n.split(",")):
        kdf_name = f"n={n}" + (" (prod)" if i == 0 and n == KdfParams().n else "")
        with tempfile.TemporaryDirectory() as tmp:
            for decoder, result in run(Path(tmp), args.parcels, args.frames, KdfParams(n=n),
                                       decoders, args.seed, not args.unpaced).items():
                results[(decoder, kdf_name)] = result
    # Rows grouped by decoder, production KDF first, so they read like the ratios.
    names = list(dict.fromkeys(d for d, _ in results))
    kdfs = list(dict.fromkeys(k for _, k in results))
    order = sorted(results, key=lambda k: (names.index(k[0]), kdfs.index(k[1])))
    report({k: results[k] for k in order}, args.parcels, args.frames, not args.unpaced)
    return 0


if __name__ == "__main__":
    sys.exit(main())
