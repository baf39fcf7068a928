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
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlmodel import Session, col, select

from contract import codes, wire
from sync import profile_policy
from sync.cache import claims, contents, journal, pull
from sync.cache.cache import Cache
from sync.cache.errors import CacheError
from sync.cache.models import (
    ClaimStatus,
    Command,
    Compartment,
    Courier,
    LocalCommandStatus,
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
        """Store the profile. Only for the first profile or one whose salt and KDF are
        the cached ones; a change of either goes through `apply_rekey`."""
        with self._cache.write() as s:
            st = journal.sync_state(s)
            _set_profile(st, profile, at)
            s.add(st)

    def profile_fingerprint(self) -> str | None:
        """What the cached code hashes were made with (salt and KDF), or None."""
        with self._cache.read() as s:
            st = journal.sync_state_or_none(s)
        if st is None or not st.code_salt or not st.code_kdf:
            return None
        kdf = codes.KdfParams.from_profile(json.loads(st.code_kdf))
        return profile_policy.fingerprint(st.code_salt, kdf)

    def apply_parcels(self, page: wire.ParcelPage, *, max_parcels: int | None = None) -> int:
        """Apply the page by the rules of `sync.cache.pull` and store its cursor, in one
        transaction; returns rows applied. The page that ends the first complete pull
        (`has_more` false) also ends the building of the cache from nothing. With
        `max_parcels`, a page that would make the cache hold more parcels raises
        CacheLimit and applies nothing."""
        now = self._cache.clock()
        with self._cache.write() as s:
            st = journal.sync_state(s)
            _apply_parcel_rows(s, page.parcels, building=st.first_pull_done_at is None,
                               now=now, upsert=self._upsert, max_parcels=max_parcels)
            st.parcel_cursor = page.next_cursor
            if st.first_pull_done_at is None and not page.has_more:
                st.first_pull_done_at = now
            s.add(st)
        return len(page.parcels)

    def apply_couriers(self, page: wire.CourierPage) -> int:
        with self._cache.write() as s:
            _apply_courier_rows(s, page.couriers)
            st = journal.sync_state(s)
            st.courier_cursor = page.next_cursor
            s.add(st)
        return len(page.couriers)

    def apply_rekey(
        self,
        profile: wire.LockerProfile,
        parcels: Sequence[wire.Parcel],
        parcel_cursor: str,
        couriers: Sequence[wire.Courier],
        courier_cursor: str,
        at: datetime,
    ) -> None:
        """Take a new salt or KDF together with every re-hashed code, in one transaction.
        Every cached parcel and courier with a hash must be in `parcels` / `couriers`
        (pulled from the start, hashed with the new profile); otherwise RekeyIncomplete
        and nothing changes: the old profile and its hashes stay."""
        with self._cache.write() as s:
            have_parcels = {p.parcel_id for p in parcels}
            have_couriers = {c.courier_id for c in couriers}
            hashed = set(s.exec(select(Parcel.parcel_id).where(
                col(Parcel.pickup_code_hash).is_not(None))))
            hashed_couriers = set(s.exec(select(Courier.courier_id).where(
                col(Courier.pin_hash).is_not(None) | col(Courier.badge_hash).is_not(None))))
            missing = sorted(hashed - have_parcels) + sorted(hashed_couriers - have_couriers)
            if missing:
                raise RekeyIncomplete(missing)
            st = journal.sync_state(s)
            _apply_parcel_rows(s, parcels, building=st.first_pull_done_at is None, now=at,
                               upsert=self._upsert)
            _apply_courier_rows(s, couriers)
            _set_profile(st, profile, at)
            st.parcel_cursor, st.courier_cursor = parcel_cursor, courier_cursor
            s.add(st)

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

    def store_commands(self, commands: Iterable[wire.Command], at: datetime, *,
                       max_pending: int | None = None) -> int:
        """Keep new commands for the kiosk; one already known (by id) is never stored twice.
        An expiry beyond the contract's longest lifetime is clipped to it, and no more
        than `max_pending` commands wait at once (the rest are not stored)."""
        added = 0
        latest = at + timedelta(seconds=wire.MAX_COMMAND_TTL_S)
        with self._cache.write() as s:
            waiting = int(s.exec(select(func.count()).select_from(Command).where(
                Command.status == LocalCommandStatus.PENDING)).one())
            for c in commands:
                if max_pending is not None and waiting >= max_pending:
                    break
                if s.get(Command, c.command_id) is not None:
                    continue
                s.add(Command(
                    command_id=c.command_id, type=c.type.value, compartment_id=c.compartment_id,
                    reason=c.reason[:500], expires_at=min(c.expires_at, latest),
                    received_at=at,
                ))
                added += 1
                waiting += 1
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


class RekeyIncomplete(CacheError):
    """A new salt or KDF came without the re-hashed code of every cached parcel."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = list(missing)
        shown = ", ".join(self.missing[:5]) + (" ..." if len(self.missing) > 5 else "")
        super().__init__(f"{len(self.missing)} cached parcel(s)/courier(s) came without a "
                         f"hash made with the new profile ({shown})")


class CacheLimit(CacheError):
    """A pull would make the cache hold more parcels than the kiosk keeps."""


def _set_profile(st: Any, profile: wire.LockerProfile, at: datetime) -> None:
    st.locker_id, st.locker_name = profile.locker_id, profile.name
    st.address, st.timezone = profile.address, profile.timezone
    st.code_salt = profile.code_salt
    st.code_kdf = json.dumps(profile.code_kdf.model_dump(), sort_keys=True)
    st.layout_version = str(profile.layout_version)
    st.profile_updated_at = at


def _apply_parcel_rows(s: Session, parcels: Sequence[wire.Parcel], *, building: bool,
                       now: datetime, upsert: ParcelUpsert,
                       max_parcels: int | None = None) -> None:
    ids = [p.parcel_id for p in parcels]
    known = _local_rows(s, ids)
    if max_parcels is not None:
        new = len({i for i in ids if i not in known})
        held = int(s.exec(select(func.count()).select_from(Parcel)).one())
        if new and held + new > max_parcels:
            raise CacheLimit(f"the cache holds {held} parcels and the page brings {new} "
                             f"new ones: more than the {max_parcels} a kiosk keeps")
    full: list[dict[str, Any]] = []
    data_only: list[dict[str, Any]] = []
    touched: set[str] = set()
    for remote in parcels:
        local = known.get(remote.parcel_id)
        d = pull.decide(local, remote, building=building)
        values = _parcel_values(remote)
        if d.state is None:
            data_only.append(values)
        else:
            values["state"], values["compartment_id"] = d.state, d.compartment_id
            full.append(values)
        if local is not None and local.claim and (d.withdraw or (
                d.claim and d.claim != local.claim)):
            touched.add(local.claim)
            claims.close_unverified(s, remote.parcel_id, ClaimStatus.REFUTED, now,
                                    "withdrawn by the central service")
        if d.claim:
            touched.add(d.claim)
            claims.put_unverified(s, remote, d.claim, now)
        if d.refuse:
            claims.refuse(s, remote, pull.claimed_door(remote), d.refuse, now,
                          local_compartment=local.compartment_id if local else None)
    # A pull never moves a parcel between doors: compartment_id is written on insert only.
    upsert(s, full, _FULL_FIELDS)
    upsert(s, data_only, _DATA_FIELDS)
    contents.settle(s, touched, now)


def _apply_courier_rows(s: Session, couriers: Sequence[wire.Courier]) -> None:
    for remote in couriers:
        row = s.get(Courier, remote.courier_id) or Courier(courier_id=remote.courier_id)
        row.name, row.active, row.version = remote.name, remote.active, remote.version
        row.pin_hash, row.badge_hash = remote.pin_hash, remote.badge_hash
        s.add(row)


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
_FULL_FIELDS = (*_DATA_FIELDS, "state", "local_base_version")


def _local_rows(s: Session, parcel_ids: list[str]) -> dict[str, pull.Local]:
    """What the cache knows of these parcels: state, door, local change, open claim."""
    pending = _parcels_with_unacked_events(s, parcel_ids)
    open_claims = claims.unverified_by_parcel(s, parcel_ids)
    found: dict[str, pull.Local] = {}
    for i in range(0, len(parcel_ids), 500):  # SQLite caps bound parameters
        q = select(Parcel.parcel_id, Parcel.state, Parcel.compartment_id,
                   Parcel.local_base_version).where(
            col(Parcel.parcel_id).in_(parcel_ids[i : i + 500]))
        for pid, state, cid, base in s.exec(q):
            found[pid] = pull.Local(ParcelState(state), cid, base, pid in pending,
                                    open_claims.get(pid))
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
    """Row values for a pulled parcel; `state` is only written by the full upsert with
    the state `pull.decide` chose, `compartment_id` only ever on insert."""
    return {
        "parcel_id": remote.parcel_id,
        "order_ref": remote.order_ref,
        "state": ParcelState(remote.state.value),
        "size": remote.size.value,
        "compartment_id": None,
        "pickup_code_hash": remote.pickup_code_hash,
        "pickup_deadline": remote.pickup_deadline,
        "barcode": remote.barcode,
        "recipient_hint": remote.recipient_hint,
        "accessible": remote.accessible,
        "version": remote.version,
        "local_base_version": None,
    }
