"""Scheduled online backups of the kiosk's SQLite cache (`expresspoint-backup.timer`).

SQLite's online backup API copies a consistent snapshot while the kiosk and the sync
worker keep writing (WAL mode). The copy is written under a temporary name, checked
with `PRAGMA quick_check`, flushed to disk and only then renamed into place, so a
power cut mid-backup never leaves a half file that looks like a backup. The newest
`keep` backups are kept. A backup is skipped, with an error naming the numbers, when
it would leave the disk with less than `min_free_bytes` free: a full disk would stop
the kiosk from recording pickups, which matters more than one more copy.

Run as `python -m sync.backup --config /etc/expresspoint/kiosk.toml`.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sync.settings import ConfigError, DatabaseSection, load_toml, parse_table

log = logging.getLogger(__name__)

PREFIX = "cache-"
SUFFIX = ".db"
DEFAULT_KEEP = 7
DEFAULT_MIN_FREE_BYTES = 256 * 1024 * 1024


class BackupError(Exception):
    """A backup was not made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    removed: tuple[Path, ...]


def backup_cache(
    db_path: Path,
    backup_dir: Path,
    *,
    keep: int = DEFAULT_KEEP,
    min_free_bytes: int = DEFAULT_MIN_FREE_BYTES,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    free_bytes: Callable[[Path], int] = lambda p: shutil.disk_usage(p).free,
) -> BackupResult:
    """Copy `db_path` into `backup_dir` as `cache-<UTC time>.db`; keep the newest `keep`."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    if not db_path.is_file():
        raise BackupError(f"{db_path} does not exist: nothing to back up yet")
    backup_dir.mkdir(parents=True, exist_ok=True, mode=0o750)
    needed = _database_bytes(db_path)
    free = free_bytes(backup_dir)
    if free - needed < min_free_bytes:
        raise BackupError(
            f"not enough disk space for a backup of {db_path}: {free // 2**20} MiB free, "
            f"the copy needs {needed // 2**20} MiB and {min_free_bytes // 2**20} MiB must stay "
            f"free; delete old files in {backup_dir} or free space (docs/runbook.md, disk full)"
        )
    final = backup_dir / f"{PREFIX}{now().strftime('%Y%m%dT%H%M%SZ')}{SUFFIX}"
    try:
        checked_copy(db_path, final)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(f"backup of {db_path} to {final} failed: {exc}") from exc
    removed = _prune(backup_dir, keep)
    return BackupResult(final, final.stat().st_size, removed)


def _database_bytes(db_path: Path) -> int:
    wal = db_path.with_name(db_path.name + "-wal")
    return db_path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def checked_copy(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite file (the other process may be writing) at
    `target`: written under a temporary name, checked with `PRAGMA quick_check`, flushed
    and only then renamed into place, so a power cut never leaves a half file that
    looks like a copy. Raises BackupError (a copy that fails its check), sqlite3.Error
    or OSError; nothing is left at `target` then."""
    partial = target.with_name(target.name + ".partial")
    try:
        _copy(source, partial)
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _copy(source: Path, target: Path) -> None:
    # Read-only URI: the backup must never create or modify the live cache.
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            (result,) = dst.execute("PRAGMA quick_check").fetchone()
            if result != "ok":
                raise BackupError(f"the copy of {source} failed its integrity check: {result}")
            # A backup is a standalone file: no -wal beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    with target.open("rb") as fh:
        os.fsync(fh.fileno())
    target.chmod(0o640)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(backup_dir: Path, keep: int) -> tuple[Path, ...]:
    # Names sort by time; leftovers of an interrupted run (.partial) are removed too.
    for stale in backup_dir.glob(f"{PREFIX}*{SUFFIX}.partial"):
        stale.unlink(missing_ok=True)
    backups = sorted(backup_dir.glob(f"{PREFIX}*{SUFFIX}"))
    old = tuple(backups[:-keep])
    for path in old:
        path.unlink(missing_ok=True)
    return old


def database_section(config_file: Path) -> DatabaseSection:
    """The `[database]` table of a kiosk config (the other tables are the kiosk's)."""
    table = load_toml(config_file)
    raw = table.get("database")
    if not isinstance(raw, dict):
        raise ConfigError(config_file, "database", "required table is missing")
    return parse_table(DatabaseSection, raw, file=config_file, prefix="database")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sync.backup", description="Online backup of the kiosk's SQLite cache."
    )
    parser.add_argument("--config", type=Path, required=True, help="kiosk TOML file")
    parser.add_argument("--keep", type=int, default=DEFAULT_KEEP, help="backups to keep")
    parser.add_argument(
        "--min-free-mb",
        type=int,
        default=DEFAULT_MIN_FREE_BYTES // 2**20,
        help="skip the backup if it would leave less free disk space than this",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        section = database_section(args.config)
        backup_dir = section.backup_dir or section.path.parent / "backups"
        result = backup_cache(
            section.path, backup_dir, keep=args.keep, min_free_bytes=args.min_free_mb * 2**20
        )
    except (ConfigError, BackupError) as exc:
        log.error("%s", exc)
        return 1
    log.info(
        "backed up %s to %s (%d KiB); removed %d old backup(s)",
        section.path,
        result.path,
        result.size_bytes // 1024,
        len(result.removed),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
