"""The central schema under migrations, on SQLite and a real PostgreSQL: a fresh database
is built to the models, a database of the release before migrations keeps its data and
serves on, several processes may start at once, and a database from a newer release or
a foreign one stops the start with one clear error."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from central import tokens
from central.db import Database
from central.migrate import BASELINE, MigrationFailed, current_revision, head_revision, upgrade
from central.schema import metadata
from contract.wire import ParcelPage
from tests.central_service import REPO_ROOT, CentralService, TempPostgres

pytestmark = pytest.mark.integration

DATA = Path(__file__).parent / "data"
DEVICE_TOKEN = "xpt_device_from_the_old_release"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        cluster: TempPostgres = request.getfixturevalue("postgres_cluster")
        return cluster.new_database()
    return f"sqlite:///{tmp_path / 'central.db'}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url, pool_size=2)
    yield database
    database.dispose()


def _schema_diff(db: Database) -> list[object]:
    with db.read() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), metadata))


def _make_pre_migration_database(db: Database) -> None:
    """The tables exactly as the release before migrations created them, with one locker,
    its device token, a stored parcel and an event, written as plain SQL."""
    dialect = "sqlite" if db.is_sqlite else "postgresql"
    ddl = (DATA / f"pre_migration_{dialect}.sql").read_text(encoding="utf-8")
    at = "2026-03-01 09:00:00" + ("" if db.is_sqlite else "+00:00")
    until = "2099-01-01 00:00:00" + ("" if db.is_sqlite else "+00:00")
    with db.write() as conn:
        for statement in ddl.split(";"):
            body = "\n".join(
                line for line in statement.splitlines() if not line.startswith("--")
            ).strip()
            if body:
                conn.exec_driver_sql(body)
        params = {"at": at, "until": until, "hash": tokens.token_hash(DEVICE_TOKEN)}
        for sql in (
            "INSERT INTO central_locker VALUES ('OLD-1', 'Old locker', 'Main St 1', 'UTC', "
            "'00112233445566778899aabbccddeeff', 1024, 8, 1, 32, '{\"M\": 4}', 1, 2, :at)",
            "INSERT INTO central_locker_status (locker_id) VALUES ('OLD-1')",
            "INSERT INTO central_token VALUES (:hash, 'device', 'OLD-1', :at, NULL)",
            "INSERT INTO central_parcel VALUES ('P-old-1', 'OLD-1', 'ORDER-1', 'stored', 'M', "
            "'A01', 'BC-1', NULL, :until, 'J. D.', 2, 2, :at, :at, :at)",
            "INSERT INTO central_event VALUES ('00000000-0000-4000-8000-000000000001', 'OLD-1', "
            "1, 'parcel.deposited', :at, 'P-old-1', 'A01', 'courier', '1001', '{}', :at, 1)",
        ):
            conn.execute(text(sql), params)


def test_a_fresh_database_is_built_to_the_models(db: Database) -> None:
    assert upgrade(db) == (None, head_revision())
    assert _schema_diff(db) == []
    assert upgrade(db) == (head_revision(), head_revision())  # idempotent


def test_the_pre_migration_schema_matches_the_baseline(db: Database) -> None:
    # The frozen schema, stamped and walked to the head, ends where a fresh build does:
    # otherwise the baseline revision is not the schema that release made.
    _make_pre_migration_database(db)
    assert current_revision(db) is None
    assert upgrade(db) == (BASELINE, head_revision())
    assert _schema_diff(db) == []


def test_a_database_of_the_release_before_migrations_serves_on(
    db_url: str, tmp_path: Path
) -> None:
    db = Database(db_url, pool_size=1)
    _make_pre_migration_database(db)
    db.dispose()
    service = CentralService(
        tmp_path / "svc", db_url=db_url, locker_id="OLD-1", device_token=DEVICE_TOKEN,
        create_locker=False,
    )
    with service:
        resp = service.device_get("/v1/lockers/OLD-1/parcels")
        assert resp.status_code == 200, resp.text
        page = ParcelPage.model_validate(resp.json())
        assert [(p.parcel_id, p.state, p.compartment_id) for p in page.parcels] == [
            ("P-old-1", "stored", "A01")
        ]
        assert [e.event_id for e in service.events(locker_id="OLD-1")] == [
            "00000000-0000-4000-8000-000000000001"
        ]
        service.announce(locker_id="OLD-1", size="M")  # writes go on from the old counter
        assert service.parcels("OLD-1").keys() >= {"P-old-1"}
        assert len(service.parcels("OLD-1")) == 2
    db = Database(db_url, pool_size=1)
    try:
        assert current_revision(db) == head_revision()
    finally:
        db.dispose()


def test_several_processes_starting_at_once_migrate_once(db_url: str) -> None:
    results: list[tuple[str | None, str]] = []
    errors: list[BaseException] = []

    def start() -> None:
        database = Database(db_url, pool_size=1)
        try:
            results.append(upgrade(database))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            database.dispose()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(results, key=lambda r: r[0] or "") == [(None, head_revision())] + [
        (head_revision(), head_revision())
    ] * 3
    db = Database(db_url, pool_size=1)
    try:
        with db.read() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
        assert _schema_diff(db) == []
    finally:
        db.dispose()


def test_a_database_from_a_newer_release_is_refused_untouched(db: Database) -> None:
    upgrade(db)
    with db.write() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(MigrationFailed, match=r"revision 9999.*newer release"):
        upgrade(db)
    assert current_revision(db) == "9999"


def test_a_foreign_database_with_some_central_tables_is_refused(db: Database) -> None:
    with db.write() as conn:
        conn.exec_driver_sql("CREATE TABLE central_locker (locker_id VARCHAR(64) PRIMARY KEY)")
    with pytest.raises(MigrationFailed, match="not a central database"):
        upgrade(db)
    assert current_revision(db) is None


def test_the_migrate_command_reports_what_it_did(db_url: str) -> None:
    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "central", "migrate", "--db", db_url],
            capture_output=True, text=True, timeout=120, cwd=REPO_ROOT,
        )

    first = run()
    assert first.returncode == 0, first.stderr
    assert f"schema migrated (empty) -> {head_revision()}" in first.stdout
    again = run()
    assert again.returncode == 0, again.stderr
    assert f"schema already at {head_revision()}" in again.stdout


def test_the_migrate_command_names_a_bad_database(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "central.db").write_bytes(b"this is not a database file at all" * 100)
    proc = subprocess.run(
        [sys.executable, "-m", "central", "migrate", "--db", str(folder / "central.db")],
        capture_output=True, text=True, timeout=120, cwd=REPO_ROOT,
    )
    assert proc.returncode == 2
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("error: cannot open the database sqlite:///"), proc.stderr
    assert "central.db: file is not a database" in last
    assert "Traceback" not in proc.stderr
