"""Background work done once per deployment, however many instances run it.

Every instance of the service runs the same timers (the deadline sweep). On PostgreSQL
a pass first takes a session-level advisory lock with `pg_try_advisory_lock`: the
instance that gets it does the pass, the others skip theirs, so N instances on one
database do the work of one. On SQLite there is one host by construction (the file),
and its writers are serialised anyway, so the pass just runs. The work itself stays
safe to repeat (the sweep re-checks each parcel under the locker's lock), so a pass
that dies halfway is finished by the next one, whichever instance runs it.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import TypeVar

from central.db import Database

T = TypeVar("T")


def lock_key(name: str) -> int:
    """A stable 63-bit advisory-lock key for the job `name`."""
    return 0x45585000_00000000 | zlib.crc32(name.encode("utf-8"))


def run_once(db: Database, name: str, work: Callable[[], T]) -> tuple[bool, T | None]:
    """(True, result) when this instance did the work now, (False, None) when another
    instance is doing it at this moment."""
    if db.is_sqlite:
        return True, work()
    key = lock_key(name)
    with db.engine.connect() as conn:
        got = conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({key})").scalar()
        conn.commit()
        if not got:
            return False, None
        try:
            return True, work()
        finally:
            conn.exec_driver_sql(f"SELECT pg_advisory_unlock({key})")
            conn.commit()
