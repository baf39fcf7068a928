"""sync.backup: online backups of a live WAL-mode SQLite cache."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sync.backup import BackupError, backup_cache, main

pytestmark = pytest.mark.integration


def live_cache(path: Path, rows: int = 200) -> sqlite3.Connection:
    """A cache file in WAL mode with a connection that stays open, as the kiosk's does."""
    conn = sqlite3.connect(path, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE outbox (seq INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
    with conn:
        conn.executemany(
            "INSERT INTO outbox (payload) VALUES (?)", [(f"event {i}",) for i in range(rows)]
        )
    return conn


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 3, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(days=1)
        return self.now


def count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    finally:
        conn.close()


def test_backup_of_a_live_cache_holds_every_committed_row(tmp_path: Path) -> None:
    db = tmp_path / "cache.db"
    conn = live_cache(db)
    # Committed rows still only in the -wal file must be in the copy too.
    with conn:
        conn.execute("INSERT INTO outbox (payload) VALUES ('in the wal')")
    assert (tmp_path / "cache.db-wal").stat().st_size > 0
    result = backup_cache(db, tmp_path / "backups", now=Clock())
    assert result.path.name == "cache-20261126T033000Z.db"
    assert count(result.path) == 201
    assert not Path(str(result.path) + "-wal").exists()
    assert result.path.stat().st_mode & 0o777 == 0o640
    conn.close()


def test_backup_while_the_kiosk_keeps_writing_is_consistent(tmp_path: Path) -> None:
    db = tmp_path / "cache.db"
    conn = live_cache(db, rows=0)
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            with conn:
                conn.execute("INSERT INTO outbox (payload) VALUES ('x')")

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        results = [backup_cache(db, tmp_path / "b", keep=10, now=Clock()) for _ in range(3)]
    finally:
        stop.set()
        thread.join()
    check = sqlite3.connect(results[-1].path)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()
    counts = [count(r.path) for r in results]
    assert counts == sorted(counts)
    assert count(db) >= counts[-1]
    conn.close()


def test_only_the_newest_backups_are_kept(tmp_path: Path) -> None:
    db = tmp_path / "cache.db"
    live_cache(db).close()
    backups = tmp_path / "backups"
    backups.mkdir()
    (backups / "cache-20200101T000000Z.db.partial").write_bytes(b"interrupted")
    (backups / "notes.txt").write_text("not ours")
    clock = Clock()
    made = [backup_cache(db, backups, keep=2, now=clock).path for _ in range(4)]
    assert sorted(p.name for p in backups.iterdir()) == sorted(
        [made[2].name, made[3].name, "notes.txt"]
    )


def test_a_nearly_full_disk_skips_the_backup_with_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "cache.db"
    live_cache(db).close()
    with pytest.raises(BackupError, match="not enough disk space.*must stay free"):
        backup_cache(db, tmp_path / "b", min_free_bytes=2**20, free_bytes=lambda _p: 2**20)
    assert list((tmp_path / "b").iterdir()) == []


def test_missing_cache_is_an_error_not_an_empty_backup(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="nothing to back up yet"):
        backup_cache(tmp_path / "cache.db", tmp_path / "b")
    assert not (tmp_path / "cache.db").exists()


def test_command_line_reads_the_database_table_of_the_kiosk_config(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "cache.db"
    live_cache(db).close()
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[locker]\nid = "LCK-1"\n[database]\npath = "cache.db"\nbackup_dir = "saved"\n'
    )
    assert main(["--config", str(config), "--min-free-mb", "0"]) == 0
    assert len(list((tmp_path / "saved").glob("cache-*.db"))) == 1

    config.write_text('[database]\npath = "cache.db"\nbackup_dri = "x"\n')
    assert main(["--config", str(config)]) == 1
    assert "database.backup_dri: unknown key; did you mean 'backup_dir'?" in caplog.text
