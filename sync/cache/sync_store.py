"""The sync worker's side of the cache: applying pulled pages, draining the outbox,
storing remote commands and the worker's health.

Each pulled page is applied together with its `next_cursor` in one transaction, so a
crash between two pages neither skips nor repeats a change. A parcel the kiosk changed
locally (pickup, deposit, collection) keeps its local state until the central service
has seen the event: while the parcel has an unacknowledged outbox event, or the pulled
copy is not newer than the version the local change was based on, the pulled state and
compartment are not applied (the other fields are).
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlmodel import Session, col, select

from contract import wire
from sync.cache import journal
from sync.cache.cache import Cache
from sync.cache.models import (
    Command,
    Compartment,
    Courier,
    OutboxEvent,
    Parcel,
    ParcelState,
)

# How a page of pulled parcel rows is written: (session, rows, fields updated on conflict).
ParcelUpsert = Callable[[Session, list[dict[str, Any]], Sequence[str]], None]


@dataclass(frozen=True)
class PushOutcome:
    acknowledged: int
    rejected: int
    unanswered: int


class SyncStore:
    """What the sync worker reads from and writes to the cache."""

    def __init__(self, cache: Cache, *, upsert: ParcelUpsert | None = None) -> None:
        self._cache = cache
        self._upsert: ParcelUpsert = upsert or upsert_parcels_with_driver

    # -- pull ------------------------------------------------------------------------------

    def cursors(self) -> tuple[str | None, str | None]:
        """(parcel cursor, courier cursor) as last stored."""
        with self._cache.read() as s:
            st = journal.sync_state_or_none(s)
        return (st.parcel_cursor, st.courier_cursor) if st else (None, None)

    def has_profile(self) -> bool:
        with self._cache.read() as s:
            st = journal.sync_state_or_none(s)
        return bool(st and st.code_salt and st.code_kdf)

    def apply_profile(self, profile: wire.LockerProfile, at: datetime) -> None:
        with self._cache.write() as s:
            st = journal.sync_state(s)
            st.locker_id, st.locker_name = profile.locker_id, profile.name
            st.address, st.timezone = profile.address, profile.timezone
            st.code_salt = profile.code_salt
            st.code_kdf = json.dumps(profile.code_kdf.model_dump(), sort_keys=True)
            st.layout_version = str(profile.layout_version)
            st.profile_updated_at = at
            s.add(st)

    def apply_parcels(self, page: wire.ParcelPage) -> int:
        """Upsert the page and store its cursor, in one transaction; returns rows applied."""
        with self._cache.write() as s:
            ids = [p.parcel_id for p in page.parcels]
            pending = _parcels_with_unacked_events(s, ids)
            local_base = _local_base_versions(s, ids)
            full: list[dict[str, Any]] = []
            data_only: list[dict[str, Any]] = []
            for remote in page.parcels:
                base = local_base.get(remote.parcel_id)
                keep_local = base is not None and (
                    remote.parcel_id in pending or remote.version <= base
                )
                (data_only if keep_local else full).append(_parcel_values(remote))
            self._upsert(s, full, _FULL_FIELDS)
            self._upsert(s, data_only, _DATA_FIELDS)
            st = journal.sync_state(s)
            st.parcel_cursor = page.next_cursor
            s.add(st)
        return len(page.parcels)

    def apply_couriers(self, page: wire.CourierPage) -> int:
        with self._cache.write() as s:
            for remote in page.couriers:
                row = s.get(Courier, remote.courier_id) or Courier(courier_id=remote.courier_id)
                row.name, row.active, row.version = remote.name, remote.active, remote.version
                row.pin_hash, row.badge_hash = remote.pin_hash, remote.badge_hash
                s.add(row)
            st = journal.sync_state(s)
            st.courier_cursor = page.next_cursor
            s.add(st)
        return len(page.couriers)

    def reset_cursors(self) -> None:
        """Pull everything again from the start (the `resync` command)."""
        with self._cache.write() as s:
            st = journal.sync_state(s)
            st.parcel_cursor = st.courier_cursor = None
            s.add(st)

    # -- push ------------------------------------------------------------------------------

    def outbox_batch(self, limit: int) -> list[OutboxEvent]:
        """The oldest unacknowledged events, rejected ones excluded so they never block."""
        with self._cache.read() as s:
            q = (
                select(OutboxEvent)
                .where(col(OutboxEvent.sent_at).is_(None), col(OutboxEvent.rejected_code).is_(None))
                .order_by(col(OutboxEvent.seq))
                .limit(limit)
            )
            return list(s.exec(q))

    def mark_attempt(self, event_ids: Sequence[str], at: datetime) -> None:
        with self._cache.write() as s:
            s.execute(
                update(OutboxEvent)
                .where(col(OutboxEvent.event_id).in_(event_ids))
                .values(attempts=OutboxEvent.attempts + 1, last_attempt_at=at)
            )

    def record_push_result(
        self, sent: Sequence[str], result: wire.EventResult, at: datetime
    ) -> PushOutcome:
        """Mark accepted and duplicate events sent, keep rejected ones with their reason.
        An event the answer does not mention stays queued and is sent again."""
        sent_ids = set(sent)
        acked = [e for e in (*result.accepted, *result.duplicates) if e in sent_ids]
        rejected = [r for r in result.rejected if r.event_id in sent_ids]
        with self._cache.write() as s:
            if acked:
                s.execute(
                    update(OutboxEvent)
                    .where(col(OutboxEvent.event_id).in_(acked), col(OutboxEvent.sent_at).is_(None))
                    .values(sent_at=at)
                )
            for r in rejected:
                s.execute(
                    update(OutboxEvent)
                    .where(col(OutboxEvent.event_id) == r.event_id)
                    .values(rejected_code=r.code[:100], rejected_message=r.message[:500])
                )
            _store_depth(s)
        answered = set(acked) | {r.event_id for r in rejected}
        return PushOutcome(len(set(acked)), len(rejected), len(sent_ids - answered))

    def prune_sent(self, before: datetime) -> int:
        """Drop events acknowledged before `before` (the audit log keeps the history;
        `seq` lives in sync_state, so numbering is unaffected). Rejected events stay."""
        with self._cache.write() as s:
            result = s.execute(
                delete(OutboxEvent).where(
                    col(OutboxEvent.sent_at).is_not(None), col(OutboxEvent.sent_at) < before
                )
            )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    # -- heartbeat and commands --------------------------------------------------------

    def heartbeat_snapshot(self) -> tuple[list[Compartment], int, int]:
        """(compartments, outbox depth, last event seq) for the heartbeat body."""
        with self._cache.read() as s:
            comps = list(s.exec(select(Compartment).order_by(Compartment.id)))
            depth = _depth(s)
            st = journal.sync_state_or_none(s)
        return comps, depth, st.last_event_seq if st else 0

    def store_commands(self, commands: Iterable[wire.Command], at: datetime) -> int:
        """Keep new commands for the kiosk; one already known (by id) is never stored twice."""
        added = 0
        with self._cache.write() as s:
            for c in commands:
                if s.get(Command, c.command_id) is not None:
                    continue
                s.add(Command(
                    command_id=c.command_id, type=c.type.value, compartment_id=c.compartment_id,
                    reason=c.reason, expires_at=c.expires_at, received_at=at,
                ))
                added += 1
        return added

    # -- health ---------------------------------------------------------------------------

    def record_success(
        self, at: datetime, *, clock_skew_s: float | None = None, heartbeat: bool = False
    ) -> None:
        with self._cache.write() as s:
            st = journal.sync_state(s)
            st.last_success_at = st.last_attempt_at = at
            st.offline_since = None
            st.last_error = None
            if clock_skew_s is not None:
                st.clock_skew_s = clock_skew_s
            if heartbeat:
                st.last_heartbeat_at = at
            _store_depth(s, st)

    def record_failure(self, at: datetime, error: str) -> bool:
        """Store the error; True if this starts a new failure streak (log it then)."""
        with self._cache.write() as s:
            st = journal.sync_state(s)
            new_streak = st.offline_since is None
            if new_streak:
                st.offline_since = at
            st.last_attempt_at, st.last_error, st.last_error_at = at, error[:1000], at
            _store_depth(s, st)
        return new_streak


def _depth(s: Session) -> int:
    q = select(func.count()).select_from(OutboxEvent).where(
        col(OutboxEvent.sent_at).is_(None), col(OutboxEvent.rejected_code).is_(None)
    )
    return int(s.exec(q).one())


def _store_depth(s: Session, st: Any = None) -> None:
    st = st or journal.sync_state(s)
    st.outbox_depth = _depth(s)
    s.add(st)


def _parcels_with_unacked_events(s: Session, parcel_ids: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(parcel_ids), 500):  # SQLite caps bound parameters
        chunk = parcel_ids[i : i + 500]
        q = select(OutboxEvent.parcel_id).where(
            col(OutboxEvent.parcel_id).in_(chunk),
            col(OutboxEvent.sent_at).is_(None),
            col(OutboxEvent.rejected_code).is_(None),
        )
        found.update(pid for pid in s.exec(q) if pid is not None)
    return found


_PARCEL = Parcel.__table__  # type: ignore[attr-defined]
_DATA_FIELDS = ("order_ref", "size", "barcode", "pickup_code_hash", "pickup_deadline",
                "recipient_hint", "version")
_FULL_FIELDS = (*_DATA_FIELDS, "state", "compartment_id", "local_base_version")


def _local_base_versions(s: Session, parcel_ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i in range(0, len(parcel_ids), 500):
        q = select(Parcel.parcel_id, Parcel.local_base_version).where(
            col(Parcel.parcel_id).in_(parcel_ids[i : i + 500]),
            col(Parcel.local_base_version).is_not(None),
        )
        found.update((pid, base) for pid, base in s.exec(q) if base is not None)
    return found


def upsert_parcels_with_driver(
    s: Session, rows: list[dict[str, Any]], fields: Sequence[str]
) -> None:
    """Upsert pulled parcel rows through the driver's own `executemany`, inside the
    session's transaction. SQLAlchemy's executemany spends most of a page in per-row
    parameter handling; here each column's bind processor (the same conversion
    SQLAlchemy applies: UTC datetimes to its text form, enums to their value) is called
    once per value and the rows go to sqlite3 as tuples. Twice as fast on a
    100,000-parcel first pull (docs/benchmarks.md)."""
    if not rows:
        return
    conn = s.connection()
    sql, getter, procs = _driver_upsert(conn.dialect, tuple(rows[0]), tuple(fields))
    params = [list(getter(row)) for row in rows]  # column order, at C speed
    for index, proc in procs:  # only the few columns that have a conversion
        for values in params:
            values[index] = proc(values[index])
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, params)
    finally:
        cursor.close()


def upsert_parcels_with_core(
    s: Session, rows: list[dict[str, Any]], fields: Sequence[str]
) -> None:
    """The same upsert as a SQLAlchemy Core executemany (the benchmark's baseline, and
    the reference the driver path is tested against)."""
    if not rows:
        return
    stmt = sqlite_insert(_PARCEL)
    s.execute(stmt.on_conflict_do_update(
        index_elements=[_PARCEL.c.parcel_id],
        set_={k: stmt.excluded[k] for k in fields},
    ), rows)


@functools.cache
def _driver_upsert(
    dialect: Dialect, keys: tuple[str, ...], fields: tuple[str, ...]
) -> tuple[str, Callable[[dict[str, Any]], tuple[Any, ...]], tuple[tuple[int, Any], ...]]:
    names = ", ".join(keys)
    marks = ", ".join("?" for _ in keys)
    sets = ", ".join(f"{k} = excluded.{k}" for k in fields)
    sql = (f"INSERT INTO {_PARCEL.name} ({names}) VALUES ({marks}) "
           f"ON CONFLICT (parcel_id) DO UPDATE SET {sets}")
    procs = tuple(
        (i, proc) for i, k in enumerate(keys)
        if (proc := _PARCEL.c[k].type.dialect_impl(dialect).bind_processor(dialect)) is not None
    )
    return sql, operator.itemgetter(*keys), procs


def _parcel_values(remote: wire.Parcel) -> dict[str, Any]:
    """Row values for a pulled parcel; `state`/`compartment_id` are only written by the
    full upsert (an insert always writes them: a new row has no local change)."""
    return {
        "parcel_id": remote.parcel_id,
        "order_ref": remote.order_ref,
        "state": ParcelState(remote.state.value),
        "size": remote.size.value,
        "compartment_id": remote.compartment_id,
        "pickup_code_hash": remote.pickup_code_hash,
        "pickup_deadline": remote.pickup_deadline,
        "barcode": remote.barcode,
        "recipient_hint": remote.recipient_hint,
        "accessible": remote.accessible,
        "version": remote.version,
        "local_base_version": None,
    }
