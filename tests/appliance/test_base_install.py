"""`pip install .` without extras is the appliance: a kiosk that starts and a sync worker
that runs, with no web framework installed.

Two halves, each bounded and honest. The base install set itself is read from the
installed package's metadata (its requirements without an extra, and theirs, as pip
would resolve them): none of the central service's libraries is in it. Then the
appliance's real processes run with those libraries made unimportable (an import hook
that refuses them, as a base install would), against a real central service, a
simulated board and a real cache file: the sync worker pulls and pushes, the kiosk
paints its first screen and stops cleanly on SIGTERM.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.crash.world import CrashWorld, wait_until

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CENTRAL_ONLY = ("fastapi", "starlette", "uvicorn", "psycopg", "httptools", "uvloop")


def _closure(name: str, extras: frozenset[str] = frozenset()) -> set[str]:
    """The distributions pip installs for `name[extras]`, from installed metadata."""
    seen: set[str] = set()
    todo = [(name, extras)]
    while todo:
        dist_name, wanted = todo.pop()
        key = dist_name.lower().replace("_", "-")
        if key in seen:
            continue
        seen.add(key)
        try:
            requires = metadata.distribution(dist_name).requires or []
        except metadata.PackageNotFoundError:
            continue  # a marker-excluded or optional one not installed here
        for line in requires:
            req = Requirement(line)
            env_ok = req.marker is None or any(
                req.marker.evaluate({"extra": extra}) for extra in (wanted or {""}))
            if env_ok:
                todo.append((req.name, frozenset(req.extras)))
    return seen


def test_the_base_install_set_holds_no_web_framework() -> None:
    base = _closure("expresspoint")
    assert {"pyserial", "pyside6-essentials", "sqlalchemy", "pydantic"} <= base
    assert not base & set(CENTRAL_ONLY), sorted(base & set(CENTRAL_ONLY))
    central = _closure("expresspoint", frozenset({"central"}))
    assert {"fastapi", "uvicorn"} <= central  # the reader sees an extra when asked


BLOCKER = textwrap.dedent(f"""
    import importlib.abc, sys

    class _BaseInstall(importlib.abc.MetaPathFinder):
        # What a locker's base install does not have: importing it fails as it would there.
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {CENTRAL_ONLY!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None

    sys.meta_path.insert(0, _BaseInstall())
    from kiosk.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def _appliance(*argv: str) -> list[str]:
    return [sys.executable, "-c", BLOCKER, *argv]


@pytest.fixture
def world(tmp_path: Path):  # type: ignore[no-untyped-def]
    w = CrashWorld(tmp_path / "world").start(sync_worker=False)
    yield w
    w.stop()


def test_the_sync_worker_runs_without_the_web_framework(world: CrashWorld) -> None:
    parcel = world.central.announce(size="S")
    done = subprocess.run(_appliance("sync", "--config", str(world.config), "--once"),
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(world.cache_path) as db:
        assert db.execute("SELECT locker_id FROM sync_state").fetchone() == (
            world.central.locker_id,)
        assert db.execute("SELECT state FROM parcel WHERE parcel_id = ?",
                          (parcel.parcel.parcel_id,)).fetchone() == ("expected",)
    assert "ModuleNotFoundError" not in done.stderr


def test_the_kiosk_starts_without_the_web_framework(world: CrashWorld) -> None:
    synced = subprocess.run(_appliance("sync", "--config", str(world.config), "--once"),
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert synced.returncode == 0, synced.stderr
    log = world.workdir / "kiosk-base.log"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("NOTIFY_SOCKET", None)
    with log.open("w") as out:
        kiosk = subprocess.Popen(_appliance("kiosk", "--config", str(world.config),
                                            "--size", "800x480"),
                                 cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        wait_until("the kiosk's first screen", lambda: "first screen shown" in
                   log.read_text() or kiosk.poll() is not None, timeout_s=90)
        assert "first screen shown" in log.read_text(), log.read_text()
    finally:
        kiosk.send_signal(signal.SIGTERM)
        code = kiosk.wait(30)
    assert code == 0, log.read_text()
    assert "Traceback" not in log.read_text()


def test_central_commands_say_which_extra_to_install(tmp_path: Path) -> None:
    done = subprocess.run(_appliance("central", "serve", "--db", str(tmp_path / "c.db")),
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "pip install 'expresspoint[central]'" in done.stderr
    assert "Traceback" not in done.stderr
    listed = subprocess.run(_appliance("central", "--help"), cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert listed.returncode == 0 and "serve" in listed.stdout
