"""Endpoints the kiosk's sync worker calls (device token of the locker)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from sqlalchemy import Connection

from central import couriers, events, lockers, parcels
from central import heartbeat as central_heartbeat
from central.auth import Ctx, LockerId, Token, require_device, require_reader
from central.errors import NotFound
from central.http_errors import ERROR_RESPONSES
from central.tokens import TokenKind
from contract.wire import (
    MAX_PAGE_LIMIT,
    CourierPage,
    EventResult,
    Heartbeat,
    HeartbeatReply,
    LockerProfile,
    ParcelPage,
)

router = APIRouter(prefix="/v1/lockers", tags=["locker"], responses=ERROR_RESPONSES)

Cursor = Annotated[
    str | None,
    Query(max_length=200, description="next_cursor of the previous page; omit to start"),
]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_LIMIT)]


def _require_locker(conn: Connection, token: str, locker_id: str) -> None:
    """Auth for reads; a 404 when the operator names a locker that does not exist
    (a device token's locker exists by construction, so that costs no query)."""
    caller = require_reader(conn, token, locker_id)
    if caller.kind is TokenKind.OPERATOR and not lockers.exists(conn, locker_id):
        raise NotFound(f"locker {locker_id} does not exist", code="locker_not_found")


@router.get("/{locker_id}", response_model=LockerProfile, summary="Locker profile")
def get_profile(locker_id: LockerId, token: Token, ctx: Ctx) -> LockerProfile:
    with ctx.db.read() as conn:
        require_reader(conn, token, locker_id)
        return lockers.profile(conn, locker_id)


@router.get("/{locker_id}/parcels", response_model=ParcelPage, summary="Pull parcel changes")
def pull_parcels(
    locker_id: LockerId, token: Token, ctx: Ctx, cursor: Cursor = None, limit: Limit = 500
) -> ParcelPage:
    now = ctx.clock()
    with ctx.db.read() as conn:
        _require_locker(conn, token, locker_id)
        if not parcels.has_due(conn, locker_id, now):
            return parcels.page(conn, locker_id, cursor, limit)
    # Some stored parcels passed their deadline: expire them first, so this pull
    # already carries the new state.
    with ctx.db.write() as conn:
        parcels.sweep_expired(conn, locker_id, now)
    with ctx.db.read() as conn:
        return parcels.page(conn, locker_id, cursor, limit)


@router.get("/{locker_id}/couriers", response_model=CourierPage, summary="Pull courier changes")
def pull_couriers(
    locker_id: LockerId, token: Token, ctx: Ctx, cursor: Cursor = None, limit: Limit = 500
) -> CourierPage:
    with ctx.db.read() as conn:
        _require_locker(conn, token, locker_id)
        return couriers.page(conn, locker_id, cursor, limit)


@router.post(
    "/{locker_id}/events",
    response_model=EventResult,
    summary="Push events (idempotent by event_id)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/EventBatch"}}
            },
        }
    },
)
def push_events(
    locker_id: LockerId, token: Token, ctx: Ctx, payload: Annotated[Any, Body()]
) -> EventResult:
    with ctx.db.read() as conn:
        require_device(conn, token, locker_id)
    batch = events.parse_batch(payload)
    with ctx.db.write() as conn:
        return events.ingest(conn, locker_id, batch, ctx.clock())


@router.post(
    "/{locker_id}/heartbeat", response_model=HeartbeatReply, summary="Heartbeat; get commands"
)
def heartbeat(locker_id: LockerId, beat: Heartbeat, token: Token, ctx: Ctx) -> HeartbeatReply:
    return central_heartbeat.handle(ctx, locker_id, token, beat)
