"""The real central service as a separate process, for any test that needs one.

    from tests.central_service import CentralService

    with CentralService(tmp_path) as central:          # SQLite file in tmp_path
        parcel = central.announce(size="M")            # plain code: parcel.pickup_code
        ...                                            # point the sync worker at
        central.kill()                                 # central.base_url with
        central.start()                                # central.device_token
        assert central.events()                        # what the server stored

Or as pytest fixtures: import them into a conftest.py or test module
(`from tests.central_service import central_service, postgres_cluster  # noqa: F401`).

The process is `python -m central serve` on 127.0.0.1 with a port reserved when the
object is created, so `base_url` is known (and stable across restarts) before the
service runs: "server down at start" is simply a test that starts it later. `kill()`
sends SIGKILL; `stop()` shuts down gracefully. The locker is created over HTTP on the
first start with fast scrypt parameters (n=1024) so hashing in tests stays cheap.

`TempPostgres` starts a throwaway PostgreSQL cluster from the Debian packages
(initdb/pg_ctl, run as the `postgres` user when we are root).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from central.operator_client import OperatorApiError, OperatorClient
from contract.codes import KdfParams
from contract.wire import (
    CodeKdf,
    CommandRecord,
    CommandRequest,
    CommandType,
    Courier,
    CourierPage,
    CourierRecord,
    CourierUpsert,
    EventRecord,
    EventResult,
    LockerCreate,
    LockerProfile,
    Parcel,
    ParcelAnnounce,
    ParcelAnnounced,
    ParcelPage,
    ParcelSize,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
FAST_KDF = KdfParams(n=1024, r=8, p=1, dklen=32)
START_TIMEOUT_S = 30.0

__all__ = [
    "FAST_KDF",
    "CentralService",
    "CentralStartError",
    "OperatorApiError",
    "PostgresUnavailable",
    "TempPostgres",
    "central_service",
    "central_service_factory",
    "free_port",
    "postgres_cluster",
]


class CentralStartError(RuntimeError):
    """The service process did not come up; the message holds its log tail."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class CentralService:
    """One central service process with one locker (more via `add_locker`)."""

    def __init__(
        self,
        workdir: Path,
        *,
        db_url: str | None = None,
        locker_id: str = "XP-TEST-01",
        kdf: KdfParams = FAST_KDF,
        port: int | None = None,
        sweep_interval_s: float = 0.0,
        extra_env: dict[str, str] | None = None,
        operator_token: str | None = None,
        device_token: str | None = None,
        create_locker: bool = True,
        workers: int = 1,
        extra_args: list[str] | None = None,
    ) -> None:
        """`create_locker=False` with the tokens of an already seeded database (for
        example from `expresspoint central seed`) skips the locker set-up."""
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.db_url = db_url or f"sqlite:///{self.workdir / 'central.db'}"
        self.locker_id = locker_id
        self.kdf = kdf
        self.port = port or free_port()
        self.sweep_interval_s = sweep_interval_s
        self.extra_env = extra_env or {}
        self.workers = workers
        self.extra_args = list(extra_args or [])
        self.operator_token_file = self.workdir / "operator.token"
        self.operator_token = operator_token or f"xpt_op_{uuid.uuid4().hex}"
        self.operator_token_file.write_text(self.operator_token + "\n", encoding="utf-8")
        self.device_token = device_token or ""
        self.log_path = self.workdir / "central.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._seeded = not create_locker
        self._order_counter = 0
        self.operator = OperatorClient(self.base_url, self.operator_token)

    # ------------------------------------------------------------------ process

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def command_line(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "central",
            "--log-level",
            "INFO",
            "serve",
            "--db",
            self.db_url,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--operator-token-file",
            str(self.operator_token_file),
            "--sweep-interval",
            str(self.sweep_interval_s),
            "--workers",
            str(self.workers),
            *self.extra_args,
        ]

    def start(self, timeout_s: float = START_TIMEOUT_S) -> CentralService:
        """Start the process, wait until it answers, seed the locker on first start."""
        if self.running:
            return self
        env = {**os.environ, **self.extra_env}
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p
        )
        with self.log_path.open("ab") as log:
            log.write(f"--- start {datetime.now(UTC).isoformat()}\n".encode())
            log.flush()
            self._proc = subprocess.Popen(
                self.command_line(),
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=REPO_ROOT,
                env=env,
                # its own process group, so kill() also reaches worker processes
                start_new_session=True,
            )
        self._wait_ready(timeout_s)
        if not self._seeded:
            self._seed()
        return self

    def _wait_ready(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                raise CentralStartError(
                    f"central service exited with {self._proc.returncode}:\n{self.log_tail()}"
                )
            try:
                if requests.get(self.base_url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        self.kill()
        raise CentralStartError(f"central service not ready in {timeout_s} s:\n{self.log_tail()}")

    def _seed(self) -> None:
        self.add_locker(self.locker_id, primary=True)
        self._seeded = True

    def kill(self) -> None:
        """SIGKILL: the abrupt end (power cut, OOM killer)."""
        if self._proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait(timeout=10)
        self._proc = None

    def stop(self) -> None:
        """SIGTERM and wait; SIGKILL if it does not stop in 10 s."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=10)
        if self._proc is not None:
            # whatever is left of the group (a stuck worker) goes the hard way
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait(timeout=10)
        self._proc = None

    def restart(self) -> CentralService:
        self.stop()
        return self.start()

    def close(self) -> None:
        self.stop()
        self.operator.close()

    def __enter__(self) -> CentralService:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    # ------------------------------------------------------------------ operator side

    def add_locker(self, locker_id: str, *, primary: bool = False) -> tuple[LockerProfile, str]:
        """Register a locker (fast KDF) and issue its device token."""
        profile = self.operator.create_locker(
            LockerCreate(
                locker_id=locker_id,
                name=f"Test locker {locker_id}",
                address="1 Test Street",
                timezone="UTC",
                code_kdf=CodeKdf.from_params(self.kdf),
                layout={"S": 4, "M": 4, "L": 2, "XL": 1},
            )
        )
        token = self.operator.issue_device_token(locker_id)
        if primary:
            self.device_token = token
        return profile, token

    def profile(self, locker_id: str | None = None) -> LockerProfile:
        return self.operator.profile(locker_id or self.locker_id)

    def announce(
        self,
        *,
        size: ParcelSize | str = ParcelSize.M,
        order_ref: str | None = None,
        barcode: str | None = None,
        locker_id: str | None = None,
        recipient_hint: str | None = "T. Tester",
        pickup_deadline: datetime | None = None,
        pickup_days: int = 7,
        accessible: bool = False,
    ) -> ParcelAnnounced:
        """Announce a parcel; the answer holds the plain code (`.pickup_code`)."""
        self._order_counter += 1
        n = f"{self._order_counter:05d}-{uuid.uuid4().hex[:6]}"
        return self.operator.announce(
            ParcelAnnounce(
                locker_id=locker_id or self.locker_id,
                order_ref=order_ref or f"ORD-{n}",
                size=ParcelSize(size),
                barcode=barcode or f"JJD{n}",
                recipient_hint=recipient_hint,
                pickup_deadline=pickup_deadline,
                pickup_days=pickup_days,
                accessible=accessible,
            )
        )

    def cancel(self, parcel_id: str) -> Any:
        return self.operator.cancel(parcel_id)

    def expire(self, parcel_id: str) -> Any:
        return self.operator.expire(parcel_id)

    def parcel(self, parcel_id: str) -> Any:
        return self.operator.parcel(parcel_id)

    def put_courier(
        self,
        courier_id: str,
        *,
        name: str = "Test Courier",
        pin: str | None = "2468",
        badge: str | None = None,
        active: bool = True,
        locker_ids: list[str] | None = None,
    ) -> CourierRecord:
        return self.operator.put_courier(
            courier_id,
            CourierUpsert(
                name=name,
                pin=pin,
                badge=badge,
                active=active,
                locker_ids=locker_ids if locker_ids is not None else [self.locker_id],
            ),
        )

    def queue_command(
        self,
        type: CommandType | str,
        compartment_id: str | None = None,
        reason: str = "test",
        ttl_s: int = 3600,
        locker_id: str | None = None,
    ) -> CommandRecord:
        return self.operator.queue_command(
            locker_id or self.locker_id,
            CommandRequest(
                type=CommandType(type), compartment_id=compartment_id, reason=reason, ttl_s=ttl_s
            ),
        )

    def commands(self, locker_id: str | None = None) -> list[CommandRecord]:
        return self.operator.commands(locker_id or self.locker_id).commands

    def events(
        self, locker_id: str | None = None, types: list[str] | None = None
    ) -> list[EventRecord]:
        """Every event the server stored for the locker, in the order it received them."""
        return list(self.operator.iter_events(locker_id or self.locker_id, types=types))

    def revoke_device_token(self, locker_id: str | None = None) -> None:
        self.operator.revoke_device_tokens(locker_id or self.locker_id)

    def issue_device_token(self, locker_id: str | None = None) -> str:
        token = self.operator.issue_device_token(locker_id or self.locker_id)
        if locker_id in (None, self.locker_id):
            self.device_token = token
        return token

    # ------------------------------------------------------------------ the locker's view

    def device_get(self, path: str, token: str | None = None, **params: Any) -> requests.Response:
        return requests.get(
            self.base_url + path,
            params=params,
            headers={"Authorization": f"Bearer {token or self.device_token}"},
            timeout=10,
        )

    def device_post(self, path: str, body: Any, token: str | None = None) -> requests.Response:
        return requests.post(
            self.base_url + path,
            json=body,
            headers={"Authorization": f"Bearer {token or self.device_token}"},
            timeout=30,
        )

    def parcels(self, locker_id: str | None = None) -> dict[str, Parcel]:
        """The server's current view of the locker's parcels (a full pull), by id."""
        lid = locker_id or self.locker_id
        out: dict[str, Parcel] = {}
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 1000}
            if cursor:
                params["cursor"] = cursor
            resp = self.device_get(
                f"/v1/lockers/{lid}/parcels", token=self._token_for(lid), **params
            )
            resp.raise_for_status()
            page = ParcelPage.model_validate(resp.json())
            out.update({p.parcel_id: p for p in page.parcels})
            cursor = page.next_cursor
            if not page.has_more:
                return out

    def couriers(self, locker_id: str | None = None) -> dict[str, Courier]:
        lid = locker_id or self.locker_id
        out: dict[str, Courier] = {}
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 1000}
            if cursor:
                params["cursor"] = cursor
            resp = self.device_get(
                f"/v1/lockers/{lid}/couriers", token=self._token_for(lid), **params
            )
            resp.raise_for_status()
            page = CourierPage.model_validate(resp.json())
            out.update({c.courier_id: c for c in page.couriers})
            cursor = page.next_cursor
            if not page.has_more:
                return out

    def _token_for(self, locker_id: str) -> str:
        # Full pulls of any locker go through the operator token (it may read all).
        return self.device_token if locker_id == self.locker_id else self.operator_token

    def push_events(self, events: list[dict[str, Any]]) -> EventResult:
        """Push events as the locker would (dicts shaped like wire.Event)."""
        resp = self.device_post(f"/v1/lockers/{self.locker_id}/events", {"events": events})
        resp.raise_for_status()
        return EventResult.model_validate(resp.json())

    @staticmethod
    def make_event(
        type: str,
        seq: int,
        *,
        parcel_id: str | None = None,
        compartment_id: str | None = None,
        actor_kind: str = "system",
        actor_id: str | None = None,
        data: dict[str, Any] | None = None,
        occurred_at: datetime | None = None,
        event_id: str | None = None,
    ) -> dict[str, Any]:
        return {
            "event_id": event_id or str(uuid.uuid4()),
            "seq": seq,
            "type": type,
            "occurred_at": (occurred_at or datetime.now(UTC)).isoformat(),
            "parcel_id": parcel_id,
            "compartment_id": compartment_id,
            "actor": {"kind": actor_kind, "id": actor_id},
            "data": data or {},
        }


# ---------------------------------------------------------------------- PostgreSQL


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries here, or the cluster would not start."""


def _pg_bindir() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


class TempPostgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1, fsync off, trust auth."""

    def __init__(self) -> None:
        self.bindir = _pg_bindir()
        if self.bindir is None:
            raise PostgresUnavailable(
                "PostgreSQL server binaries not found (apt-get install postgresql)"
            )
        owner: tuple[int, int] | None = None
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            if shutil.which("runuser") is None:
                raise PostgresUnavailable("running as root but runuser is missing")
            try:
                import pwd

                pw = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise PostgresUnavailable("running as root and there is no postgres user") from exc
            owner = (pw.pw_uid, pw.pw_gid)
            self._as_postgres = ["runuser", "-u", "postgres", "--"]
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="xp-pg-"))
        self.data = self.root / "data"
        if owner is not None:
            os.chown(self.root, *owner)
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        proc = subprocess.run(
            [*self._as_postgres, *args], capture_output=True, text=True, timeout=120
        )
        if proc.returncode != 0:
            raise PostgresUnavailable(f"{' '.join(args[:2])} failed: {proc.stderr.strip()[-800:]}")

    def start(self) -> TempPostgres:
        assert self.bindir is not None
        self._run(
            str(self.bindir / "initdb"),
            "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8",
        )  # fmt: skip
        return self.resume()

    def resume(self) -> TempPostgres:
        """(Re)start the server on the existing data directory."""
        assert self.bindir is not None
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200 -c shared_buffers=64MB"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D", str(self.data), "-o", options, "-l", str(self.root / "pg.log"), "-w", "start",
        )  # fmt: skip
        return self

    def halt(self) -> None:
        """Stop the server (fast mode: connections are cut, committed data is kept, even
        with synchronous_commit=off); resume() brings it back."""
        assert self.bindir is not None
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")

    def new_database(self, name: str | None = None) -> str:
        """Create an empty database; returns its SQLAlchemy URL."""
        import psycopg

        name = name or f"xp_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.bindir is not None and self.data.exists():
            with contextlib.suppress(PostgresUnavailable, subprocess.TimeoutExpired):
                self._run(
                    str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"
                )
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> TempPostgres:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


# ---------------------------------------------------------------------- pytest fixtures


@pytest.fixture
def central_service(tmp_path: Path) -> Iterator[CentralService]:
    """A started central service on a fresh SQLite file, one locker, fast KDF."""
    service = CentralService(tmp_path / "central")
    try:
        yield service.start()
    finally:
        service.close()


@pytest.fixture
def central_service_factory(tmp_path: Path) -> Iterator[Any]:
    """`make(**kwargs) -> CentralService` (not started); all are stopped at teardown."""
    made: list[CentralService] = []

    def make(**kwargs: Any) -> CentralService:
        service = CentralService(tmp_path / f"central-{len(made)}", **kwargs)
        made.append(service)
        return service

    try:
        yield make
    finally:
        for service in made:
            service.close()


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[TempPostgres]:
    """A PostgreSQL cluster for the session; skips if PostgreSQL cannot run here."""
    try:
        cluster = TempPostgres().start()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL not available: {exc}")
    try:
        yield cluster
    finally:
        cluster.stop()


@contextlib.contextmanager
def service_on_backend(request: Any, tmp_path_factory: Any, name: str,
                       extra_args: Callable[[Path], list[str]] | None = None
                       ) -> Iterator[CentralService]:
    """One service process for a session fixture parametrised by backend ("sqlite" or
    "postgresql": a fresh database of the session's cluster). `extra_args` gets the
    service's work folder, for files such as a secret key that live beside it."""
    db_url = None
    if request.param == "postgresql":
        cluster: TempPostgres = request.getfixturevalue("postgres_cluster")
        db_url = cluster.new_database()
    workdir = tmp_path_factory.mktemp(f"{name}-{request.param}")
    svc = CentralService(workdir, db_url=db_url,
                         extra_args=extra_args(workdir) if extra_args else None)
    svc.start()
    try:
        yield svc
    finally:
        svc.close()
