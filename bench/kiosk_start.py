"""Kiosk cold start: time from process start to the first screen, and resident memory.

The real kiosk process (`python -m kiosk kiosk --config ...`, QT_QPA_PLATFORM=offscreen,
1280x800) is started N times against a world built once the way the demo builds it
(`kiosk.demo_world`): a seeded central service, the simulated lock boards on a pty and
a cache synced once; no sync worker runs, so nothing else competes for the CPU. The
kiosk logs "first screen shown after X ms" once its window has first been painted; the
time here is taken from just before the process is spawned to that line, and VmRSS and
VmHWM are read from /proc/<pid>/status at that moment.

Side by side in one run, interleaved so a busy box blurs them all alike:
- the Python interpreter alone (a process that only says it is up),
- a bare PySide6 window of the same size (the floor for any Qt kiosk),
- the kiosk with the camera off, and with the camera reading a QR image file (the
  decoder thread starts with the window).
Then the import cost of the heavy libraries, each alone in a fresh interpreter
(`python -X importtime`), against what the kiosk process had imported by its first
screen, and which import chain pulled each one in.

    .venv/bin/python bench/kiosk_start.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from decode import table  # noqa: E402

from kiosk.demo_world import DemoWorld  # noqa: E402

HEADER = "kiosk cold start to first screen"
FIRST_SCREEN = "first screen shown"
SIZE = (1280, 800)
TIMEOUT_S = 60.0
# The libraries that dominate start-up; the kiosk needs PySide6 and SQLAlchemy (the
# cache), cv2/numpy/zxingcpp only for the camera, and never the central service's
# FastAPI/uvicorn or an HTTP client.
HEAVY = ("PySide6.QtWidgets", "sqlalchemy", "alembic", "cv2", "numpy", "zxingcpp",
         "fastapi", "uvicorn", "requests", "qrcode", "PIL.Image")

BARE_PYTHON = f"""
import sys, time
print({FIRST_SCREEN!r}, file=sys.stderr, flush=True)
time.sleep({TIMEOUT_S})
"""

BARE_WINDOW = f"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication(sys.argv[:1])
window = QLabel("ExpressPoint")
window.resize(*{SIZE})


class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            window.removeEventFilter(self)
            QTimer.singleShot(0, lambda: print({FIRST_SCREEN!r}, file=sys.stderr, flush=True))
        return False


first = FirstPaint()
window.installEventFilter(first)
window.show()
app.exec()
"""


@dataclass
class Start:
    ms: float
    logged_ms: float | None
    rss_kb: int
    hwm_kb: int
    stderr: list[str] = field(default_factory=list)


def status_kb(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def start_once(args: list[str], env: dict[str, str], ready: str = FIRST_SCREEN,
               cwd: Path | None = None) -> Start:
    """Spawn (from `cwd`), wait for the `ready` line on stderr, read the memory, stop
    (SIGTERM)."""
    lines: list[str] = []
    shown = threading.Event()
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    at: list[float] = []

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if not shown.is_set() and ready in line:
                at.append(time.perf_counter())
                shown.set()
            lines.append(line.rstrip("\n"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not shown.wait(TIMEOUT_S):
            raise RuntimeError(f"no {ready!r} after {TIMEOUT_S:.0f} s from "
                               f"{' '.join(args[:6])}: " + "\n".join(lines[-15:]))
        memory = status_kb(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        reader.join(5)
    logged = next((float(m.group(1)) for line in lines
                   if (m := re.search(rf"{FIRST_SCREEN} after (\d+) ms", line))), None)
    return Start((at[0] - t0) * 1000, logged, memory["VmRSS"], memory["VmHWM"], lines)


# -- imports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    depth: int
    name: str
    self_us: int
    cumulative_us: int


def parse_importtime(lines: list[str]) -> list[Imported]:
    """`-X importtime` lines, in the order Python prints them (children first)."""
    out = []
    for line in lines:
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        parts = line[len("import time:"):].split("|")
        if len(parts) != 3:
            continue
        raw = parts[2][1:]  # one space after the bar, then two per nesting level
        depth = (len(raw) - len(raw.lstrip(" "))) // 2
        out.append(Imported(depth, raw.strip(), int(parts[0]), int(parts[1])))
    return out


def chain(entries: list[Imported], name: str) -> list[str]:
    """The import path that first loaded `name`: outermost module first."""
    for i, e in enumerate(entries):
        if e.name == name:
            path, depth = [e.name], e.depth
            for parent in entries[i + 1:]:  # a parent is printed after its children
                if parent.depth < depth:
                    path.append(parent.name)
                    depth = parent.depth
                if depth == 0:
                    break
            return path[::-1]
    return []


def alone_ms(module: str, repeat: int) -> float:
    """Cumulative import time of `module` in a fresh interpreter (fastest of `repeat`)."""
    best = float("inf")
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                              capture_output=True, text=True, timeout=120)
        found = [e for e in parse_importtime(done.stderr.splitlines()) if e.name == module]
        if found:
            best = min(best, found[-1].cumulative_us / 1000)
    return best


# -- report ----------------------------------------------------------------------------


def med(values: list[float]) -> float:
    return statistics.median(values)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="starts per variant")
    ap.add_argument("--import-repeat", type=int, default=3,
                    help="fresh interpreters per library import (fastest kept)")
    args = ap.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("NOTIFY_SOCKET", None)
    with tempfile.TemporaryDirectory(prefix="xp-bench-start-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        # The demo's world after its first sync, without a running sync worker.
        world = DemoWorld(work / "world", auto_close_s=None, kdf_n=1024,
                          sync_worker=False).start()
        built_s = time.perf_counter() - t0
        try:
            camera_off = world.config_path.read_text(encoding="utf-8")
            camera_off = re.sub(r"\[camera\]\n(.*\n)*?\n", "[camera]\nsource = \"\"\n"
                                "enabled = false\n\n", camera_off, count=1)
            world.config_path.write_text(camera_off, encoding="utf-8")
            camera_on = world.config_path.with_name("kiosk-camera.toml")
            camera_on.write_text(camera_off.replace(
                "[camera]\nsource = \"\"\nenabled = false",
                f"[camera]\nsource = \"{world.parcels[0].qr_png}\"\nenabled = true"),
                encoding="utf-8")
            kiosk = [sys.executable, "-m", "kiosk", "kiosk", "--size", f"{SIZE[0]}x{SIZE[1]}",
                     "--config"]
            variants = {
                "python interpreter": [sys.executable, "-c", BARE_PYTHON],
                "bare PySide6 window": [sys.executable, "-c", BARE_WINDOW],
                "kiosk, camera off": [*kiosk, str(world.config_path)],
                "kiosk, camera on (file)": [*kiosk, str(camera_on)],
            }
            starts: dict[str, list[Start]] = {name: [] for name in variants}
            for command in variants.values():  # warm the page cache: not a cold boot
                start_once(command, env)
            for _ in range(args.runs):
                for name, command in variants.items():
                    starts[name].append(start_once(command, env))
            traced = start_once([sys.executable, "-X", "importtime", *kiosk[1:],
                                 str(world.config_path)], env)
        finally:
            world.stop()
    report(starts, traced, args, built_s)
    return 0


def report(starts: dict[str, list[Start]], traced: Start, args: argparse.Namespace,
           built_s: float) -> None:
    print(f"# {HEADER}")
    print(f"{args.runs} starts per variant, interleaved, after one warm-up start each "
          f"(page cache warm); QT_QPA_PLATFORM=offscreen, {SIZE[0]}x{SIZE[1]}, "
          f"{os.cpu_count()} CPUs; world built in {built_s:.1f} s\n")
    floor = med([s.ms for s in starts["bare PySide6 window"]])
    floor_rss = med([s.rss_kb for s in starts["bare PySide6 window"]])
    rows = []
    for name, runs in starts.items():
        ms = [s.ms for s in runs]
        logged = [s.logged_ms for s in runs if s.logged_ms is not None]
        rss = med([s.rss_kb for s in runs])
        rows.append([name, f"{med(ms):.0f}", f"{min(ms):.0f}", f"{max(ms):.0f}",
                     f"{med(logged):.0f}" if logged else "-",
                     f"{rss / 1024:.0f}", f"{med([s.hwm_kb for s in runs]) / 1024:.0f}",
                     f"{med(ms) / floor:.2f}x", f"{rss / floor_rss:.2f}x"])
    print(table(["variant", "first screen p50 ms", "min", "max", "kiosk log ms",
                 "VmRSS MiB", "VmHWM MiB", "time / bare window", "RSS / bare window"],
                rows))

    entries = parse_importtime(traced.stderr)
    total_ms = sum(e.self_us for e in entries) / 1000
    print(f"\nimports: each library alone in a fresh interpreter (fastest of "
          f"{args.import_repeat}) against the kiosk process up to its first screen "
          f"(camera off; {total_ms:.0f} ms importing in all, under -X importtime)\n")
    rows = []
    for module in HEAVY:
        root = module.split(".")[0]
        alone = alone_ms(module, args.import_repeat)
        mine = [e for e in entries if e.name.split(".")[0] == root]
        importers: list[str] = []
        if mine:
            path = chain(entries, mine[0].name)
            importers = path[:next(i for i, n in enumerate(path) if n.split(".")[0] == root)]
        rows.append([module, f"{alone:.0f}",
                     f"yes, {sum(e.self_us for e in mine) / 1000:.0f} ms" if mine else "no",
                     " > ".join(importers) if mine else ""])
    print(table(["library", "alone ms (with its dependencies)",
                 "in the kiosk (its own modules)", "first pulled in by"], rows))

    by_root: dict[str, int] = {}
    for e in entries:
        root = e.name.split(".")[0]
        by_root[root] = by_root.get(root, 0) + e.self_us
    top = sorted(by_root.items(), key=lambda kv: -kv[1])[:10]
    print("\nthe kiosk's import time by top-level package (self time, ms)\n")
    print(table(["package", "ms", "share"],
                [[root, f"{us / 1000:.0f}", f"{us / 1000 / total_ms:.0%}"] for root, us in top]))

    kiosk = med([s.ms for s in starts["kiosk, camera off"]])
    camera = med([s.ms for s in starts["kiosk, camera on (file)"]])
    python = med([s.ms for s in starts["python interpreter"]])
    print(f"\nratios: kiosk (camera off) / bare window {kiosk / floor:.2f}; "
          f"camera on / camera off {camera / kiosk:.2f}; "
          f"bare window / interpreter {floor / python:.2f}; "
          f"kiosk above the bare window: {kiosk - floor:.0f} ms, "
          f"{(med([s.rss_kb for s in starts['kiosk, camera off']]) - floor_rss) / 1024:.0f} MiB")

if __name__ == "__main__":
    sys.exit(main())
