"""Operator endpoints of the reference service (operator token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from central import announce, commands, couriers, events, fleet, lockers, parcels, tokens
from central.auth import Ctx, LockerId, Token, require_operator
from central.http_errors import ERROR_RESPONSES
from central.tokens import TokenKind
from contract.wire import (
    MAX_PAGE_LIMIT,
    CommandList,
    CommandRecord,
    CommandRequest,
    CourierRecord,
    CourierUpsert,
    DeviceToken,
    EventLog,
    EventType,
    Fleet,
    LockerCreate,
    LockerProfile,
    ParcelAnnounce,
    ParcelAnnounced,
    ParcelRecord,
    ParcelState,
)

router = APIRouter(prefix="/v1", tags=["operator"], responses=ERROR_RESPONSES)

ParcelId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
CourierId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


@router.get("/lockers", response_model=Fleet, summary="Fleet view")
def get_fleet(token: Token, ctx: Ctx) -> Fleet:
    with ctx.db.read() as conn:
        require_operator(conn, token)
        return fleet.view(conn, ctx.clock())


@router.post("/lockers", response_model=LockerProfile, status_code=201, summary="Add a locker")
def create_locker(spec: LockerCreate, token: Token, ctx: Ctx) -> LockerProfile:
    with ctx.db.write() as conn:
        require_operator(conn, token)
        lockers.create(conn, spec, ctx.clock())
        return lockers.profile(conn, spec.locker_id)


@router.post(
    "/lockers/{locker_id}/tokens",
    response_model=DeviceToken,
    status_code=201,
    summary="Issue a device token (shown once)",
)
def issue_device_token(locker_id: LockerId, token: Token, ctx: Ctx) -> DeviceToken:
    with ctx.db.write() as conn:
        require_operator(conn, token)
        issued = tokens.issue(conn, TokenKind.DEVICE, ctx.clock(), locker_id)
    return DeviceToken(locker_id=locker_id, token=issued)


@router.delete("/lockers/{locker_id}/tokens", status_code=204, summary="Revoke every device token")
def revoke_device_tokens(locker_id: LockerId, token: Token, ctx: Ctx) -> Response:
    with ctx.db.write() as conn:
        require_operator(conn, token)
        lockers.keys(conn, locker_id)
        tokens.revoke_device_tokens(conn, locker_id, ctx.clock())
    return Response(status_code=204)


@router.post(
    "/parcels", response_model=ParcelAnnounced, status_code=201, summary="Announce a parcel"
)
def announce_parcel(spec: ParcelAnnounce, token: Token, ctx: Ctx) -> ParcelAnnounced:
    with ctx.db.read() as conn:
        require_operator(conn, token)
    return announce.announce(ctx, spec)


@router.get("/parcels/{parcel_id}", response_model=ParcelRecord, summary="One parcel")
def get_parcel(parcel_id: ParcelId, token: Token, ctx: Ctx) -> ParcelRecord:
    with ctx.db.read() as conn:
        require_operator(conn, token)
        return parcels.get(conn, parcel_id)


@router.post("/parcels/{parcel_id}/cancel", response_model=ParcelRecord, summary="Cancel")
def cancel_parcel(parcel_id: ParcelId, token: Token, ctx: Ctx) -> ParcelRecord:
    with ctx.db.write() as conn:
        require_operator(conn, token)
        return parcels.set_state(conn, parcel_id, ParcelState.CANCELLED, ctx.clock())


@router.post("/parcels/{parcel_id}/expire", response_model=ParcelRecord, summary="Expire now")
def expire_parcel(parcel_id: ParcelId, token: Token, ctx: Ctx) -> ParcelRecord:
    with ctx.db.write() as conn:
        require_operator(conn, token)
        return parcels.set_state(conn, parcel_id, ParcelState.EXPIRED, ctx.clock())


@router.put("/couriers/{courier_id}", response_model=CourierRecord, summary="Create/update")
def put_courier(
    courier_id: CourierId, spec: CourierUpsert, token: Token, ctx: Ctx
) -> CourierRecord:
    hashes: dict[str, tuple[str | None, str | None]] = {}
    if spec.pin or spec.badge:
        with ctx.db.read() as conn:
            require_operator(conn, token)
            keys = [lockers.keys(conn, locker_id) for locker_id in spec.locker_ids]
        hashes = {k.locker_id: couriers.hashes_for(k, spec.pin, spec.badge) for k in keys}
    with ctx.db.write() as conn:
        require_operator(conn, token)  # again: the PIN branch above is optional
        return couriers.upsert(conn, courier_id, spec, ctx.clock(), hashes)


@router.get("/couriers/{courier_id}", response_model=CourierRecord, summary="One courier")
def get_courier(courier_id: CourierId, token: Token, ctx: Ctx) -> CourierRecord:
    with ctx.db.read() as conn:
        require_operator(conn, token)
        return couriers.get(conn, courier_id)


@router.post(
    "/lockers/{locker_id}/commands",
    response_model=CommandRecord,
    status_code=201,
    summary="Queue a remote command",
)
def queue_command(
    locker_id: LockerId, spec: CommandRequest, token: Token, ctx: Ctx
) -> CommandRecord:
    with ctx.db.write() as conn:
        require_operator(conn, token)
        return commands.queue(conn, locker_id, spec, ctx.clock())


@router.get("/lockers/{locker_id}/commands", response_model=CommandList, summary="Commands")
def list_commands(locker_id: LockerId, token: Token, ctx: Ctx) -> CommandList:
    with ctx.db.read() as conn:
        require_operator(conn, token)
        lockers.keys(conn, locker_id)
        return commands.listing(conn, locker_id)


@router.get("/lockers/{locker_id}/events", response_model=EventLog, summary="Event log")
def list_events(
    locker_id: LockerId,
    token: Token,
    ctx: Ctx,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_LIMIT)] = 500,
    type: Annotated[list[EventType] | None, Query(description="filter by event type")] = None,
) -> EventLog:
    with ctx.db.read() as conn:
        require_operator(conn, token)
        lockers.keys(conn, locker_id)
        return events.page(conn, locker_id, cursor, limit, [t.value for t in type or ()])
