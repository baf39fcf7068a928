"""The kiosk's view of the local cache: look-ups, and changes that are recorded together
with their outbox event and audit row in one transaction.

Usage::

    cache = Cache.open("/var/lib/expresspoint/cache.db")   # migrates first
    code_hash = cache.hash_code(typed_code)                # ProfileMissing before 1st sync
    parcels = cache.parcels_for_code_hash(code_hash)        # every state, newest first
    intent = cache.record_open_intent("A07", [p.parcel_id], ActorKind.CUSTOMER, None, "pickup")
    ...send the unlock frame, confirm the door...
    cache.record_pickup([p.parcel_id], "A07", intent_id=intent)
    cache.close()

Every write runs in one `BEGIN IMMEDIATE` transaction: state change, outbox event(s) with
the next `seq`, and audit row(s) land together or not at all. Plain codes and PINs are
only ever passed to `hash_code` / `hash_secret`; nothing here stores or logs them.
Returned rows are detached copies: changing them changes nothing in the file.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from sync import codes
from sync.cache import journal
from sync.cache.engine import Engines, make_engines
from sync.cache.errors import InvalidTransition, LayoutConflict, NotFound, ProfileMissing
from sync.cache.migrate import upgrade
from sync.cache.models import (
    ActorKind,
    AuditEntry,
    AuditKind,
    Command,
    CommandStatus,
    Compartment,
    CompartmentState,
    Courier,
    DoorState,
    EventType,
    OutboxEvent,
    Parcel,
    ParcelState,
    utcnow,
)
from sync.cache.records import CompartmentSpec, LayoutChange, LockerProfile, SyncStatus

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

# Audit kind written alongside an event recorded through `record_event`.
_EVENT_AUDIT: dict[EventType, AuditKind] = {
    EventType.CODE_DENIED: AuditKind.CODE_DENIED,
    EventType.CODE_LOCKOUT: AuditKind.ALARM,
    EventType.COURIER_LOGIN: AuditKind.LOGIN,
    EventType.TECHNICIAN_LOGIN: AuditKind.LOGIN,
    EventType.COURIER_LOGIN_FAILED: AuditKind.LOGIN_FAILED,
    EventType.COMPARTMENT_FORCED_OPEN: AuditKind.ALARM,
    EventType.COMPARTMENT_LEFT_OPEN: AuditKind.ALARM,
    EventType.COMPARTMENT_JAMMED: AuditKind.ALARM,
}
_PICKABLE = {ParcelState.STORED, ParcelState.EXPIRED, ParcelState.CANCELLED}
_COLLECTABLE = {ParcelState.STORED, ParcelState.EXPIRED, ParcelState.CANCELLED}


class Cache:
    """The local SQLite cache, shared by the kiosk process and the sync worker."""

    def __init__(self, engines: Engines, path: Path, clock: Clock = utcnow) -> None:
        self._engines = engines
        self.path = path
        self._clock = clock

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        clock: Clock = utcnow,
        migrate: bool = True,
        backup_dir: Path | None = None,
    ) -> Cache:
        """Open (creating if needed) and migrate the cache file; an existing file is backed
        up first (next to it, or in `backup_dir`). Raises MigrationFailed."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        engines = make_engines(path)
        if migrate:
            try:
                upgrade(engines, path, backup_dir=backup_dir)
            except BaseException:
                engines.dispose()
                raise
        return cls(engines, path, clock)

    def close(self) -> None:
        self._engines.dispose()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def engines(self) -> Engines:
        return self._engines

    @property
    def clock(self) -> Clock:
        return self._clock

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One BEGIN IMMEDIATE transaction; committed on normal exit, rolled back on error."""
        with Session(self._engines.writer, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self._engines.reader, expire_on_commit=False) as session, session.begin():
            yield session

    # -- locker profile and code hashing ------------------------------------------------

    def profile(self) -> LockerProfile:
        with self.read() as s:
            st = journal.sync_state_or_none(s)
        if st is None or not st.code_salt or not st.code_kdf or not st.locker_id:
            raise ProfileMissing()
        return LockerProfile(
            locker_id=st.locker_id,
            name=st.locker_name or "",
            address=st.address or "",
            timezone=st.timezone or "UTC",
            code_salt=st.code_salt,
            kdf=codes.KdfParams.from_profile(json.loads(st.code_kdf)),
            layout_version=st.layout_version,
            updated_at=st.profile_updated_at,
        )

    @property
    def code_salt(self) -> str:
        return self.profile().code_salt

    @property
    def kdf(self) -> codes.KdfParams:
        return self.profile().kdf

    def hash_code(self, code: str) -> str:
        """Pickup-code hash with the cached profile. MalformedCode, ProfileMissing."""
        p = self.profile()
        return codes.hash_code(code, p.code_salt, p.kdf)

    def hash_secret(self, secret: str) -> str:
        """PIN or badge-payload hash, made like the central side makes `pin_hash`."""
        p = self.profile()
        return codes.hash_secret(secret, p.code_salt, p.kdf)

    # -- parcels and couriers -----------------------------------------------------------

    def parcels_for_code_hash(self, code_hash: str) -> list[Parcel]:
        """Every parcel with this code hash, in all states, highest version first."""
        with self.read() as s:
            q = select(Parcel).where(Parcel.pickup_code_hash == code_hash)
            return list(s.exec(q.order_by(col(Parcel.version).desc())))

    def parcel(self, parcel_id: str) -> Parcel | None:
        with self.read() as s:
            return s.get(Parcel, parcel_id)

    def parcel_by_barcode(self, barcode: str) -> Parcel | None:
        """The parcel with this label; an open one (expected/stored) wins over old ones."""
        with self.read() as s:
            rows = list(s.exec(select(Parcel).where(Parcel.barcode == barcode)))
        if not rows:
            return None
        open_states = {ParcelState.EXPECTED, ParcelState.STORED}
        return max(rows, key=lambda p: (p.state in open_states, p.version))

    def parcels_in_compartment(self, compartment_id: str) -> list[Parcel]:
        """Parcels physically in the compartment (stored, expired or cancelled there)."""
        with self.read() as s:
            q = select(Parcel).where(
                Parcel.compartment_id == compartment_id, col(Parcel.state).in_(_COLLECTABLE)
            )
            return list(s.exec(q))

    def parcels_to_collect(self) -> list[Parcel]:
        """Expired or cancelled parcels still in a compartment, for the courier's collection."""
        with self.read() as s:
            q = select(Parcel).where(
                col(Parcel.state).in_([ParcelState.EXPIRED, ParcelState.CANCELLED]),
                col(Parcel.compartment_id).is_not(None),
            )
            return list(s.exec(q.order_by(Parcel.compartment_id)))

    def courier(self, courier_id: str) -> Courier | None:
        with self.read() as s:
            return s.get(Courier, courier_id)

    def courier_by_badge_hash(self, badge_hash: str) -> Courier | None:
        with self.read() as s:
            return s.exec(select(Courier).where(Courier.badge_hash == badge_hash)).first()

    # -- compartments ----------------------------------------------------------------------

    def compartment(self, compartment_id: str) -> Compartment:
        with self.read() as s:
            return _get_compartment(s, compartment_id)

    def compartments(self) -> list[Compartment]:
        """All compartments in fill order: column, then row, then label."""
        with self.read() as s:
            return list(s.exec(select(Compartment).order_by(*_FILL_ORDER)))

    def free_compartments(self, size: str | None = None) -> list[Compartment]:
        """Free compartments of `size` (all sizes if None) in fill order."""
        with self.read() as s:
            q = select(Compartment).where(Compartment.state == CompartmentState.FREE)
            if size is not None:
                q = q.where(Compartment.size == size)
            return list(s.exec(q.order_by(*_FILL_ORDER)))

    def set_compartment_state(
        self,
        compartment_id: str,
        state: CompartmentState,
        *,
        actor_kind: ActorKind = ActorKind.SYSTEM,
        actor_id: str | None = None,
        reason: str = "",
    ) -> Compartment:
        """Change the state, with an audit row and, when a compartment leaves or returns
        to service, a `compartment.out_of_service` / `compartment.in_service` event."""
        now = self._clock()
        state = CompartmentState(state)
        with self.write() as s:
            comp = _get_compartment(s, compartment_id)
            before = comp.state
            if before == state:
                return comp
            comp.state, comp.updated_at = state, now
            s.add(comp)
            event_type = None
            if state == CompartmentState.OUT_OF_SERVICE:
                event_type = EventType.COMPARTMENT_OUT_OF_SERVICE
            elif before == CompartmentState.OUT_OF_SERVICE:
                event_type = EventType.COMPARTMENT_IN_SERVICE
            event_id = None
            if event_type is not None:
                ev = journal.append_event(
                    s, event_type, at=now, compartment_id=compartment_id,
                    actor_kind=actor_kind, actor_id=actor_id,
                    data={"reason": reason, "from": before.value},
                )
                event_id = ev.event_id
            journal.append_audit(
                s, AuditKind.COMPARTMENT_STATE, at=now, actor_kind=actor_kind,
                actor_id=actor_id, compartment_id=compartment_id, event_id=event_id,
                detail=f"{before.value} -> {state.value}: {reason}",
            )
            return comp

    def set_door_state(
        self, compartment_id: str, door: DoorState, occupied: bool | None = None
    ) -> None:
        """Last polled door and occupancy (no audit: polls are not events)."""
        with self.write() as s:
            comp = _get_compartment(s, compartment_id)
            comp.door, comp.occupied, comp.updated_at = DoorState(door), occupied, self._clock()
            s.add(comp)

    def replace_layout(self, specs: Iterable[CompartmentSpec]) -> LayoutChange:
        """Make the compartment table match the configured layout. Existing compartments
        keep their state; one that holds a parcel cannot be dropped (LayoutConflict)."""
        wanted = {spec.id: spec for spec in specs}
        now = self._clock()
        with self.write() as s:
            current = {c.id: c for c in s.exec(select(Compartment))}
            removed = sorted(set(current) - set(wanted))
            held = [
                cid for cid in removed
                if current[cid].state == CompartmentState.OCCUPIED
                or s.exec(select(Parcel.parcel_id).where(
                    Parcel.compartment_id == cid, col(Parcel.state).in_(_COLLECTABLE)
                )).first()
            ]
            if held:
                raise LayoutConflict(
                    f"the new layout drops compartments that hold parcels: {', '.join(held)}; "
                    "empty them (collect or pick up) before removing them from the layout"
                )
            added, updated = [], []
            for cid, spec in wanted.items():
                comp = current.get(cid)
                fields: dict[str, Any] = {
                    "board": spec.board, "channel": spec.channel, "size": spec.size,
                    "column": spec.column, "row": spec.row,
                }
                if comp is None:
                    s.add(Compartment(id=cid, updated_at=now, **fields))
                    added.append(cid)
                elif any(getattr(comp, k) != v for k, v in fields.items()):
                    for k, v in fields.items():
                        setattr(comp, k, v)
                    comp.updated_at = now
                    s.add(comp)
                    updated.append(cid)
            for cid in removed:
                s.delete(current[cid])
            change = LayoutChange(tuple(sorted(added)), tuple(sorted(updated)), tuple(removed))
            if added or updated or removed:
                journal.append_audit(
                    s, AuditKind.LAYOUT, at=now,
                    detail=f"added {len(added)}, updated {len(updated)}, removed {removed}",
                )
            return change

    # -- door openings and the flows' outcomes ------------------------------------------

    def record_open_intent(
        self,
        compartment_id: str,
        parcel_ids: Sequence[str],
        actor_kind: ActorKind,
        actor_id: str | None,
        reason: str,
    ) -> int:
        """Call BEFORE the unlock frame leaves. Writes the audit row and the
        `compartment.opened` event in one transaction; returns the intent id (audit id)
        to pass to `record_open_outcome` and the record_* calls."""
        now = self._clock()
        with self.write() as s:
            _get_compartment(s, compartment_id)
            ev = journal.append_event(
                s, EventType.COMPARTMENT_OPENED, at=now, compartment_id=compartment_id,
                parcel_id=parcel_ids[0] if len(parcel_ids) == 1 else None,
                actor_kind=actor_kind, actor_id=actor_id,
                data={"reason": reason, "parcel_ids": list(parcel_ids)},
            )
            entry = journal.append_audit(
                s, AuditKind.DOOR_OPEN, at=now, actor_kind=actor_kind, actor_id=actor_id,
                compartment_id=compartment_id, event_id=ev.event_id,
                parcel_id=parcel_ids[0] if len(parcel_ids) == 1 else None,
                detail=f"unlock requested: {reason}; parcels {list(parcel_ids)}",
            )
            assert entry.id is not None
            return entry.id

    def record_open_outcome(self, intent_id: int, outcome: str, detail: str = "") -> None:
        """What the door did after the unlock (opened, already_open, jammed,
        outcome_unknown, not_sent). A jam also raises `compartment.jammed`."""
        now = self._clock()
        with self.write() as s:
            intent = s.get(AuditEntry, intent_id)
            if intent is None or intent.kind != AuditKind.DOOR_OPEN:
                raise NotFound(f"no door-open intent with id {intent_id}")
            event_id = None
            if outcome == "jammed":
                ev = journal.append_event(
                    s, EventType.COMPARTMENT_JAMMED, at=now,
                    compartment_id=intent.compartment_id, actor_kind=intent.actor_kind,
                    actor_id=intent.actor_id, data={"intent_id": intent_id, "detail": detail},
                )
                event_id = ev.event_id
            journal.append_audit(
                s, AuditKind.DOOR_OUTCOME, at=now, actor_kind=intent.actor_kind,
                actor_id=intent.actor_id, compartment_id=intent.compartment_id,
                event_id=event_id, detail=f"intent {intent_id}: {outcome} {detail}".strip(),
            )

    def record_pickup(
        self,
        parcel_ids: Sequence[str],
        compartment_id: str,
        *,
        actor_kind: ActorKind = ActorKind.CUSTOMER,
        actor_id: str | None = None,
        intent_id: int | None = None,
    ) -> list[OutboxEvent]:
        """Parcels -> picked_up, compartment -> free, one `parcel.picked_up` event per
        parcel, audit; all or nothing. InvalidTransition if one was already taken."""
        return self._take_out(
            parcel_ids, compartment_id, _PICKABLE, ParcelState.PICKED_UP,
            EventType.PARCEL_PICKED_UP, AuditKind.PICKUP, actor_kind, actor_id, intent_id,
        )

    def record_collection(
        self,
        parcel_ids: Sequence[str],
        compartment_id: str,
        *,
        courier_id: str,
        intent_id: int | None = None,
    ) -> list[OutboxEvent]:
        """A courier took expired/cancelled parcels back: -> collected, compartment free."""
        return self._take_out(
            parcel_ids, compartment_id, _COLLECTABLE, ParcelState.COLLECTED,
            EventType.PARCEL_COLLECTED, AuditKind.COLLECTION, ActorKind.COURIER, courier_id,
            intent_id,
        )

    def record_deposit(
        self,
        parcel_id: str,
        compartment_id: str,
        *,
        courier_id: str,
        intent_id: int | None = None,
    ) -> OutboxEvent:
        """An expected parcel was loaded: -> stored in the compartment, which -> occupied."""
        now = self._clock()
        with self.write() as s:
            parcel = _get_parcel(s, parcel_id)
            comp = _get_compartment(s, compartment_id)
            if parcel.state != ParcelState.EXPECTED:
                raise InvalidTransition(
                    f"parcel {parcel.order_ref or parcel_id} is {parcel.state.value}, not "
                    "expected: it cannot be deposited again"
                )
            if comp.state not in (CompartmentState.FREE, CompartmentState.RESERVED):
                raise InvalidTransition(
                    f"compartment {compartment_id} is {comp.state.value}; choose a free one"
                )
            _mark_local(parcel)
            parcel.state, parcel.compartment_id = ParcelState.STORED, compartment_id
            comp.state, comp.updated_at = CompartmentState.OCCUPIED, now
            s.add(parcel)
            s.add(comp)
            ev = journal.append_event(
                s, EventType.PARCEL_DEPOSITED, at=now, parcel_id=parcel_id,
                compartment_id=compartment_id, actor_kind=ActorKind.COURIER,
                actor_id=courier_id, data=_intent(intent_id),
            )
            journal.append_audit(
                s, AuditKind.DEPOSIT, at=now, actor_kind=ActorKind.COURIER,
                actor_id=courier_id, compartment_id=compartment_id, parcel_id=parcel_id,
                event_id=ev.event_id, detail=f"deposited (intent {intent_id})",
            )
            return ev

    def record_event(
        self,
        type: EventType,
        *,
        parcel_id: str | None = None,
        compartment_id: str | None = None,
        actor_kind: ActorKind = ActorKind.SYSTEM,
        actor_id: str | None = None,
        data: Mapping[str, Any] | None = None,
        detail: str = "",
    ) -> OutboxEvent:
        """Any other event (alarms, denied codes, logins, locker.started...). Denied
        codes, logins and alarms get their audit row in the same transaction. Never put a
        plain code or PIN in `data` or `detail`."""
        now = self._clock()
        type = EventType(type)
        with self.write() as s:
            ev = journal.append_event(
                s, type, at=now, parcel_id=parcel_id, compartment_id=compartment_id,
                actor_kind=actor_kind, actor_id=actor_id, data=data,
            )
            kind = _EVENT_AUDIT.get(type)
            if kind is not None:
                journal.append_audit(
                    s, kind, at=now, actor_kind=actor_kind, actor_id=actor_id,
                    compartment_id=compartment_id, parcel_id=parcel_id,
                    event_id=ev.event_id, detail=detail or type.value,
                )
            return ev

    def audit(
        self,
        kind: AuditKind,
        *,
        actor_kind: ActorKind = ActorKind.SYSTEM,
        actor_id: str | None = None,
        compartment_id: str | None = None,
        parcel_id: str | None = None,
        detail: str = "",
    ) -> int:
        """Append an audit row on its own; returns its id."""
        with self.write() as s:
            entry = journal.append_audit(
                s, kind, at=self._clock(), actor_kind=actor_kind, actor_id=actor_id,
                compartment_id=compartment_id, parcel_id=parcel_id, detail=detail,
            )
            assert entry.id is not None
            return entry.id

    def recent_audit(self, limit: int = 100) -> list[AuditEntry]:
        with self.read() as s:
            q = select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(limit)
            return list(s.exec(q))

    # -- remote commands -----------------------------------------------------------------

    def pending_commands(self) -> list[Command]:
        """Commands not yet claimed and not expired, oldest first."""
        now = self._clock()
        with self.read() as s:
            q = select(Command).where(Command.status == CommandStatus.PENDING)
            rows = list(s.exec(q.order_by(col(Command.received_at))))
        return [c for c in rows if c.expires_at is None or c.expires_at > now]

    def claim_command(self, command_id: str) -> Command | None:
        """Mark the command running before executing it, so it runs at most once even if
        the kiosk dies halfway. None if it was already claimed or finished, or has expired
        (then it is failed with a `command.failed` event)."""
        now = self._clock()
        with self.write() as s:
            cmd = s.get(Command, command_id)
            if cmd is None:
                raise NotFound(f"no remote command {command_id!r} in the cache")
            if cmd.status != CommandStatus.PENDING:
                return None
            if cmd.expires_at is not None and cmd.expires_at <= now:
                _finish_command(s, cmd, ok=False, detail="expired before it could run", at=now)
                return None
            cmd.status = CommandStatus.RUNNING
            s.add(cmd)
            return cmd

    def mark_command_done(self, command_id: str, ok: bool, detail: str = "") -> OutboxEvent:
        """Record the result: `command.completed` / `command.failed` event plus audit."""
        now = self._clock()
        with self.write() as s:
            cmd = s.get(Command, command_id)
            if cmd is None:
                raise NotFound(f"no remote command {command_id!r} in the cache")
            if cmd.status in (CommandStatus.DONE, CommandStatus.FAILED):
                raise InvalidTransition(f"command {command_id} already finished ({cmd.status})")
            return _finish_command(s, cmd, ok=ok, detail=detail, at=now)

    # -- sync status for diagnostics ------------------------------------------------------

    def sync_status(self) -> SyncStatus:
        with self.read() as s:
            st = journal.sync_state_or_none(s)
            depth = s.exec(select(func.count()).select_from(OutboxEvent).where(
                col(OutboxEvent.sent_at).is_(None), col(OutboxEvent.rejected_code).is_(None)
            )).one()
            rejected = s.exec(select(func.count()).select_from(OutboxEvent).where(
                col(OutboxEvent.rejected_code).is_not(None)
            )).one()
        return SyncStatus(
            last_success_at=st.last_success_at if st else None,
            last_attempt_at=st.last_attempt_at if st else None,
            last_error=st.last_error if st else None,
            last_error_at=st.last_error_at if st else None,
            offline_since=st.offline_since if st else None,
            clock_skew_s=st.clock_skew_s if st else None,
            outbox_depth=int(depth),
            rejected_events=int(rejected),
            last_event_seq=st.last_event_seq if st else 0,
            last_heartbeat_at=st.last_heartbeat_at if st else None,
        )

    def rejected_events(self, limit: int = 50) -> list[OutboxEvent]:
        """Events the central service refused, newest first (kept for diagnostics)."""
        with self.read() as s:
            q = select(OutboxEvent).where(col(OutboxEvent.rejected_code).is_not(None))
            return list(s.exec(q.order_by(col(OutboxEvent.seq).desc()).limit(limit)))

    # -- helpers -------------------------------------------------------------------------

    def _take_out(
        self,
        parcel_ids: Sequence[str],
        compartment_id: str,
        allowed: set[ParcelState],
        new_state: ParcelState,
        event_type: EventType,
        audit_kind: AuditKind,
        actor_kind: ActorKind,
        actor_id: str | None,
        intent_id: int | None,
    ) -> list[OutboxEvent]:
        if not parcel_ids:
            raise ValueError("no parcel given")
        now = self._clock()
        with self.write() as s:
            comp = _get_compartment(s, compartment_id)
            events = []
            for pid in parcel_ids:
                parcel = _get_parcel(s, pid)
                if parcel.state not in allowed:
                    raise InvalidTransition(
                        f"parcel {parcel.order_ref or pid} is {parcel.state.value}; "
                        f"it cannot become {new_state.value}"
                    )
                _mark_local(parcel)
                parcel.state = new_state
                parcel.compartment_id = compartment_id
                s.add(parcel)
                ev = journal.append_event(
                    s, event_type, at=now, parcel_id=pid, compartment_id=compartment_id,
                    actor_kind=actor_kind, actor_id=actor_id, data=_intent(intent_id),
                )
                journal.append_audit(
                    s, audit_kind, at=now, actor_kind=actor_kind, actor_id=actor_id,
                    compartment_id=compartment_id, parcel_id=pid, event_id=ev.event_id,
                    detail=f"{new_state.value} (intent {intent_id})",
                )
                events.append(ev)
            s.flush()
            still_inside = s.exec(select(Parcel.parcel_id).where(
                Parcel.compartment_id == compartment_id, col(Parcel.state).in_(_COLLECTABLE)
            )).first()
            if still_inside is None and comp.state == CompartmentState.OCCUPIED:
                comp.state, comp.updated_at = CompartmentState.FREE, now
                s.add(comp)
            return events


_FILL_ORDER = (col(Compartment.column), col(Compartment.row), col(Compartment.id))


def _get_compartment(s: Session, compartment_id: str) -> Compartment:
    comp = s.get(Compartment, compartment_id)
    if comp is None:
        raise NotFound(f"compartment {compartment_id!r} is not in the configured layout")
    return comp


def _get_parcel(s: Session, parcel_id: str) -> Parcel:
    parcel = s.get(Parcel, parcel_id)
    if parcel is None:
        raise NotFound(f"parcel {parcel_id!r} is not in the cache; wait for the next sync")
    return parcel


def _mark_local(parcel: Parcel) -> None:
    # Remember the central version this local change was based on (kept across several
    # local changes until the central side has sent a newer copy).
    if parcel.local_base_version is None:
        parcel.local_base_version = parcel.version


def _intent(intent_id: int | None) -> dict[str, Any]:
    return {} if intent_id is None else {"intent_id": intent_id}


def _finish_command(
    s: Session, cmd: Command, *, ok: bool, detail: str, at: datetime
) -> OutboxEvent:
    cmd.status = CommandStatus.DONE if ok else CommandStatus.FAILED
    cmd.finished_at, cmd.detail = at, detail
    s.add(cmd)
    ev = journal.append_event(
        s, EventType.COMMAND_COMPLETED if ok else EventType.COMMAND_FAILED, at=at,
        compartment_id=cmd.compartment_id, actor_kind=ActorKind.OPERATOR,
        data={"command_id": cmd.command_id, "command_type": cmd.type, "detail": detail},
    )
    journal.append_audit(
        s, AuditKind.COMMAND, at=at, actor_kind=ActorKind.OPERATOR,
        compartment_id=cmd.compartment_id, event_id=ev.event_id,
        detail=f"{cmd.type} {cmd.command_id}: {'done' if ok else 'failed'} {detail}".strip(),
    )
    return ev
