"""The cache file itself: pragmas on every connection, migrations, backups, audit guard."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from sync.cache import AuditKind, Cache, MigrationFailed
from sync.cache.engine import make_engines
from sync.cache.migrate import current_revision, head_revision, upgrade

pytestmark = pytest.mark.integration


def test_every_connection_gets_the_pragmas(cache: Cache) -> None:
    for engine in (cache.engines.reader, cache.engines.writer):
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_migrated_schema_matches_the_models(cache: Cache) -> None:
    with cache.engines.reader.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []
    assert current_revision(cache.engines) == head_revision()


def test_reopening_a_current_file_makes_no_backup(cache: Cache, cache_path: Path) -> None:
    cache.close()
    Cache.open(cache_path).close()
    assert not list(cache_path.parent.glob("*.bak-*"))


def test_upgrading_an_old_file_backs_it_up_first_and_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engines = make_engines(path)
    upgrade(engines, path, target="0001")
    with engines.writer.begin() as conn:
        conn.execute(text(
            "INSERT INTO audit (at, kind, actor_kind, detail) "
            "VALUES ('2026-01-01 00:00:00', 'note', 'system', 'before upgrade')"
        ))
    engines.dispose()

    cache = Cache.open(path)
    backups = list(tmp_path.glob("old.db.bak-0001-*"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as copy:
        assert copy.execute("SELECT detail FROM audit").fetchall() == [("before upgrade",)]
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert [e.detail for e in cache.recent_audit()] == ["before upgrade"]
    assert current_revision(cache.engines) == head_revision()
    cache.close()


def test_a_file_from_a_newer_release_stops_with_the_backup_named(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    Cache.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(MigrationFailed, match=r"newer\.db\.bak-9999-"):
        Cache.open(path)


def test_the_audit_log_cannot_be_rewritten(cache: Cache) -> None:
    cache.audit(AuditKind.DOOR_OPEN, detail="door A01 opened")
    with cache.engines.writer.begin() as conn, pytest.raises(Exception, match="append-only"):
        conn.exec_driver_sql("UPDATE audit SET detail = 'nothing happened'")
    with cache.engines.writer.begin() as conn, pytest.raises(Exception, match="append-only"):
        conn.exec_driver_sql("DELETE FROM audit")
    assert cache.recent_audit(1)[0].detail == "door A01 opened"



def test_parcels_from_before_the_accessible_flag_are_not_flagged(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engines = make_engines(path)
    upgrade(engines, path, target="0002")
    with engines.writer.begin() as conn:
        conn.execute(text(
            "INSERT INTO parcel (parcel_id, order_ref, state, version) "
            "VALUES ('P1', 'ORD-1', 'expected', 1)"
        ))
    engines.dispose()
    cache = Cache.open(path)
    parcel = cache.parcel("P1")
    assert parcel is not None and parcel.accessible is False
    cache.close()


def test_the_migrations_are_one_line_each_file_named_for_its_revision() -> None:
    """Two branches that each add "the next" revision must not both land: the cache
    would have two heads (or one revision hiding another) and no kiosk could start."""
    from alembic.script import ScriptDirectory

    from sync.cache.migrate import alembic_config

    folder = Path(__file__).resolve().parents[2] / "sync/cache/migrations/versions"
    files = sorted(p.name for p in folder.glob("0*.py"))
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    chain = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert [name.split("_", 1)[0] for name in files] == chain
    assert chain == sorted(chain) and len(set(chain)) == len(chain)
