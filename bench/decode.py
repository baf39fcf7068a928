"""Decode rate and time per frame of every decoder, side by side, on a generated set of
degraded 640x480 grey frames and on the real photos in shared/data/barcode-samples.

"zxing (one pass)" is the kiosk's decoder before the second chance: zxing-cpp's full
pass alone. "zxing" (the kiosk's default) adds a global-histogram pass for QR codes
when the first pass reads nothing. The last lines print the real-photo decode
rate and the empty-frame cost of both side by side.

    .venv/bin/python bench/decode.py [--frames 40] [--seed 2026] [--threads 1]

The figures chose the default decoder (see docs/scanning.md). Nothing here is a test:
it prints, it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import queue
import statistics
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from images import CONDITIONS, Sample, generate  # noqa: E402

from kiosk.scanning import (  # noqa: E402
    Decoder,
    FileSource,
    ScanPipeline,
    Symbology,
    make_decoder,
)
from kiosk.scanning.decoders import PyzbarDecoder, ZxingDecoder  # noqa: E402

DEFAULT_SAMPLES = REPO.parent / "shared/data/barcode-samples"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


@dataclass
class Score:
    hits: int = 0
    wrong: int = 0  # a decode whose text is not the expected one (a misread)
    total: int = 0
    ms: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 0.0

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.ms) if self.ms else 0.0

    @property
    def p95_ms(self) -> float:
        return float(np.percentile(self.ms, 95)) if self.ms else 0.0


def build_decoders(names: list[str]) -> dict[str, Decoder]:
    """The product decoders (all kiosk symbologies) plus QR-only variants of the two
    multi-format libraries, to show what scanning for 1D labels costs."""
    decoders: dict[str, Decoder] = {}
    for name in names:
        if name == "zxing (one pass)":
            decoders[name] = ZxingDecoder(second_pass=False)
        elif name == "zxing[qr]":
            decoders[name] = ZxingDecoder({Symbology.QR})
        elif name == "pyzbar[qr]":
            decoders[name] = PyzbarDecoder({Symbology.QR})
        else:
            decoders[name] = make_decoder(name)
    return decoders


def timed(decoder: Decoder, image: np.ndarray, repeat: int) -> tuple[list, float]:
    """Decode `repeat` times and keep the fastest: on a shared 2-core box the minimum is
    the decoder's cost, the rest is other processes."""
    best = float("inf")
    found: list = []
    for _ in range(repeat):
        started = time.perf_counter()
        found = decoder.decode(image)
        best = min(best, (time.perf_counter() - started) * 1000)
    return found, best


def score(decoder: Decoder, samples: list[Sample], repeat: int) -> Score:
    result = Score()
    for sample in samples:
        found, ms = timed(decoder, sample.image, repeat)
        result.ms.append(ms)
        texts = [d.text for d in found]
        result.total += 1
        if sample.expected is not None and sample.expected in texts:
            result.hits += 1
        result.wrong += sum(t != sample.expected for t in texts)
    return result


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), sep, *(line(r) for r in rows)])


def run_generated(
    decoders: dict[str, Decoder], frames: int, seed: int, repeat: int
) -> dict[str, dict]:
    print(f"\n## Generated set: {frames} frames per condition, 640x480 grey, seed {seed}\n")
    started = time.perf_counter()
    sets = {c: list(generate(c, frames, seed)) for c in CONDITIONS}
    print(f"(generated in {time.perf_counter() - started:.1f} s)\n")
    for decoder in decoders.values():  # warm-up: first-call allocations are not decode time
        decoder.decode(sets["clean"][0].image)
    scores = {
        name: {c: score(d, s, repeat) for c, s in sets.items()} for name, d in decoders.items()
    }
    names = list(decoders)
    rows = []
    for condition in CONDITIONS:
        row = [condition]
        for name in names:
            sc = scores[name][condition]
            rate = "-" if condition == "empty" else f"{sc.rate:4.0%}"
            row.append(f"{rate} {sc.mean_ms:6.2f} ms")
        rows.append(row)
    print("decode rate and mean ms/frame (empty: ms only)\n")
    print(table(["condition", *names], rows))

    qr_conditions = [c for c in CONDITIONS if c not in ("empty", "code128_label")]
    summary = []
    base = names[0]
    for name in names:
        hits = sum(scores[name][c].hits for c in qr_conditions)
        total = sum(scores[name][c].total for c in qr_conditions)
        all_ms = [m for c in qr_conditions for m in scores[name][c].ms]
        empty = scores[name]["empty"]
        wrong = sum(scores[name][c].wrong for c in CONDITIONS)
        summary.append(
            [
                name,
                f"{hits}/{total} ({hits / total:.0%})",
                f"{statistics.fmean(all_ms):.2f}",
                f"{empty.mean_ms:.2f} (p95 {empty.p95_ms:.2f})",
                f"{empty.mean_ms / scores[base]['empty'].mean_ms:.1f}x",
                str(wrong),
            ]
        )
    print("\nsummary over the QR conditions; ratios against", base, "\n")
    print(
        table(
            ["decoder", "QR decoded", "ms/frame", "empty frame ms", "empty vs " + base, "misreads"],
            summary,
        )
    )
    return scores


def expected_text(image: Path) -> str | None:
    """IMAGE.txt holds the exact text; IMAGE.result.txt a `text=` line (the samples'
    README). None when neither names the text."""
    plain = image.with_suffix(".txt")
    if plain.exists():
        return plain.read_bytes().decode("utf-8", errors="replace")
    result = image.with_name(image.stem + ".result.txt")
    if result.exists():
        for line in result.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("text="):
                return line[len("text="):]
    return None


def load_real(folder: Path) -> list[Sample]:
    samples = []
    for image in sorted(folder.iterdir()):
        text = expected_text(image)
        if image.suffix.lower() not in IMAGE_SUFFIXES or text is None:
            continue
        gray = cv2.imread(str(image), cv2.IMREAD_GRAYSCALE)
        if gray is None:
            continue
        samples.append(Sample(folder.name, gray, text))
    return samples


def run_real(decoders: dict[str, Decoder], root: Path, repeat: int) -> dict[str, tuple[int, int]]:
    print(f"\n## Real photos: {root}\n")
    totals: dict[str, tuple[int, int]] = {}
    if not root.is_dir():
        print("not found; pass --samples DIR")
        return totals
    names = list(decoders)
    rows = []
    union_rows = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        samples = load_real(folder)
        row = [f"{folder.name} ({len(samples)})"]
        per_sample_hits: dict[str, list[bool]] = {}
        for name in names:
            hits = []
            ms = []
            for s in samples:
                found, best = timed(decoders[name], s.image, repeat)
                ms.append(best)
                hits.append(s.expected in [d.text for d in found])
            per_sample_hits[name] = hits
            done, seen = totals.get(name, (0, 0))
            totals[name] = (done + sum(hits), seen + len(hits))
            row.append(f"{sum(hits)} ({statistics.fmean(ms):.1f} ms)")
        rows.append(row)
        if "zxing" in per_sample_hits and "pyzbar" in per_sample_hits:
            both = sum(
                a or b
                for a, b in zip(per_sample_hits["zxing"], per_sample_hits["pyzbar"], strict=True)
            )
            union_rows.append(f"{folder.name}: zxing or pyzbar {both}/{len(samples)}")
    print("exact decodes (mean ms per image; images are larger than 640x480)\n")
    print(table(["set", *names], rows))
    if union_rows:
        print("\nzxing or pyzbar on every frame:", "; ".join(union_rows))
    return totals


def run_pipeline_latency(decoders: dict[str, Decoder], trials: int, seed: int) -> None:
    """Frame captured -> on_scan called, through FileSource and ScanPipeline at 30 fps:
    the scanning share of scan-to-unlock, including waiting for the worker."""
    print(f"\n## Pipeline: frame with the code -> on_scan, {trials} codes at 30 fps\n")
    codes = [s for s in generate("clean", trials, seed)]
    blank = next(generate("empty", 1, seed)).image
    rows = []
    for name, decoder in decoders.items():
        if name.endswith("[qr]"):
            continue
        latencies: list[float] = []
        got: queue.Queue[tuple[float, float]] = queue.Queue()
        source = FileSource(blank, fps=30)
        pipeline = ScanPipeline(
            source,
            lambda r, q=got: q.put((time.monotonic(), r.frame_ts)),  # type: ignore[misc]
            decoder,
            dedup_window_s=0.0,
        )
        pipeline.start()
        try:
            for sample in codes:
                source.show(sample.image)
                try:
                    called, frame_ts = got.get(timeout=1.0)
                except queue.Empty:
                    continue  # this decoder cannot read this frame
                latencies.append((called - frame_ts) * 1000)
                source.show(blank)
                time.sleep(0.1)
                while not got.empty():
                    got.get()
        finally:
            pipeline.stop()
        if latencies:
            p50, p95 = np.percentile(latencies, [50, 95])
            rows.append([name, f"{len(latencies)}/{trials}", f"{p50:.1f}", f"{p95:.1f}"])
        else:
            rows.append([name, f"0/{trials}", "-", "-"])
    print(table(["decoder", "read", "p50 ms", "p95 ms"], rows))


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=40, help="frames per condition")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--threads", type=int, default=1, help="OpenCV threads (kiosk: 1)")
    parser.add_argument("--repeat", type=int, default=3, help="decodes per frame; min is kept")
    parser.add_argument(
        "--decoders",
        default="zxing (one pass),zxing,pyzbar,opencv,opencv-aruco,zxing[qr],pyzbar[qr]",
        help="comma-separated; the first is the base of the ratios",
    )
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES)
    parser.add_argument("--latency-trials", type=int, default=20)
    args = parser.parse_args()
    cv2.setNumThreads(args.threads)

    print("# Decode benchmark")
    print(
        f"zxing-cpp {_version('zxing-cpp')}, pyzbar {_version('pyzbar')}, "
        f"OpenCV {cv2.__version__}, {os.cpu_count()} CPUs, OpenCV threads {args.threads}"
    )
    decoders = build_decoders(args.decoders.split(","))
    print(f"time per frame: fastest of {args.repeat} decodes")
    run_generated(decoders, args.frames, args.seed, args.repeat)
    real = run_real(decoders, args.samples, args.repeat)
    if args.latency_trials:
        run_pipeline_latency(decoders, args.latency_trials, args.seed)
    if real:
        run_before_after(real, args.frames, args.seed, max(args.repeat, 5))
    return 0


def run_before_after(
    real: dict[str, tuple[int, int]], frames: int, seed: int, repeat: int
) -> None:
    """The kiosk's decoders before and after, timed on the same frames in turn (so a
    busy minute on the box hits them alike): the one-pass decoder every screen used,
    the courier and technician screens' decoder (every symbology, second pass) and the
    customer screen's (QR only)."""
    variants = {
        "before: every symbology, one pass": ZxingDecoder(second_pass=False),
        "staff screens: every symbology": ZxingDecoder(),
        "customer screen: QR only": ZxingDecoder({Symbology.QR}),
    }
    sets = {c: [s.image for s in generate(c, frames, seed)] for c in ("empty", "clean")}
    best: dict[str, dict[str, list[float]]] = {n: {c: [] for c in sets} for n in variants}
    for condition, images in sets.items():
        for image in images:
            for name, decoder in variants.items():
                best[name][condition].append(timed(decoder, image, 1)[1])
            for turn in range(repeat - 1):  # interleaved repeats; the minimum is kept
                order = list(variants.items())
                order = order[turn % len(order):] + order[: turn % len(order)]
                for name, decoder in order:
                    ms = timed(decoder, image, 1)[1]
                    best[name][condition][-1] = min(best[name][condition][-1], ms)
    print(f"\n## Before and after, timed in turn on the same frames (fastest of {repeat})\n")
    base = statistics.fmean(best["before: every symbology, one pass"]["empty"])
    rows = []
    for name in variants:
        empty = statistics.fmean(best[name]["empty"])
        rows.append([name, f"{empty:.2f}", f"{empty / base:.2f}x",
                     f"{statistics.fmean(best[name]['clean']):.2f}"])
    print(table(["decoder", "empty frame ms", "vs before", "frame with a QR code ms"], rows))
    # The second pass alone, as ZxingDecoder runs it when the first pass reads nothing:
    # a difference of two noisy figures above cannot show a cost this small.
    import zxingcpp

    qr = zxingcpp.BarcodeFormats([zxingcpp.BarcodeFormat.QRCode])
    alone = []
    for image in sets["empty"]:
        fastest = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            zxingcpp.read_barcodes(image, formats=qr, binarizer=zxingcpp.Binarizer.GlobalHistogram,
                                   try_rotate=False, try_downscale=False, try_invert=False)
            fastest = min(fastest, (time.perf_counter() - started) * 1000)
        alone.append(fastest)
    extra = statistics.fmean(alone)
    print(f"\nthe second pass alone on an empty frame: {extra:.3f} ms = {extra / base:.1%} of "
          "the first pass (every symbology)")
    one, two = real.get("zxing (one pass)"), real.get("zxing")
    if one and two:
        print(f"\nreal photos decoded: before {one[0]}/{one[1]}, after {two[0]}/{two[1]}")


if __name__ == "__main__":
    sys.exit(main())
