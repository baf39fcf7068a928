"""The demo's world: a seeded central service, a simulated lock bank on a pseudo-serial
port and the sync worker, each a real process, plus the kiosk config that ties them.

Everything lives in one work folder; `DemoWorld.stop()` ends every process it started.
The kiosk itself is started by the caller (`kiosk.demo`), in this process.
"""

from __future__ import annotations

import contextlib
import json
import logging
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract.codes import make_pin_record
from kiosk.config import KioskConfig, load_config
from locker_driver.sim.process import SimProcess

log = logging.getLogger(__name__)

# Three columns of six doors on two CU16 boards; A01, A02 and B01 hold the seeded
# parcels that are ready for pickup.
DEMO_COLUMNS = (
    ("A", 0, 1, ("S", "M", "S", "S", "M", "L")),
    ("B", 0, 7, ("L", "S", "S", "M", "M", "XL")),
    ("C", 1, 1, ("S", "S", "M", "M", "L", "XL")),
)
STORED = ("A01", "A02", "B01")
CONSOLE_OPERATOR = "demo"
TECHNICIAN = ("T01", "Demo Technician", "1357")
START_TIMEOUT_S = 30.0


class DemoError(RuntimeError):
    """A part of the demo could not start; the message says which and why."""


@dataclass
class DemoParcel:
    parcel_id: str
    state: str
    size: str
    compartment_id: str | None
    code: str
    qr_payload: str
    barcode: str
    qr_png: Path


@dataclass
class DemoWorld:
    workdir: Path
    auto_close_s: float | None = 6.0
    kdf_n: int = 16384
    # False: the cache is synced once at start and then left alone (benchmarks).
    sync_worker: bool = True
    config_path: Path = field(init=False)
    central_url: str = field(init=False, default="")
    seed: dict[str, Any] = field(init=False, default_factory=dict)
    parcels: list[DemoParcel] = field(init=False, default_factory=list)
    sim: SimProcess | None = field(init=False, default=None)
    _procs: list[subprocess.Popen[str]] = field(init=False, default_factory=list)
    _stop: threading.Event = field(init=False, default_factory=threading.Event)
    config: KioskConfig | None = field(init=False, default=None)
    console_login: tuple[str, str] = field(init=False, default=("", ""))

    # -- start and stop -------------------------------------------------------------

    def start(self) -> DemoWorld:
        self.workdir.mkdir(parents=True, exist_ok=True)
        try:
            self._seed_central()
            self._serve_central()
            self._start_board()
            self._write_config()
            self._first_sync()
            if self.sync_worker:
                self._start_sync_worker()
        except BaseException:
            self.stop()
            raise
        if self.auto_close_s:
            threading.Thread(target=self._auto_close, name="demo-auto-close", daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for proc in reversed(self._procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in reversed(self._procs):
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        self._procs.clear()
        if self.sim is not None:
            self.sim.close()
            self.sim = None

    def __enter__(self) -> DemoWorld:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- the parts ------------------------------------------------------------------

    @property
    def _central_db(self) -> str:
        return f"sqlite:///{self.workdir / 'central.db'}"

    @property
    def tokens(self) -> Path:
        return self.workdir / "tokens"

    def _cli(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "kiosk", *args]

    def _seed_central(self) -> None:
        # A reused work folder starts over: a stale WAL next to a new database would be
        # replayed into it, and the old cache would hold another seed's parcels.
        for name in ("central.db", "cache.db"):
            for suffix in ("", "-wal", "-shm"):
                (self.workdir / (name + suffix)).unlink(missing_ok=True)
        done = subprocess.run(
            self._cli("--log-level", "WARNING", "central", "seed", "--db", self._central_db,
                      "--deterministic", "--json", "--token-dir", str(self.tokens),
                      "--stored", ",".join(STORED), "--kdf-n", str(self.kdf_n)),
            capture_output=True, text=True, timeout=120,
        )
        if done.returncode != 0:
            raise DemoError(f"seeding the central service failed: {done.stderr.strip()[-800:]}")
        self.seed = json.loads(done.stdout)
        self._add_console_operator()
        # Imported here, not at the top: every `expresspoint` start (the kiosk's too)
        # imports this module to build the parser, and qrcode pulls in Pillow.
        import qrcode

        qr_dir = self.workdir / "qr"
        qr_dir.mkdir(exist_ok=True)
        self.parcels = []
        for p in self.seed["parcels"]:
            png = qr_dir / f"{p['parcel_id']}.png"
            qrcode.make(p["qr_payload"]).save(png)
            self.parcels.append(DemoParcel(
                p["parcel_id"], p["state"], p["size"], p["compartment_id"], p["pickup_code"],
                p["qr_payload"], p["barcode"], png,
            ))
        badge = self.seed["courier"]["badge"]
        qrcode.make(badge).save(qr_dir / "courier-badge.png")

    def _add_console_operator(self) -> None:
        """An admin account for the web console (a fresh password each demo)."""
        import secrets

        name, password = CONSOLE_OPERATOR, "demo-" + secrets.token_urlsafe(9)
        secret = self.tokens / "console.password"
        secret.parent.mkdir(parents=True, exist_ok=True)
        secret.touch(mode=0o600)
        secret.write_text(password + "\n", encoding="utf-8")
        done = subprocess.run(
            self._cli("--log-level", "WARNING", "central", "operator", "add", "--db",
                      self._central_db, "--name", name, "--role", "admin",
                      "--password-file", str(secret)),
            capture_output=True, text=True, timeout=120,
        )
        if done.returncode != 0:
            raise DemoError(f"adding the console operator failed: {done.stderr.strip()[-800:]}")
        self.console_login = (name, password)

    def _spawn(self, args: list[str], name: str) -> subprocess.Popen[str]:
        log_file = (self.workdir / f"{name}.log").open("a", encoding="utf-8")
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log_file, text=True,
                                stdin=subprocess.DEVNULL)
        self._procs.append(proc)
        return proc

    def _serve_central(self) -> None:
        proc = self._spawn(
            self._cli("central", "serve", "--db", self._central_db, "--host", "127.0.0.1",
                      "--port", "0", "--operator-token-file", str(self.tokens / "operator.token"),
                      "--secret-key-file", str(self.tokens / "secret.key")),
            "central",
        )
        line = _first_line(proc, START_TIMEOUT_S)
        if not line or "http://" not in line:
            log_file = self.workdir / "central.log"
            raise DemoError(f"the central service did not start; see {log_file}")
        self.central_url = line[line.index("http://"):].split()[0]
        # Drain the rest so the pipe never fills up.
        threading.Thread(target=_drain, args=(proc,), daemon=True).start()

    def _start_board(self) -> None:
        occupied = [f"{board}:{lock}" for cid, board, lock in self.wiring() if cid in STORED]
        self.sim = SimProcess(
            protocol="cu16", boards=2, link=self.workdir / "lock-board",
            extra_args=["--occupied", *occupied],
        )

    def wiring(self) -> list[tuple[str, int, int]]:
        """(compartment id, board, lock) of every door in the demo layout."""
        out = []
        for name, board, first, sizes in DEMO_COLUMNS:
            for row in range(1, len(sizes) + 1):
                out.append((f"{name}{row:02d}", board, first + row - 1))
        return out

    def _write_config(self) -> None:
        locker = self.seed["lockers"][0]
        tech_id, tech_name, tech_pin = TECHNICIAN
        columns = "\n".join(
            f'[[layout.columns]]\nname = "{name}"\nboard = {board}\nfirst_lock = {first}\n'
            f"sizes = {json.dumps(list(sizes))}\naccessible_rows = [4, 5, 6]\n"
            for name, board, first, sizes in DEMO_COLUMNS
        )
        camera = "0" if Path("/dev/video0").exists() else ""
        text = f"""# Written by `expresspoint demo`; every process of the demo reads it.
[locker]
id = "{locker['locker_id']}"
name = "{locker['name']}"
support_contact = "+44 20 7946 0000 · expresspoint.example/help"

[central]
url = "{self.central_url}"
token_file = "tokens/{locker['locker_id']}.token"
timeout_s = 5

[database]
path = "cache.db"
backup_dir = "backups"

[sync]
pull_interval_s = 3
push_interval_s = 1
heartbeat_interval_s = 10

[board]
port = "{self.workdir / 'lock-board'}"
protocol = "cu16"
polarity = "closed_when_set"

{columns}
[camera]
source = "{camera}"
enabled = {'true' if camera else 'false'}

[ui]
fullscreen = false

[[technicians]]
id = "{tech_id}"
name = "{tech_name}"
pin_hash = "{make_pin_record(tech_pin)}"
"""
        self.config_path = self.workdir / "kiosk.toml"
        self.config_path.write_text(text, encoding="utf-8")
        self.config = load_config(self.config_path)

    def _first_sync(self) -> None:
        done = subprocess.run(
            self._cli("--log-level", "WARNING", "sync", "--config", str(self.config_path),
                      "--once"),
            capture_output=True, text=True, timeout=120,
        )
        if done.returncode != 0:
            raise DemoError(f"the first sync failed: {(done.stdout + done.stderr).strip()[-800:]}")

    def _start_sync_worker(self) -> None:
        proc = self._spawn(self._cli("sync", "--config", str(self.config_path)), "sync")
        threading.Thread(target=_drain, args=(proc,), daemon=True).start()

    # -- the physical world ---------------------------------------------------------

    def address(self, compartment_id: str) -> tuple[int, int]:
        for cid, board, lock in self.wiring():
            if cid == compartment_id.upper():
                return board, lock
        raise KeyError(f"no door {compartment_id} in the demo locker")

    def door(self, action: str, compartment_id: str) -> str:
        """`close`, `open` (by hand: a forced opening), `jam`, `unjam`, `occupy`, `empty`."""
        assert self.sim is not None
        board, lock = self.address(compartment_id)
        command = {"empty": f"occupy {board} {lock} off", "unjam": f"jam {board} {lock} off"}.get(
            action, f"{action} {board} {lock}"
        )
        return self.sim.command(command)

    def _auto_close(self) -> None:
        """Close each door a few seconds after it opens, as a customer or courier would,
        taking the parcel out (or putting one in) on the way."""
        assert self.auto_close_s is not None
        opened_at: dict[tuple[int, int], float] = {}
        while not self._stop.wait(0.5):
            sim = self.sim
            if sim is None:
                return
            try:
                state = sim.state()
            except Exception as exc:  # the simulator is gone: nothing left to close
                log.debug("auto-close stopped: %s", exc)
                return
            now = time.monotonic()
            for key, door in _open_doors(state):
                since = opened_at.setdefault(key, now)
                if now - since >= self.auto_close_s:
                    board, lock = key
                    with contextlib.suppress(Exception):
                        occupied = door.get("occupied", False)
                        sim.command(f"occupy {board} {lock}{' off' if occupied else ''}")
                        sim.command(f"close {board} {lock}")
                    opened_at.pop(key, None)
            for key in list(opened_at):
                if key not in {k for k, _ in _open_doors(state)}:
                    opened_at.pop(key)


def _open_doors(state: dict[str, Any]) -> list[tuple[tuple[int, int], dict[str, Any]]]:
    out = []
    for board_key, board in state.get("boards", {}).items():
        for lock_key, door in board.get("locks", {}).items():
            if door.get("open"):
                out.append(((int(board_key), int(lock_key)), door))
    return out


def _first_line(proc: subprocess.Popen[str], timeout_s: float) -> str | None:
    result: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        result.append(proc.stdout.readline())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout_s)
    return result[0].strip() if result else None


def _drain(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    for _line in proc.stdout:
        pass
