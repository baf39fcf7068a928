"""Alarms, couriers, device tokens and webhooks.

Alarms are the fleet's derived alarms (central/fleet.py) plus the service's own
(address blocks from central/throttle.py); acknowledging one stores who, when and a
note for that occurrence, keyed by (locker, code, compartment, since). Secrets made
here (device tokens, webhook signing secrets) are shown on the answer page once and
kept only as hashes (tokens) or for signing (webhook secrets).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import Connection, func, insert, select

from central import audit, couriers, fleet, lockers, outbox, throttle, tokens, webhooks
from central.auth import Ctx
from central.console.web import ConsoleError, Form, back, client_of, render, require
from central.errors import ApiError
from central.operators import Role
from central.schema import alarm_acks, courier_lockers
from central.schema import couriers as courier_table
from central.schema import lockers as locker_table
from central.schema import tokens as token_table
from central.tokens import TokenKind
from contract.wire import CourierUpsert

router = APIRouter()


def alarm_key(locker_id: str, code: str, compartment_id: str | None, since: datetime | None) -> str:
    return "|".join((locker_id, code, compartment_id or "", since.isoformat() if since else ""))


def open_alarms(conn: Connection, now: datetime) -> list[dict[str, Any]]:
    """Every current alarm, each with its acknowledgement if it has one."""
    found: list[dict[str, Any]] = []
    for entry in fleet.view(conn, now).lockers:
        for a in entry.alarms:
            found.append(
                {
                    "locker_id": entry.locker_id,
                    "code": a.code,
                    "message": a.message,
                    "compartment_id": a.compartment_id,
                    "since": a.since,
                }
            )
    for block in throttle.active_blocks(conn, now):
        found.append(
            {
                "locker_id": "",
                "code": f"throttle_{block['scope']}",
                "message": f"{block['failures']} wrong attempts from {block['client']}"
                + (f" (last: {block['subject']})" if block["subject"] else ""),
                "compartment_id": None,
                "since": block["since"],
            }
        )
    keys = [alarm_key(a["locker_id"], a["code"], a["compartment_id"], a["since"]) for a in found]
    acks = (
        {
            r.alarm_key: r
            for r in conn.execute(select(alarm_acks).where(alarm_acks.c.alarm_key.in_(keys)))
        }
        if keys
        else {}
    )
    for alarm, key in zip(found, keys, strict=True):
        alarm["key"] = key
        alarm["ack"] = acks.get(key)
    found.sort(key=lambda a: (a["ack"] is not None, -(a["since"].timestamp() if a["since"] else 0)))
    return found


@router.get("/alarms", include_in_schema=False)
def alarms_page(request: Request, ctx: Ctx) -> Response:
    session = require(ctx, request)
    with ctx.db.read() as conn:
        alarms = open_alarms(conn, ctx.clock())
        recent = list(
            conn.execute(select(alarm_acks).order_by(alarm_acks.c.acked_at.desc()).limit(50))
        )
    return render(request, "alarms.html", session, alarms=alarms, recent=recent)


@router.post("/alarms/ack", include_in_schema=False)
def acknowledge(request: Request, ctx: Ctx, form: Form) -> Response:
    session = require(ctx, request, Role.SUPPORT, form)
    note = " ".join(form.get("note", "").split())[:1000]
    if len(note) < 3:
        raise ConsoleError(422, "write a note of at least 3 characters: what was done")
    key = form.get("alarm_key", "")
    now = ctx.clock()
    with ctx.db.write() as conn:
        alarm = next((a for a in open_alarms(conn, now) if a["key"] == key), None)
        if alarm is None:
            raise ConsoleError(404, "this alarm is no longer open (it cleared itself)")
        if alarm["ack"] is not None:
            raise ConsoleError(409, f"already acknowledged by {alarm['ack'].operator}")
        conn.execute(
            insert(alarm_acks).values(
                alarm_key=key,
                locker_id=alarm["locker_id"],
                code=alarm["code"],
                compartment_id=alarm["compartment_id"],
                since=alarm["since"],
                operator=session.operator.name,
                note=note,
                acked_at=now,
            )
        )
        audit.record(
            conn,
            now,
            session.operator.name,
            "alarm_acknowledged",
            target=f"{alarm['locker_id']}/{alarm['code']}",
            client=client_of(request),
            compartment_id=alarm["compartment_id"],
            note=note,
        )
        from central.webhooks import record

        record(
            conn,
            outbox.ALARM_ACKNOWLEDGED,
            {
                "locker_id": alarm["locker_id"],
                "code": alarm["code"],
                "compartment_id": alarm["compartment_id"],
                "operator": session.operator.name,
                "note": note,
            },
            now,
        )
    return back("/console/alarms", "acked")


# ------------------------------------------------------------------------------ couriers


def courier_rows(conn: Connection) -> list[dict[str, Any]]:
    assigned: dict[str, list[str]] = {}
    for cid, lid in conn.execute(
        select(courier_lockers.c.courier_id, courier_lockers.c.locker_id)
        .where(courier_lockers.c.assigned.is_(True))
        .order_by(courier_lockers.c.locker_id)
    ):
        assigned.setdefault(cid, []).append(lid)
    return [
        {
            "courier_id": r.courier_id,
            "name": r.name,
            "active": r.active,
            "version": r.version,
            "updated_at": r.updated_at,
            "lockers": assigned.get(r.courier_id, []),
        }
        for r in conn.execute(
            select(courier_table).order_by(courier_table.c.courier_id).limit(2000)
        )
    ]


@router.get("/couriers", include_in_schema=False)
def couriers_page(request: Request, ctx: Ctx) -> Response:
    session = require(ctx, request)
    with ctx.db.read() as conn:
        rows = courier_rows(conn)
    return render(request, "couriers.html", session, rows=rows)


def _save_courier(ctx: Ctx, courier_id: str, spec: CourierUpsert) -> None:
    hashes: dict[str, tuple[str | None, str | None]] = {}
    if spec.pin or spec.badge:
        with ctx.db.read() as conn:
            keys = [lockers.keys(conn, lid) for lid in spec.locker_ids]
        hashes = {k.locker_id: couriers.hashes_for(k, spec.pin, spec.badge) for k in keys}
    with ctx.db.write() as conn:
        couriers.upsert(conn, courier_id, spec, ctx.clock(), hashes)


@router.post("/couriers", include_in_schema=False)
def courier_action(request: Request, ctx: Ctx, form: Form) -> Response:
    session = require(ctx, request, Role.ADMIN, form)
    action = form.get("action", "save")
    courier_id = form.get("courier_id", "").strip()
    with ctx.db.read() as conn:
        current = next((c for c in courier_rows(conn) if c["courier_id"] == courier_id), None)
    try:
        if action == "save":
            spec = CourierUpsert(
                name=form.get("name", "").strip(),
                pin=form.get("pin") or None,
                active=True,
                locker_ids=[x.strip() for x in form.get("lockers", "").split(",") if x.strip()],
            )
        elif current is None:
            raise ConsoleError(404, f"courier {courier_id} does not exist")
        elif action == "deactivate":
            spec = CourierUpsert(name=current["name"], active=False, locker_ids=current["lockers"])
        elif action == "reset_pin":
            spec = CourierUpsert(
                name=current["name"],
                pin=form.get("pin") or None,
                active=current["active"],
                locker_ids=current["lockers"],
            )
            if not spec.pin:
                raise ConsoleError(422, "give the new PIN (4 to 12 digits)")
        else:
            raise ConsoleError(400, "unknown courier action")
        if not courier_id or len(courier_id) > 64:
            raise ConsoleError(422, "give a courier id (up to 64 letters and digits)")
        _save_courier(ctx, courier_id, spec)
    except ValidationError as exc:
        raise ConsoleError(
            422,
            "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:4]
            ),
        ) from exc
    except ApiError as exc:
        raise ConsoleError(exc.status, exc.message) from exc
    with ctx.db.write() as conn:
        audit.record(
            conn,
            ctx.clock(),
            session.operator.name,
            f"courier_{action}",
            target=courier_id,
            client=client_of(request),
            lockers=",".join(spec.locker_ids),
        )
    ok = {"save": "courier_saved", "deactivate": "courier_deactivated", "reset_pin": "pin_reset"}[
        action
    ]
    return back("/console/couriers", ok)


# ------------------------------------------------------------------------------ tokens


def token_rows(conn: Connection) -> list[Any]:
    counts = (
        select(
            token_table.c.locker_id,
            func.count().label("active"),
            func.max(token_table.c.created_at).label("latest"),
        )
        .where(token_table.c.kind == TokenKind.DEVICE.value, token_table.c.revoked_at.is_(None))
        .group_by(token_table.c.locker_id)
        .subquery()
    )
    return list(
        conn.execute(
            select(locker_table.c.locker_id, locker_table.c.name, counts.c.active, counts.c.latest)
            .outerjoin(counts, counts.c.locker_id == locker_table.c.locker_id)
            .order_by(locker_table.c.locker_id)
            .limit(5000)
        )
    )


@router.get("/tokens", include_in_schema=False)
def tokens_page(request: Request, ctx: Ctx) -> Response:
    session = require(ctx, request, Role.ADMIN)
    with ctx.db.read() as conn:
        rows = token_rows(conn)
    return render(request, "tokens.html", session, rows=rows, issued=None)


@router.post("/tokens", include_in_schema=False)
def token_action(request: Request, ctx: Ctx, form: Form) -> Response:
    session = require(ctx, request, Role.ADMIN, form)
    locker_id = form.get("locker_id", "")
    action = form.get("action", "")
    if action not in ("issue", "rotate", "revoke"):
        raise ConsoleError(400, "unknown token action")
    now = ctx.clock()
    issued: str | None = None
    try:
        with ctx.db.write() as conn:
            lockers.keys(conn, locker_id)
            revoked = 0
            if action in ("rotate", "revoke"):
                revoked = tokens.revoke_device_tokens(conn, locker_id, now)
            if action in ("issue", "rotate"):
                issued = tokens.issue(conn, TokenKind.DEVICE, now, locker_id)
            audit.record(
                conn,
                now,
                session.operator.name,
                f"device_token_{action}",
                target=locker_id,
                client=client_of(request),
                revoked=revoked,
            )
    except ApiError as exc:
        raise ConsoleError(exc.status, exc.message) from exc
    if issued is None:
        return back("/console/tokens", "tokens_revoked")
    with ctx.db.read() as conn:
        rows = token_rows(conn)
    return render(
        request,
        "tokens.html",
        session,
        status=201,
        rows=rows,
        issued={"locker_id": locker_id, "token": issued, "action": action},
    )


# ------------------------------------------------------------------------------ webhooks


@router.get("/webhooks", include_in_schema=False)
def webhooks_page(request: Request, ctx: Ctx) -> Response:
    session = require(ctx, request)
    with ctx.db.read() as conn:
        endpoints = webhooks.endpoints(conn)
        deliveries = webhooks.log_page(conn)
    return render(
        request, "webhooks.html", session, endpoints=endpoints, deliveries=deliveries, secret=None
    )


@router.post("/webhooks", include_in_schema=False)
def webhook_action(request: Request, ctx: Ctx, form: Form) -> Response:
    session = require(ctx, request, Role.ADMIN, form)
    now = ctx.clock()
    if form.get("action") == "remove":
        endpoint_id = form.get("endpoint_id", "")
        with ctx.db.write() as conn:
            if not webhooks.remove_endpoint(conn, endpoint_id):
                raise ConsoleError(404, "no such webhook")
            audit.record(
                conn,
                now,
                session.operator.name,
                "webhook_removed",
                target=endpoint_id,
                client=client_of(request),
            )
        return back("/console/webhooks", "webhook_removed")
    url = form.get("url", "").strip()
    try:
        with ctx.db.write() as conn:
            endpoint_id, secret = webhooks.add_endpoint(conn, url, now)
            audit.record(
                conn,
                now,
                session.operator.name,
                "webhook_added",
                target=endpoint_id,
                client=client_of(request),
                url=url,
            )
    except webhooks.WebhookError as exc:
        raise ConsoleError(422, str(exc)) from exc
    with ctx.db.read() as conn:
        endpoints = webhooks.endpoints(conn)
        deliveries = webhooks.log_page(conn)
    return render(
        request,
        "webhooks.html",
        session,
        status=201,
        endpoints=endpoints,
        deliveries=deliveries,
        secret={"url": url, "secret": secret},
    )
