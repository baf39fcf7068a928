"""Appending to the outbox and the audit log inside the caller's write transaction.

Every event gets the next per-locker `seq` from `sync_state.last_event_seq` while the
transaction holds SQLite's write lock (BEGIN IMMEDIATE), so two processes can never hand
out the same number, and a rolled-back transaction hands out none.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

from sync.cache.models import (
    ActorKind,
    AuditEntry,
    AuditKind,
    EventType,
    OutboxEvent,
    SyncState,
)


def sync_state(session: Session) -> SyncState:
    """The single sync_state row, created on first use."""
    state = session.get(SyncState, 1)
    if state is None:
        state = SyncState(id=1)
        session.add(state)
        session.flush()
    return state


def append_event(
    session: Session,
    type: EventType,
    *,
    at: datetime,
    parcel_id: str | None = None,
    compartment_id: str | None = None,
    actor_kind: ActorKind = ActorKind.SYSTEM,
    actor_id: str | None = None,
    data: Mapping[str, Any] | None = None,
) -> OutboxEvent:
    state = sync_state(session)
    state.last_event_seq += 1
    event = OutboxEvent(
        event_id=str(uuid.uuid4()),
        seq=state.last_event_seq,
        type=EventType(type),
        occurred_at=at,
        parcel_id=parcel_id,
        compartment_id=compartment_id,
        actor_kind=ActorKind(actor_kind),
        actor_id=actor_id,
        data=json.dumps(dict(data or {}), sort_keys=True, separators=(",", ":")),
        created_at=at,
    )
    session.add(state)
    session.add(event)
    return event


def append_audit(
    session: Session,
    kind: AuditKind,
    *,
    at: datetime,
    actor_kind: ActorKind = ActorKind.SYSTEM,
    actor_id: str | None = None,
    compartment_id: str | None = None,
    parcel_id: str | None = None,
    event_id: str | None = None,
    detail: str = "",
) -> AuditEntry:
    entry = AuditEntry(
        at=at,
        kind=AuditKind(kind),
        actor_kind=ActorKind(actor_kind),
        actor_id=actor_id,
        compartment_id=compartment_id,
        parcel_id=parcel_id,
        event_id=event_id,
        detail=detail,
    )
    session.add(entry)
    session.flush()  # assigns entry.id, which callers hand out as an intent id
    return entry


def sync_state_or_none(session: Session) -> SyncState | None:
    """The sync_state row for readers, who must not create it."""
    return session.get(SyncState, 1)
