"""Engine set-up and transactions for the central service.

SQLite (the default) gets WAL, a busy timeout, foreign keys and synchronous=FULL on
every connection (none but WAL persists in the file), and write transactions start
with BEGIN IMMEDIATE so two writers never deadlock upgrading a read lock. Any other
SQLAlchemy URL is used as given; `postgresql://` is routed to psycopg 3.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000


class DatabaseUrlError(ValueError):
    """The --db value is not something SQLAlchemy can open."""


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or opened; the message says which and why."""


def normalize_url(url: str) -> str:
    """Accept a bare file path for SQLite and route plain postgresql:// to psycopg 3."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def redact(url: str) -> str:
    """The URL without its password, for logs and messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a URL we cannot parse is shown as a placeholder
        return "<unparseable database URL>"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" hook issue BEGIN itself (pysqlite's implicit BEGIN
    # would defer and make lock upgrades fail with "database is locked").
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    # An acknowledged event must survive a power cut: the kiosk drops it once acked.
    # (Each transaction sets it again in _sqlite_begin; see Database.write.)
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    options = conn.get_execution_options()
    # synchronous can only change outside a transaction, so set it for each one
    sync = "FULL" if options.get("durable", True) else "NORMAL"
    conn.exec_driver_sql(f"PRAGMA synchronous={sync}")
    conn.exec_driver_sql(f"BEGIN {options.get('sqlite_begin', 'DEFERRED')}")


class Database:
    """One engine and the two kinds of transaction the service uses."""

    def __init__(self, url: str, *, pool_size: int = 10, echo: bool = False) -> None:
        self.url = normalize_url(url)
        try:
            parsed = make_url(self.url)
        except Exception as exc:
            raise DatabaseUrlError(
                f"cannot parse database URL {url!r}: give a file path, sqlite:///path "
                "or postgresql+psycopg://user@host/db"
            ) from exc
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                folder = Path(parsed.database).parent
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise DatabaseUrlError(
                        f"cannot create the folder {folder} for the SQLite file: {exc.strerror}"
                    ) from exc
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
            kwargs["pool_size"] = pool_size
        else:
            kwargs["pool_size"] = pool_size
            kwargs["max_overflow"] = pool_size
            # No pre-ping: it costs a round trip on every checkout. A connection that
            # died with the server fails its first statement (503 for that request)
            # and SQLAlchemy then drops the whole pool, so the next request reconnects.
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)

    def create_schema(self) -> None:
        """Bring the schema to the newest migration: builds it in an empty database,
        upgrades an older one (see central.migrate). Safe with several processes."""
        from central.migrate import upgrade

        upgrade(self)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self, *, durable: bool = True) -> Iterator[Connection]:
        """A write transaction: commits on success, rolls back on any exception.

        `durable=False` is for data worth less than an fsync (heartbeats: the next one
        is 10 s away): SQLite commits it with synchronous=NORMAL and PostgreSQL with
        synchronous_commit=off. Both may lose it on power loss, never on a crash.
        """
        with self.engine.connect() as raw:
            if self.is_sqlite:
                conn = raw.execution_options(sqlite_begin="IMMEDIATE", durable=durable)
            else:
                conn = raw
            with conn.begin():
                if not durable and not self.is_sqlite:
                    conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
                yield conn

    def dispose(self) -> None:
        self.engine.dispose()
