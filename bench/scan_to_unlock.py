"""Scan to unlock: from the camera frame that holds the customer's QR code to the last
byte of the unlock frame arriving at the lock board, with 100,000 parcels in the cache.

The real pieces in one process: a kiosk decoder (`make_decoder("auto")` with every
symbology the kiosk camera reads, as the app builds it; pyzbar, OpenCV and a QR-only
zxing side by side), the real `PickupFlow` on the real cache file, and the real
`LockerBank` writing to a pseudo-terminal whose other end is the simulated 8A board.
The end of the measurement is taken on the board's side: the moment the simulator has
the complete unlock frame (unless `--unpaced`, the board also waits for the frame's
wire time at 9600 baud, as a real RS-485 line would take it).

Each scan is split into decode (BGR frame to text), code hash (scrypt with the locker
profile's parameters; production n=16384 and a lighter n=4096 side by side), cache
look-up (profile, parcels by hash, layout), the intent write (audit + outbox, one
fsync'd transaction), the bus (unlock called until the board has the last byte) and
the rest of the flow's own work. The acknowledgement coming back is shown after the
total, since the door is already firing by then. Decoders and KDFs are interleaved
frame by frame on the same scenes, so a busy machine slows them all alike.

A last table runs the first decoder and KDF through the threads the kiosk uses (frame
source at 30 fps, ScanPipeline worker, FlowRunner thread that also polls the doors),
from the moment the source publishes the frame holding the code.

Frames: 640x480 colour camera-like images (scene, perspective, blur, sensor noise) of
`XP1:<locker>:<code>` payloads, generated from a seed with the decode benchmark's
helpers. Frames that a decoder cannot read are counted, not timed.

    .venv/bin/python bench/scan_to_unlock.py [--parcels 100000] [--frames 40]
        [--app-frames 20]
"""

from __future__ import annotations

import argparse
import math
import queue
import random
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _world import LOCKER_ID, Timed, pct, pickup_cache, pty_bank  # noqa: E402
from decode import table  # noqa: E402
from images import background, paste, place_quad, qr_symbol  # noqa: E402

from contract.codes import KdfParams, hash_code  # noqa: E402
from kiosk.flows.cache_store import CacheStore  # noqa: E402
from kiosk.flows.clock import SystemClock  # noqa: E402
from kiosk.flows.pickup import PickupFlow, PickupScreen, PickupSettings  # noqa: E402
from kiosk.flows.runner import FlowRunner  # noqa: E402
from kiosk.scanning import (  # noqa: E402
    CUSTOMER_SYMBOLOGIES,
    Decoder,
    FileSource,
    ScanPipeline,
    ScanResult,
    make_decoder,
)
from locker_driver import LockAddress, OpenConfirmer  # noqa: E402
from locker_driver.protocols import codec_for  # noqa: E402
from locker_driver.sim.model import Emission, SimulatedBank  # noqa: E402

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
    by_frame: dict[int, float] = field(default_factory=dict)  # frame index -> total
    parts: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    ack: list[float] = field(default_factory=list)

    @property
    def totals(self) -> list[float]:
        return list(self.by_frame.values())


class Rig:
    """One locker: a cache file with `parcels` parcels hashed with `kdf`, the stamped
    simulated board on a pty, the real bank and the real pickup flow, with every part
    of a scan timed."""

    def __init__(self, workdir: Path, parcels: int, codes: int, kdf: KdfParams,
                 pace: bool) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.cache, plain = pickup_cache(workdir / "cache.db", parcels, codes, kdf, LOCKS)
        self.codes = iter(plain)
        self.boards = StampedBoards()
        self.world = pty_bank({f"A{n:02d}": LockAddress(1, n) for n in range(1, LOCKS + 1)},
                              self.boards, pace=pace)
        self.spent: dict[str, float] = defaultdict(float)
        self.started: dict[str, float] = {}
        store = Timed(CacheStore(self.cache), {
            "profile": "cache look-up", "parcels_for_code_hash": "cache look-up",
            "compartments": "cache look-up", "record_open_intent": "intent write"},
            self.spent)
        bank = Timed(self.world.bank, {"unlock": "unlock call"}, defaultdict(float),
                     self.started)
        self.flow = PickupFlow(store, bank, SystemClock(), OpenConfirmer,
                               PickupSettings(), hasher=self._hash)
        self.kdf = kdf

    def _hash(self, code: str, salt: str) -> str:
        t0 = time.perf_counter()
        try:
            return hash_code(code, salt, self.kdf)
        finally:
            self.spent["code hash"] += time.perf_counter() - t0

    def scan(self, decoder: Decoder, frame: np.ndarray, result: Result, index: int) -> None:
        """Decode `frame` and, when it reads, run the pickup to the board and back to idle."""
        result.frames += 1
        self.spent.clear()
        t0 = time.perf_counter()
        found = decoder.decode(frame)
        t_decoded = time.perf_counter()
        text = next((d.text for d in found if d.text.startswith("XP1:")), None)
        if text is None:
            return  # not read: the customer holds the phone up a little longer
        seen = len(self.boards.unlock_seen_at)
        view = self.flow.submit_scan(text)
        t_ack = time.perf_counter()
        assert view.screen is PickupScreen.door_opening, view.screen
        t_board = self.boards.unlock_seen_at[seen]
        total = t_board - t0
        split = {"decode": t_decoded - t0, "code hash": self.spent["code hash"],
                 "cache look-up": self.spent["cache look-up"],
                 "intent write": self.spent["intent write"],
                 "bus": t_board - self.started["unlock call"]}
        split["flow, other"] = total - sum(split.values())
        result.by_frame[index] = total
        for part, value in split.items():
            result.parts[part].append(value)
        result.ack.append(t_ack - t_board)
        # The customer takes the parcel and closes the door; back to idle.
        bank = self.world.bank
        while self.flow.view().screen is not PickupScreen.door_open:
            self.flow.on_door_states(bank.read_states())
        self.world.close_door(view.door.label)
        while self.flow.view().screen is not PickupScreen.done:
            self.flow.on_door_states(bank.read_states())
        self.flow.cancel()

    def close(self) -> None:
        self.world.close()
        self.cache.close()


def build_decoder(name: str) -> Decoder:
    """A kiosk decoder by name; "NAME[qr]" reads QR codes only (CUSTOMER_SYMBOLOGIES),
    as a customer screen could, instead of every symbology the kiosk camera reads."""
    if name.endswith("[qr]"):
        return make_decoder(name[:-4], CUSTOMER_SYMBOLOGIES)
    return make_decoder(name)


def run(workdir: Path, parcels: int, frames: int, kdfs: list[int], decoders: list[str],
        seed: int, pace: bool) -> dict[tuple[str, str], Result]:
    """Every (decoder, KDF) pair scans the same `frames` scenes, each with a code of its
    own; interleaved frame by frame, so load from other processes blurs all alike."""
    built = {name: build_decoder(name) for name in decoders}
    labels = {name: f"{name} ({d.name})" if name.startswith("auto") else name
              for name, d in built.items()}
    rigs: dict[str, Rig] = {}
    results: dict[tuple[str, str], Result] = {}
    try:
        for i, n in enumerate(kdfs):
            kdf_name = f"n={n}" + (" (prod)" if i == 0 and n == KdfParams().n else "")
            rigs[kdf_name] = Rig(workdir / kdf_name, parcels, frames * len(decoders),
                                 KdfParams(n=n), pace)
        warm = camera_frame(random.Random(seed), f"XP1:{LOCKER_ID}:00000000")
        for d in built.values():
            d.decode(warm)  # first-call allocations are not scan time
        for index in range(frames):
            for kdf_name, rig in rigs.items():
                for name, decoder in built.items():
                    # The same scene for everyone; only the code's digits differ (same
                    # length, so the same QR version).
                    payload = f"XP1:{LOCKER_ID}:{next(rig.codes)}"
                    frame = camera_frame(random.Random(f"{seed}:{index}"), payload)
                    result = results.setdefault((labels[name], kdf_name), Result())
                    rig.scan(decoder, frame, result, index)
    finally:
        for rig in rigs.values():
            rig.close()
    # Rows grouped by decoder, production KDF first, so they read like the ratios.
    return {(labels[name], k): results[(labels[name], k)]
            for name in decoders for k in rigs if (labels[name], k) in results}


APP_PARTS = ("frame to decoder", "decode", "to the runner", "code hash", "cache look-up",
             "intent write", "bus", "flow, other")


def run_in_app_threads(rig: Rig, decoder: Decoder, frames: int, seed: int) -> Result:
    """The same kind of scan through the threads the kiosk runs it on: a frame source
    at 30 fps ("the camera"), the ScanPipeline decoding the latest frame on its worker,
    the FlowRunner thread that owns the flow and also polls the doors (an unlock can
    wait behind a poll, in the runner or on the bus). The clock starts when the source
    publishes the first frame holding the code. Only Qt's hand-over to the GUI thread
    and back is left out."""
    result = Result()
    offset = time.perf_counter() - time.monotonic()  # frame stamps are monotonic
    blank = cv2.cvtColor(background(random.Random(f"{seed}:blank")), cv2.COLOR_GRAY2BGR)
    source = FileSource(blank, fps=30)
    screens: queue.Queue[PickupScreen] = queue.Queue()
    scans: queue.Queue[tuple[ScanResult, float]] = queue.Queue()
    marks: dict[str, float] = {}

    def submit(text: str) -> object:
        marks["runner"] = time.perf_counter()
        rig.spent.clear()
        return rig.flow.submit_scan(text)

    def wait_for(screen: PickupScreen) -> None:
        deadline = time.monotonic() + 10
        while screens.get(timeout=max(0.0, deadline - time.monotonic())) is not screen:
            pass

    runner = FlowRunner(rig.flow, rig.world.bank, lambda view: screens.put(view.screen))
    pipeline = ScanPipeline(source, lambda r: scans.put((r, time.perf_counter())), decoder)
    runner.start()
    pipeline.start()
    try:
        for index in range(frames):
            payload = f"XP1:{LOCKER_ID}:{next(rig.codes)}"
            result.frames += 1
            seen = len(rig.boards.unlock_seen_at)
            source.show(camera_frame(random.Random(f"{seed}:{index}"), payload))
            try:
                scanned, t_scanned = scans.get(timeout=1.0)
            except queue.Empty:
                source.show(blank)
                continue  # not read within 30 frames
            source.show(blank)
            while not screens.empty():
                screens.get_nowait()
            view = runner.call(submit, scanned.text).result(timeout=10)
            assert view.screen is PickupScreen.door_opening, view.screen
            t_board = rig.boards.unlock_seen_at[seen]
            t_frame = scanned.frame_ts + offset
            total = t_board - t_frame
            split = {"frame to decoder": t_scanned - t_frame - scanned.decode_ms / 1000,
                     "decode": scanned.decode_ms / 1000,
                     "to the runner": marks["runner"] - t_scanned,
                     "code hash": rig.spent["code hash"],
                     "cache look-up": rig.spent["cache look-up"],
                     "intent write": rig.spent["intent write"],
                     "bus": t_board - rig.started["unlock call"]}
            split["flow, other"] = total - sum(split.values())
            result.by_frame[index] = total
            for part, value in split.items():
                result.parts[part].append(value)
            # The customer takes the parcel and closes the door; the runner's own door
            # polls move the flow on, as in the kiosk.
            wait_for(PickupScreen.door_open)
            rig.world.close_door(view.door.label)
            wait_for(PickupScreen.done)
            runner.call(rig.flow.cancel).result(timeout=10)
            time.sleep(random.Random(f"{seed}:{index}").uniform(0.1, 0.4))  # any poll phase
    finally:
        pipeline.stop()
        runner.stop()
    return result


def report_app(result: Result, label: str) -> None:
    print(f"\nin the app's threads ({label}): camera frame published -> last unlock byte "
          "at the board, p50 (p95) of each part, ms\n")
    if not result.totals:
        print(f"no frame read ({result.frames} shown)")
        return
    row = [f"{len(result.totals)}/{result.frames}", ms(pct(result.totals, .5)),
           ms(pct(result.totals, .95)), ms(max(result.totals))]
    row += [f"{ms(pct(result.parts[p], .5))} ({ms(pct(result.parts[p], .95))})"
            for p in APP_PARTS]
    print(table(["read", "p50", "p95", "max", *APP_PARTS], [row]))



def paired(a: Result, b: Result) -> tuple[float, int]:
    """p50 of a / p50 of b over the frames both read, and how many those are."""
    both = sorted(set(a.by_frame) & set(b.by_frame))
    if not both:
        return float("nan"), 0
    return (pct([a.by_frame[i] for i in both], .5)
            / pct([b.by_frame[i] for i in both], .5)), len(both)


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
        whole = math.fsum(r.totals)
        share_rows.append([decoder, kdf] + [f"{math.fsum(r.parts[p]) / whole:.0%}"
                                            for p in PARTS])
    print(table(["decoder", "scrypt", *PARTS], share_rows))

    print("\nratios of p50 totals, each over the frames both sides read")
    keys = list(results)
    base_decoder, prod = keys[0]
    for decoder, kdf in keys:
        if decoder != base_decoder and (base_decoder, kdf) in results:
            ratio, n = paired(results[(decoder, kdf)], results[(base_decoder, kdf)])
            print(f"  {decoder} / {base_decoder}, scrypt {kdf}: {ratio:.2f} ({n} frames)")
    kdfs = list(dict.fromkeys(k for _, k in keys))
    for decoder in dict.fromkeys(d for d, _ in keys):
        if len(kdfs) > 1 and (decoder, kdfs[1]) in results:
            ratio, n = paired(results[(decoder, kdfs[0])], results[(decoder, kdfs[1])])
            print(f"  {decoder}: scrypt {kdfs[0]} / {kdfs[1]}: {ratio:.2f} ({n} frames)")
    r = results[(base_decoder, prod)]
    if r.totals:
        whole = pct(r.totals, .5)
        print(f"  {base_decoder}, scrypt {prod}: hash p50 / total p50 "
              f"{pct(r.parts['code hash'], .5) / whole:.0%}, "
              f"decode p50 / total p50 {pct(r.parts['decode'], .5) / whole:.0%}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parcels", type=int, default=100_000)
    ap.add_argument("--frames", type=int, default=40, help="scans per decoder and KDF")
    ap.add_argument("--decoders", default="auto,pyzbar,opencv,auto[qr]",
                    help="comma-separated; the first is the base of the ratios; "
                         "NAME[qr] reads QR codes only")
    ap.add_argument("--kdf-n", default="16384,4096",
                    help="scrypt n values; the first is production")
    ap.add_argument("--app-frames", type=int, default=20,
                    help="scans through the app's threads (first decoder and KDF); 0: none")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--unpaced", action="store_true",
                    help="the board takes the frame as soon as the pty has it")
    args = ap.parse_args()
    kdfs = [int(v) for v in args.kdf_n.split(",")]
    decoders = args.decoders.split(",")
    with tempfile.TemporaryDirectory(prefix="xp-bench-scan-") as tmp:
        results = run(Path(tmp), args.parcels, args.frames, kdfs, decoders, args.seed,
                      not args.unpaced)
        in_app = None
        if args.app_frames:
            rig = Rig(Path(tmp) / "app", args.parcels, args.app_frames, KdfParams(n=kdfs[0]),
                      not args.unpaced)
            try:
                in_app = run_in_app_threads(rig, build_decoder(decoders[0]), args.app_frames,
                                            args.seed)
            finally:
                rig.close()
    report(results, args.parcels, args.frames, not args.unpaced)
    if in_app is not None:
        report_app(in_app, f"{next(iter(results))[0]}, scrypt n={kdfs[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
