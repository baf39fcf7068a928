"""Run the central service under uvicorn and announce the URL once it accepts calls."""

from __future__ import annotations

import logging
import os
import socket
import threading
import urllib.request
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from central import tokens
from central.app import create_app
from central.context import ServiceContext, utc_now
from central.db import Database, redact
from central.service_options import ServiceOptions
from central.tokens import TokenKind

log = logging.getLogger(__name__)


class PortUnavailable(RuntimeError):
    """The service cannot listen on the requested address."""


MAX_TOKEN_FILE_BYTES = 4096


class TokenFileError(ValueError):
    """The operator token file cannot be read or written."""


def load_or_create_token(path: Path) -> str:
    """Read a token file; create it (mode 0600) with a fresh token when missing."""
    if path.exists():
        # A path to a device or a huge file must end in one line, not in reading forever.
        if not path.is_file():
            raise TokenFileError(f"{path} is not a regular file: give the token file's path")
        if path.stat().st_size > MAX_TOKEN_FILE_BYTES:
            raise TokenFileError(f"{path} is larger than a token file: give the right path")
        try:
            token = path.read_text(encoding="utf-8").strip()
        except UnicodeDecodeError:
            raise TokenFileError(f"{path} is not UTF-8 text: give the token file's path") from None
        if not token:
            raise TokenFileError(f"{path} is empty: put a token in it or delete it")
        return token
    token = tokens.new_token()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(token + "\n", encoding="utf-8")
    log.info("wrote a new operator token to %s", path)
    return token


class _AnnouncingServer(uvicorn.Server):
    """uvicorn.Server that prints one 'ready at URL' line once its socket listens."""

    def __init__(self, config: uvicorn.Config, db_label: str) -> None:
        super().__init__(config)
        self._db_label = db_label

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.should_exit:
            return
        port = self.config.port
        for server in getattr(self, "servers", []):
            for sock in server.sockets:
                port = sock.getsockname()[1]
        print(
            f"ExpressPoint central service ready at http://{self.config.host}:{port} "
            f"(db {self._db_label})",
            flush=True,
        )


ENV_DB = "EXPRESSPOINT_CENTRAL_WORKER_DB"
ENV_SWEEP = "EXPRESSPOINT_CENTRAL_WORKER_SWEEP"


def app_from_env() -> FastAPI:
    """The app of one worker process when serving with --workers > 1.

    uvicorn starts workers as fresh interpreters that import this factory, so the
    parent hands its settings over in the environment.
    """
    db = Database(os.environ[ENV_DB])
    ctx = ServiceContext(db=db, sweep_interval_s=float(os.environ[ENV_SWEEP]))
    return create_app(ServiceOptions.from_env().apply(ctx))


def _announce_when_ready(host: str, port: int, label: str, stop: threading.Event) -> None:
    while not stop.wait(0.1):
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/healthz", timeout=2) as resp:
                if resp.status == 200:
                    print(
                        f"ExpressPoint central service ready at http://{host}:{port} (db {label})",
                        flush=True,
                    )
                    return
        except OSError:
            continue


def _listening_socket(host: str, port: int) -> socket.socket:
    """The listening socket (shared by worker processes when there are several).

    Made here rather than by uvicorn's Config.bind_socket because that one has
    proto 0, and asyncio only sets TCP_NODELAY on accepted sockets whose proto is
    IPPROTO_TCP: without it every keep-alive response waits ~40 ms for delayed ACKs.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortUnavailable(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(
    db_url: str,
    host: str,
    port: int,
    *,
    operator_token_file: Path | None = None,
    sweep_interval_s: float = 60.0,
    access_log: bool = False,
    log_level: str = "warning",
    workers: int = 1,
    options: ServiceOptions | None = None,
) -> int:
    """Run until SIGTERM/SIGINT. `workers > 1` runs that many processes on one socket
    (worth it on PostgreSQL with spare cores; SQLite writers queue on one lock anyway)."""
    options = options or ServiceOptions()
    # Checked here, in the parent: a bad option is one clear error before anything runs.
    options.apply(ServiceContext(db=Database("sqlite://")))
    db = Database(db_url)
    db.create_schema()
    if operator_token_file is not None:
        token = load_or_create_token(operator_token_file)
        try:
            with db.write() as conn:
                tokens.register(conn, token, TokenKind.OPERATOR, utc_now())
        except tokens.TokenRevoked as exc:
            raise TokenFileError(
                f"the operator token in {operator_token_file} cannot be used: {exc} "
                "(delete the file to have a new token generated)"
            ) from exc
    config_kwargs: dict[str, Any] = {
        "host": host,
        "port": port,
        "access_log": access_log,
        "log_level": log_level,
        "log_config": None,  # keep the process's logging set-up
        "timeout_graceful_shutdown": 5,
    }
    if workers > 1:
        db.dispose()
        os.environ[ENV_DB] = db.url
        os.environ[ENV_SWEEP] = str(sweep_interval_s)
        options.to_env()
        config = uvicorn.Config(
            "central.server:app_from_env", factory=True, workers=workers, **config_kwargs
        )
        sock = _listening_socket(host, port)
        stop = threading.Event()
        announcer = threading.Thread(
            target=_announce_when_ready,
            args=(host, sock.getsockname()[1], redact(db.url), stop),
            daemon=True,
        )
        announcer.start()
        try:
            Multiprocess(config, sockets=[sock]).run()
        finally:
            stop.set()
            sock.close()
        return 0
    sock = _listening_socket(host, port)
    ctx = options.apply(ServiceContext(db=db, sweep_interval_s=sweep_interval_s))
    server = _AnnouncingServer(uvicorn.Config(create_app(ctx), **config_kwargs), redact(db.url))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        db.dispose()
    return 0 if server.started else 1
