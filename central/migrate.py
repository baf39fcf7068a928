"""Schema migrations of the central service (Alembic), run by every start and by
`python -m central migrate`.

Several service processes (one host's workers, or N hosts on one PostgreSQL) may start
at once: the whole upgrade runs in one transaction that first takes a lock every other
migrator waits for (PostgreSQL: a transaction-scoped advisory lock; SQLite: BEGIN
IMMEDIATE), so exactly one of them migrates and the others find the schema current.
PostgreSQL's DDL is transactional, so a migration that fails leaves the schema as it was.

A database made before migrations existed (the central tables, no `alembic_version`) is
recognised and stamped with the baseline revision, then upgraded like any other.
"""

from __future__ import annotations

import logging

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect
from sqlalchemy.exc import DatabaseError, OperationalError

from central.db import Database, DatabaseUnavailable, redact

log = logging.getLogger(__name__)

SCRIPT_LOCATION = "central:migrations"
BASELINE = "0001"
# The tables the service created by itself before it had migrations (= revision 0001).
PRE_MIGRATION_TABLES = frozenset(
    {
        "central_locker",
        "central_locker_status",
        "central_token",
        "central_parcel",
        "central_courier",
        "central_courier_locker",
        "central_event",
        "central_command",
    }
)
# Any fixed 64-bit number all central processes agree on ("EXPP" "MIGR").
ADVISORY_LOCK_KEY = 0x45585050_4D494752


class MigrationFailed(DatabaseUnavailable):
    """The schema could not be brought up to date; the message says why and what to do."""


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(db: Database) -> str | None:
    with db.read() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database, target: str = "head") -> tuple[str | None, str]:
    """Bring the schema to `target` (idempotent); returns (revision before, after)."""
    alembic_log = logging.getLogger("alembic")
    level = alembic_log.level
    alembic_log.setLevel(max(level, logging.WARNING))  # its INFO lines are set-up noise
    try:
        cfg = alembic_config()
        with db.write() as conn:
            _lock(conn)
            before = MigrationContext.configure(conn).get_current_revision()
            cfg.attributes["connection"] = conn
            if before is None and _has_pre_migration_schema(conn, db):
                command.stamp(cfg, BASELINE)
                log.info(
                    "central schema %s: tables of the pre-migration release stamped %s",
                    redact(db.url),
                    BASELINE,
                )
                before = BASELINE
            if before is not None and before not in known_revisions():
                raise MigrationFailed(
                    f"the database {redact(db.url)} is at schema revision {before}, which "
                    f"this release does not know (its newest is {head_revision()}): it was "
                    "migrated by a newer release; run that release, or restore the backup "
                    "taken before the upgrade"
                )
            command.upgrade(cfg, target)
            after = MigrationContext.configure(conn).get_current_revision()
    except MigrationFailed:
        raise
    except (OperationalError, DatabaseError) as exc:
        if not isinstance(exc, OperationalError) and type(exc) is not DatabaseError:
            raise _failed(db, target, exc) from exc  # a migration's own SQL failed
        reason = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(f"cannot open the database {redact(db.url)}: {reason}") from exc
    except Exception as exc:
        raise _failed(db, target, exc) from exc
    finally:
        alembic_log.setLevel(level)
    assert after is not None
    if after != before:
        log.info("central schema %s migrated %s -> %s", redact(db.url), before, after)
    return before, after


def _failed(db: Database, target: str, exc: Exception) -> MigrationFailed:
    return MigrationFailed(
        f"migrating the central schema of {redact(db.url)} to {target} failed, nothing "
        f"was changed: {type(exc).__name__}: {str(exc).splitlines()[0]}"
    )


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK_KEY})")
    # SQLite: Database.write() began with BEGIN IMMEDIATE, which already excludes writers.


def _has_pre_migration_schema(conn: Connection, db: Database) -> bool:
    present = set(inspect(conn).get_table_names()) & PRE_MIGRATION_TABLES
    if not present:
        return False
    if present != PRE_MIGRATION_TABLES:
        missing = ", ".join(sorted(PRE_MIGRATION_TABLES - present))
        raise MigrationFailed(
            f"the database {redact(db.url)} holds some central tables but not {missing} "
            "and no schema revision: it is not a central database of any release; "
            "give an empty database or the right one"
        )
    return True
