"""Pulled pages written through the driver's executemany store exactly what the
SQLAlchemy Core upsert stores: same bytes in the file, same rows read back, for any
page (hypothesis), on insert and on the update of rows the kiosk changed locally."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract import wire
from sync.cache import Cache
from sync.cache.sync_store import SyncStore, upsert_parcels_with_core, upsert_parcels_with_driver

pytestmark = pytest.mark.integration

T0 = datetime(2026, 1, 1, tzinfo=UTC)

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
parcels = st.builds(
    wire.Parcel,
    parcel_id=st.from_regex(r"\Ap[0-9a-z]{1,12}\Z"),
    order_ref=text,
    state=st.sampled_from(list(wire.ParcelState)),
    size=st.sampled_from(list(wire.ParcelSize)),
    compartment_id=st.none() | st.sampled_from(["A01", "A02", "B04"]),
    barcode=text,
    pickup_code_hash=st.none() | st.from_regex(r"\A[0-9a-f]{64}\Z"),
    pickup_deadline=st.integers(0, 10**12).map(lambda us: T0 + timedelta(microseconds=us)),
    recipient_hint=st.none() | text,
    accessible=st.booleans(),
    version=st.integers(1, 10**6),
)
pages = st.lists(parcels, max_size=30, unique_by=lambda p: p.parcel_id)


def _dump(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT * FROM parcel ORDER BY parcel_id").fetchall()


def _apply(path: Path, writer: str, first: list[wire.Parcel], second: list[wire.Parcel],
           local: list[str]) -> tuple[list[tuple[object, ...]], dict[str, object]]:
    cache = Cache.open(path)
    try:
        upsert = upsert_parcels_with_driver if writer == "driver" else upsert_parcels_with_core
        store = SyncStore(cache, upsert=upsert)
        store.apply_parcels(wire.ParcelPage(parcels=first, next_cursor="c1", has_more=False))
        # Rows the kiosk changed locally since (their base version is above anything
        # pulled): the second page may update only their data fields, not state.
        with cache.write() as s:
            for pid in local:
                s.connection().exec_driver_sql(
                    "UPDATE parcel SET local_base_version = ? WHERE parcel_id = ?",
                    (2**31, pid),
                )
        store.apply_parcels(wire.ParcelPage(parcels=second, next_cursor="c2", has_more=False))
        ids = sorted({p.parcel_id for p in (*first, *second)})
        read_back = {
            pid: (p.state, p.compartment_id, p.pickup_deadline, p.version, p.recipient_hint)
            for pid in ids
            if (p := cache.parcel(pid)) is not None
        }
        assert store.cursors()[0] == "c2"
    finally:
        cache.close()
    return _dump(path), read_back


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=pages, second=pages, data=st.data())
def test_driver_and_core_writers_store_the_same(
    tmp_path_factory: pytest.TempPathFactory, first: list[wire.Parcel],
    second: list[wire.Parcel], data: st.DataObject,
) -> None:
    # the second page revisits some of the first page's parcels with new contents
    revisit = data.draw(st.lists(st.sampled_from(first), unique_by=lambda p: p.parcel_id)
                        if first else st.just([]))
    stored = wire.ParcelState.STORED
    second = [*second, *(p.model_copy(update={"version": p.version + 1, "state": stored})
                         for p in revisit)]
    second = list({p.parcel_id: p for p in second}.values())
    local = [p.parcel_id for p in revisit[: len(revisit) // 2]]
    folder = tmp_path_factory.mktemp("writers")
    driver = _apply(folder / "driver.db", "driver", first, second, local)
    core = _apply(folder / "core.db", "core", first, second, local)
    assert driver == core
    for pid, (_state, _comp, deadline, _v, _hint) in driver[1].items():
        assert deadline is not None and deadline.tzinfo is UTC, pid


def test_a_failing_page_leaves_neither_rows_nor_cursor(tmp_path: Path) -> None:
    cache = Cache.open(tmp_path / "c.db")
    try:
        store = SyncStore(cache)
        good = wire.Parcel(parcel_id="p1", order_ref="o", state="expected", size="M",
                           barcode="b", pickup_deadline=T0, version=1)
        store.apply_parcels(wire.ParcelPage(parcels=[good], next_cursor="c1", has_more=False))
        with sqlite3.connect(tmp_path / "c.db") as conn:  # another writer breaks the next page
            conn.execute("CREATE TRIGGER no_more BEFORE INSERT ON parcel "
                         "BEGIN SELECT RAISE(ABORT, 'disk says no'); END")
        fresh = good.model_copy(update={"parcel_id": "p2"})
        with pytest.raises(sqlite3.DatabaseError, match="disk says no"):
            store.apply_parcels(wire.ParcelPage(parcels=[fresh], next_cursor="c2", has_more=False))
        assert store.cursors()[0] == "c1"
        assert [r[0] for r in _dump(tmp_path / "c.db")] == ["p1"]
    finally:
        cache.close()
