"""SQLAlchemy engines for the cache file, with the pragmas every connection needs.

WAL mode persists in the file, but `foreign_keys`, `busy_timeout` and `synchronous` do
not, so they are set from the `connect` event on every new connection. Python's sqlite3
module would otherwise open transactions on its own (and always DEFERRED); it is put in
autocommit mode and the `begin` event issues BEGIN itself: `BEGIN IMMEDIATE` on the
writer engine, so the kiosk and the sync worker never deadlock upgrading a read lock to
a write lock, and plain `BEGIN` on the reader engine, so a code lookup never waits for
the worker's write.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class Engines:
    reader: Engine
    writer: Engine

    def dispose(self) -> None:
        self.reader.dispose()
        self.writer.dispose()


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _on_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engines(path: Path | str) -> Engines:
    """Engines for the cache at `path` (created if missing)."""
    url = f"sqlite+pysqlite:///{Path(path)}"
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    writer = engine.execution_options(sqlite_begin="IMMEDIATE")
    return Engines(reader=engine, writer=writer)
