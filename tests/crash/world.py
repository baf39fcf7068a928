"""The crash harness's world: every part a real process.

- the central service (`tests.central_service.CentralService`, fast scrypt),
- a simulated CU16 lock board on a pseudo-terminal (`SimProcess`), whose `state`
  command counts how many times each lock really fired,
- the sync worker (`python -m kiosk sync`), pushing the outbox and pulling parcels,
- the kiosk (`tests/crash/kiosk_child.py`: the real `KioskApp` without a screen),
  started, killed with SIGKILL at a named point, and started again,

all tied by one kiosk.toml and one cache file, as on the appliance.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from locker_driver.sim.process import SimProcess
from tests.central_service import REPO_ROOT, CentralService

CHILD = Path(__file__).with_name("kiosk_child.py")
WAIT_S = 60.0  # generous: the harness shares 2 busy cores with the rest of the suite
LOCKS = 12
PIN = "2468"
COURIER = "C1"


class ChildGone(RuntimeError):
    """The kiosk process ended while the harness waited for a line."""


def wait_until(what: str, predicate: Callable[[], Any], timeout_s: float = WAIT_S) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class KioskChild:
    """One run of the kiosk process; lines on its stdout are read by a thread."""

    def __init__(self, config: Path, log: Path, crash_at: str | None = None) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        env.pop("CRASH_AT", None)
        if crash_at:
            env["CRASH_AT"] = crash_at
        self._log = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(config)], cwd=REPO_ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(self.proc.stdout,), daemon=True).start()
        self.expect("READY")

    def _pump(self, stream: IO[str] | None) -> None:
        assert stream is not None
        for line in stream:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def next_line(self, timeout_s: float = WAIT_S) -> str:
        try:
            line = self.lines.get(timeout=timeout_s)
        except queue.Empty:
            raise AssertionError(f"no line from the kiosk in {timeout_s} s; "
                                 f"last lines: {self.seen[-5:]}") from None
        if line is None:
            raise ChildGone(f"the kiosk exited ({self.proc.wait(10)}); last: {self.seen[-5:]}")
        self.seen.append(line)
        return line

    def expect(self, prefix: str, timeout_s: float = WAIT_S) -> str:
        """Skip lines up to the first one starting with `prefix`."""
        deadline = time.monotonic() + timeout_s
        while True:
            line = self.next_line(max(0.1, deadline - time.monotonic()))
            if line.startswith(prefix):
                return line

    def ask(self, command: str) -> str:
        """Send one command; return its `OK ...` answer (views on the way are skipped)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        while True:
            line = self.next_line()
            if line.startswith("ERR"):
                raise AssertionError(f"{command!r}: {line}")
            if line.startswith("OK"):
                return line[3:]

    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def wait_killed(self) -> str:
        """The MARK line, then the SIGKILL exit."""
        mark = self.expect("MARK")
        assert self.proc.wait(WAIT_S) == -signal.SIGKILL
        self._log.close()
        return mark[5:]

    def quit(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.send("quit")
        try:
            assert self.proc.wait(WAIT_S) == 0, f"kiosk exit code {self.proc.returncode}"
        finally:
            self._log.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(WAIT_S)
        self._log.close()


@dataclass
class CrashWorld:
    workdir: Path
    central: CentralService = field(init=False)
    sim: SimProcess = field(init=False)
    config: Path = field(init=False)
    cache_path: Path = field(init=False)
    sync: subprocess.Popen[bytes] | None = field(init=False, default=None)

    def start(self, *, sync_worker: bool = True) -> CrashWorld:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.central = CentralService(self.workdir / "central").start()
        self.central.put_courier(COURIER, pin=PIN)
        self.sim = SimProcess(protocol="cu16", boards=1, link=self.workdir / "lock-board")
        self.cache_path = self.workdir / "cache.db"
        self.config = self.write_config(self.workdir / "kiosk.toml", self.cache_path)
        if sync_worker:
            self.start_sync()
        return self

    def write_config(self, path: Path, cache: Path) -> Path:
        token = self.workdir / "device.token"
        token.write_text(self.central.device_token + "\n")
        token.chmod(0o600)
        path.write_text(f"""[locker]
id = "{self.central.locker_id}"
name = "Crash test locker"

[central]
url = "{self.central.base_url}"
token_file = "{token}"
timeout_s = 5

[database]
path = "{cache}"

[sync]
pull_interval_s = 0.3
push_interval_s = 0.2
heartbeat_interval_s = 5

[board]
port = "{self.workdir / 'lock-board'}"
protocol = "cu16"

[[layout.columns]]
name = "A"
board = 0
first_lock = 1
sizes = {json.dumps(["S"] * LOCKS)}

[camera]
enabled = false

[ui]
fullscreen = false

[pickup]
idle_poll_interval_s = 0.2

[courier]
idle_poll_interval_s = 0.2
""")
        return path

    def start_sync(self) -> None:
        log = (self.workdir / "sync.log").open("ab")
        self.sync = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "sync", "--config", str(self.config)],
            cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        )
        log.close()

    def stop(self) -> None:
        if self.sync is not None and self.sync.poll() is None:
            self.sync.terminate()
            try:
                self.sync.wait(15)
            except subprocess.TimeoutExpired:
                self.sync.kill()
                self.sync.wait(5)
        self.sim.close()
        self.central.close()

    def announce(self, count: int) -> list[Any]:
        """Parcels announced centrally (size S), once the sync worker has pulled them."""
        parcels = [self.central.announce(size="S") for _ in range(count)]
        wait_until("the sync worker to pull the parcels", lambda: all(
            self.parcel(a.parcel.parcel_id)[0] == "expected" for a in parcels))
        return parcels

    # -- the kiosk --------------------------------------------------------------------

    def kiosk(self, crash_at: str | None = None) -> KioskChild:
        return KioskChild(self.config, self.workdir / "kiosk.log", crash_at)

    # -- the physical world -----------------------------------------------------------

    @staticmethod
    def lock(compartment_id: str) -> int:
        return int(compartment_id[1:])  # column A, board 0, first lock 1

    def board(self) -> dict[str, Any]:
        return self.sim.state()["boards"]["0"]

    def fired(self) -> dict[int, int]:
        return {int(k): v for k, v in self.board()["fired"].items()}

    def is_open(self, compartment_id: str) -> bool:
        return self.lock(compartment_id) in self.board()["open"]

    def open_doors(self) -> list[str]:
        return [f"A{n:02d}" for n in self.board()["open"]]

    def close_door(self, compartment_id: str, *, occupied: bool) -> None:
        """A person shuts the door, having put a parcel in or taken it out."""
        lock = self.lock(compartment_id)
        self.sim.command(f"occupy 0 {lock}{'' if occupied else ' off'}")
        self.sim.command(f"close 0 {lock}")

    def open_by_hand(self, compartment_id: str) -> None:
        self.sim.command(f"open 0 {self.lock(compartment_id)}")

    # -- the cache file, read as a technician would ------------------------------------

    def query(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        con = sqlite3.connect(f"file:{self.cache_path}?mode=ro", uri=True, timeout=30)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def parcel(self, parcel_id: str) -> tuple[str, str | None]:
        if not self.cache_path.exists():
            return ("missing", None)
        try:
            rows = self.query("SELECT state, compartment_id FROM parcel WHERE parcel_id = ?",
                              parcel_id)
        except sqlite3.OperationalError:  # the worker has not created the tables yet
            return ("missing", None)
        return rows[0] if rows else ("missing", None)

    def compartment_state(self, compartment_id: str) -> str:
        return str(self.query("SELECT state FROM compartment WHERE id = ?",
                              compartment_id)[0][0])

    def outbox_settled(self) -> bool:
        """Every event pushed and acknowledged (none rejected)."""
        rows = self.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL "
                          "OR rejected_code IS NOT NULL")
        return rows[0][0] == 0

    def pushed(self) -> None:
        wait_until("the sync worker to push every event", self.outbox_settled)

    def intent_outcomes(self, parcel_id: str) -> list[tuple[int, str]]:
        """(intent id, outcome word) of every door opening for one parcel."""
        intents = [r[0] for r in self.query(
            "SELECT id FROM audit WHERE kind = 'door_open' AND parcel_id = ?", parcel_id)]
        told = [r[0] for r in self.query("SELECT detail FROM audit WHERE kind = 'door_outcome'")]
        out = []
        for i in intents:
            words = [d.split()[2] for d in told if d.startswith(f"intent {i}: ")]
            out.append((i, words[0] if words else ""))
        return out

    def intents_without_outcome(self) -> list[int]:
        intents = [r[0] for r in self.query("SELECT id FROM audit WHERE kind = 'door_open'")]
        told = " ".join(r[0] for r in self.query(
            "SELECT detail FROM audit WHERE kind = 'door_outcome'"))
        return [i for i in intents if f"intent {i}:" not in told]


# -- people at the kiosk ---------------------------------------------------------------


def pending(kiosk: KioskChild) -> list[str]:
    return list(json.loads(kiosk.ask("pending")))


def deposit(kiosk: KioskChild, world: CrashWorld, barcode: str) -> str | None:
    """The courier scans a label; returns the door that opened (None: refused)."""
    answer = kiosk.ask(f"deposit {barcode}")
    if not answer.startswith("deposit_open"):
        assert answer.startswith("deposit_refused"), answer
        return None
    door = answer.split()[1]
    kiosk.expect("VIEW deposit_open ")
    world.close_door(door, occupied=True)
    kiosk.expect("VIEW deposit_scan")
    return door


def pickup(kiosk: KioskChild, world: CrashWorld, qr: str) -> str | None:
    """The customer scans the QR; returns the door that opened (None: refused)."""
    answer = kiosk.ask(f"scan {qr}")
    if not answer.startswith("door_open"):
        # A code whose parcel was picked up is a wrong code like any other.
        assert answer.startswith("unknown_code"), answer
        return None
    door = answer.split()[1]
    kiosk.expect("VIEW door_open ")
    world.close_door(door, occupied=False)
    kiosk.expect("VIEW done")
    return door
