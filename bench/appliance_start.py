"""The appliance's two processes at start: the sync worker and the kiosk, this tree
against another checkout of the product (e.g. an earlier commit), side by side.

Each process is spawned N times, interleaved with the other tree's, against one world
built the way the demo builds it (`kiosk.demo_world`: a seeded central service, the
simulated lock boards on a pty); each tree gets its own cache, synced once by its own
worker first. Time runs from just before the spawn to the process's ready line
(the worker's "sync worker for locker ...", logged once its config and modules are
loaded; the kiosk's "first screen shown", logged once its window has been painted),
and VmRSS is read from /proc/<pid>/status at that moment. The process is then stopped
with SIGTERM.

    git worktree add /tmp/xp-before 7cb0b1a        # or: git archive 7cb0b1a | tar -x -C DIR
    .venv/bin/python bench/appliance_start.py --other /tmp/xp-before [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import kiosk_start  # noqa: E402
from decode import table  # noqa: E402

from kiosk.demo_world import DemoWorld  # noqa: E402

READY = {"sync worker": "sync worker for locker", "kiosk": "first screen shown"}


def start_once(args: list[str], tree: Path, ready: str, env: dict[str, str]
               ) -> tuple[float, int]:
    """(ms to the ready line, VmRSS kB then) of one start of `args` run from `tree`."""
    start = kiosk_start.start_once(args, {**env, "PYTHONPATH": str(tree)}, ready, cwd=tree)
    return start.ms, start.rss_kb


def own_world(world: DemoWorld, folder: Path) -> Path:
    """A copy of the world's config with its own cache file (a tree never opens a cache
    another release migrated)."""
    folder.mkdir(parents=True)
    shutil.copytree(world.workdir / "tokens", folder / "tokens")
    config = folder / "kiosk.toml"
    text = world.config_path.read_text(encoding="utf-8")
    text = re.sub(r"\[camera\]\n(.*\n)*?\n", "[camera]\nsource = \"\"\nenabled = false\n\n",
                  text, count=1)
    config.write_text(text, encoding="utf-8")
    return config


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--other", type=Path, required=True,
                    help="another checkout of the product (e.g. an earlier commit)")
    ap.add_argument("--runs", type=int, default=5, help="starts per process and tree")
    args = ap.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("NOTIFY_SOCKET", None)
    trees = {"this tree": REPO, "other": args.other.resolve()}
    results: dict[tuple[str, str], list[tuple[float, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="xp-bench-appliance-") as tmp:
        world = DemoWorld(Path(tmp) / "world", auto_close_s=None, kdf_n=1024,
                          sync_worker=False).start()
        try:
            commands = {}
            for name, tree in trees.items():
                config = own_world(world, Path(tmp) / name.replace(" ", "-"))
                cli = [sys.executable, "-m", "kiosk"]
                subprocess.run([*cli, "--log-level", "WARNING", "sync", "--config",
                                str(config), "--once"], cwd=tree, check=True, timeout=120,
                               env={**env, "PYTHONPATH": str(tree)})
                commands[(name, "sync worker")] = [*cli, "sync", "--config", str(config)]
                commands[(name, "kiosk")] = [*cli, "kiosk", "--size", "1280x800",
                                             "--config", str(config)]
            for key, command in commands.items():  # warm the page cache: not a cold boot
                start_once(command, trees[key[0]], READY[key[1]], env)
                results[key] = []
            for _ in range(args.runs):
                for key, command in commands.items():
                    results[key].append(start_once(command, trees[key[0]], READY[key[1]],
                                                   env))
        finally:
            world.stop()
    print("# appliance start: sync worker and kiosk, this tree against "
          f"{args.other}")
    print(f"{args.runs} starts each, interleaved, after one warm-up start (page cache "
          f"warm); median; {os.cpu_count()} CPUs; kiosk offscreen 1280x800, camera off\n")
    rows = []
    for process in READY:
        here = results[("this tree", process)]
        there = results[("other", process)]
        ms_here = statistics.median(m for m, _ in here)
        ms_there = statistics.median(m for m, _ in there)
        mb_here = statistics.median(r for _, r in here) / 1024
        mb_there = statistics.median(r for _, r in there) / 1024
        rows.append([process, f"{ms_there:.0f}", f"{ms_here:.0f}",
                     f"{ms_here / ms_there:.2f}", f"{mb_there:.0f}", f"{mb_here:.0f}",
                     f"{mb_here / mb_there:.2f}"])
    print(table(["process", "other ms", "this ms", "ratio", "other MB", "this MB",
                 "ratio"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
