"""Schema migrations of the cache, run at start-up by `Cache.open`.

Before an existing file is migrated it is copied with the scheduled backups' checked
copy (`sync.backup.checked_copy`: SQLite's online backup API, safe while the other
process has it open, then an integrity check) next to the original, so a migration that goes
wrong on a kiosk in the field can be undone by putting the copy back.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from sync.backup import BackupError, checked_copy
from sync.cache.engine import Engines

log = logging.getLogger(__name__)

SCRIPT_LOCATION = "sync.cache:migrations"


class MigrationFailed(RuntimeError):
    """The cache schema could not be brought up to date; the backup named here is intact."""


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engines: Engines) -> str | None:
    with engines.reader.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup(path: Path, label: str, backup_dir: Path | None = None) -> Path:
    """Checked online copy of the cache file to `<file>.bak-<label>-<UTC time>` next to
    it (or in `backup_dir`), made the way the scheduled backups are; returns its path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = backup_dir or path.parent
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{path.name}.bak-{label}-{stamp}"
    checked_copy(path, target)
    return target


def upgrade(
    engines: Engines, path: Path, target: str = "head", backup_dir: Path | None = None
) -> Path | None:
    """Bring the schema at `path` to `target`; returns the backup made first, if any."""
    current = current_revision(engines)
    wanted = head_revision() if target == "head" else target
    if current == wanted:
        return None
    with engines.reader.connect() as conn:
        has_tables = bool(inspect(conn).get_table_names())
    try:
        copy = backup(path, current or "unversioned", backup_dir) if has_tables else None
    except BackupError as exc:
        raise MigrationFailed(f"the cache {path} was not migrated from {current} to {wanted}: "
                              f"{exc}; nothing was changed") from exc
    if copy is not None:
        log.info("cache %s: backed up to %s before migrating %s -> %s", path, copy, current, wanted)
    cfg = alembic_config()
    alembic_log = logging.getLogger("alembic")
    level = alembic_log.level
    alembic_log.setLevel(max(level, logging.WARNING))  # its INFO lines are set-up noise
    try:
        with engines.writer.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
    except Exception as exc:
        where = f"; the file before migrating is saved as {copy}" if copy else ""
        raise MigrationFailed(
            f"migrating the cache {path} from {current} to {wanted} failed: {exc}{where}"
        ) from exc
    finally:
        alembic_log.setLevel(level)
    log.info("cache %s migrated %s -> %s", path, current, wanted)
    return copy


def downgrade(engines: Engines, target: str) -> None:
    """For tests and a technician's rollback only."""
    cfg = alembic_config()
    with engines.writer.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, target)
