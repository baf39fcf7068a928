"""Parcels: search, one parcel's page, announce, cancel, extend, resend the notice.

Search takes one box: a parcel id, an order reference, a barcode, or the last digits
(at least four) of the recipient's phone. Announcing from the console goes through
the same code as `POST /v1/parcels`; the plain pickup code is shown on the answer
page once (and sent to the customer when the parcel is stored, if a contact is
given), never stored in the clear.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import Connection, or_, select

from central import announce as announcing
from central import audit, notifications, parcels
from central.auth import Ctx
from central.console.web import ConsoleError, Form, back, client_of, render, require
from central.errors import ApiError
from central.operators import Role, Session
from central.schema import events, lockers, parcel_contacts
from central.schema import parcels as parcel_table
from contract.wire import ParcelAnnounce, ParcelSize, ParcelState

router = APIRouter()

SEARCH_LIMIT = 100


def search(conn: Connection, q: str) -> list[Any]:
    q = q.strip()
    if not q:
        return list(
            conn.execute(select(parcel_table).order_by(parcel_table.c.updated_at.desc()).limit(25))
        )
    digits = "".join(ch for ch in q if ch.isdigit())
    conditions = [
        parcel_table.c.parcel_id == q,
        parcel_table.c.order_ref == q,
        parcel_table.c.barcode == q,
    ]
    if len(q) >= 6:
        conditions.append(parcel_table.c.parcel_id.startswith(q))
    if len(digits) >= 4 and len(digits) == len(q.lstrip("+")):
        phones = select(parcel_contacts.c.parcel_id).where(parcel_contacts.c.phone.endswith(digits))
        conditions.append(parcel_table.c.parcel_id.in_(phones))
    return list(
        conn.execute(
            select(parcel_table)
            .where(or_(*conditions))
            .order_by(parcel_table.c.updated_at.desc())
            .limit(SEARCH_LIMIT)
        )
    )


@router.get("/parcels", include_in_schema=False)
def parcels_page(request: Request, ctx: Ctx) -> Response:
    session = require(ctx, request)
    q = request.query_params.get("q", "")[:128]
    with ctx.db.read() as conn:
        found = search(conn, q)
        locker_ids = [
            r[0]
            for r in conn.execute(
                select(lockers.c.locker_id).order_by(lockers.c.locker_id).limit(1000)
            )
        ]
    return render(request, "parcels.html", session, found=found, q=q, locker_ids=locker_ids)


def _parcel_page(
    request: Request,
    ctx: Ctx,
    session: Session,
    parcel_id: str,
    status: int = 200,
    **extra: Any,
) -> Response:
    with ctx.db.read() as conn:
        row = conn.execute(
            select(parcel_table).where(parcel_table.c.parcel_id == parcel_id)
        ).first()
        if row is None:
            raise ConsoleError(404, f"parcel {parcel_id} does not exist")
        contact = conn.execute(
            select(parcel_contacts).where(parcel_contacts.c.parcel_id == parcel_id)
        ).first()
        history = list(
            conn.execute(
                select(events)
                .where(events.c.parcel_id == parcel_id)
                .order_by(events.c.change_seq.desc())
                .limit(50)
            )
        )
        notes = notifications.for_parcel(conn, parcel_id)
    return render(
        request,
        "parcel.html",
        session,
        status=status,
        parcel=row,
        contact=contact,
        history=history,
        notes=notes,
        **extra,
    )


@router.get("/parcels/{parcel_id}", include_in_schema=False)
def parcel_page(parcel_id: str, request: Request, ctx: Ctx) -> Response:
    return _parcel_page(request, ctx, require(ctx, request), parcel_id[:64])


@router.post("/parcels/announce", include_in_schema=False)
def announce(request: Request, ctx: Ctx, form: Form) -> Response:
    session = require(ctx, request, Role.ADMIN, form)
    try:
        spec = ParcelAnnounce(
            locker_id=form.get("locker_id", ""),
            order_ref=form.get("order_ref", ""),
            barcode=form.get("barcode", ""),
            size=ParcelSize(form.get("size", "M")),
            recipient_hint=form.get("recipient_hint") or None,
            pickup_days=int(form.get("pickup_days") or 7),
            recipient_email=form.get("recipient_email") or None,
            recipient_phone=form.get("recipient_phone") or None,
        )
    except (ValidationError, ValueError) as exc:
        raise ConsoleError(422, _describe(exc)) from exc
    try:
        done = announcing.announce(ctx, spec)
    except ApiError as exc:
        raise ConsoleError(exc.status, exc.message) from exc
    with ctx.db.write() as conn:
        audit.record(
            conn,
            ctx.clock(),
            session.operator.name,
            "parcel_announced",
            target=done.parcel.parcel_id,
            client=client_of(request),
            locker_id=spec.locker_id,
            order_ref=spec.order_ref,
        )
    return _parcel_page(request, ctx, session, done.parcel.parcel_id, status=201, announced=done)


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:4]
        )
    return str(exc)


@router.post("/parcels/{parcel_id}/cancel", include_in_schema=False)
def cancel(parcel_id: str, request: Request, ctx: Ctx, form: Form) -> Response:
    session = require(ctx, request, Role.ADMIN, form)
    now = ctx.clock()
    try:
        with ctx.db.write() as conn:
            parcels.set_state(conn, parcel_id, ParcelState.CANCELLED, now)
            notifications.on_parcel_state(conn, parcel_id, ParcelState.CANCELLED, now)
            audit.record(
                conn,
                now,
                session.operator.name,
                "parcel_cancelled",
                target=parcel_id,
                client=client_of(request),
                reason=form.get("reason", "")[:500],
            )
    except ApiError as exc:
        raise ConsoleError(exc.status, exc.message) from exc
    return back(f"/console/parcels/{parcel_id}", "cancelled")


@router.post("/parcels/{parcel_id}/extend", include_in_schema=False)
def extend(parcel_id: str, request: Request, ctx: Ctx, form: Form) -> Response:
    session = require(ctx, request, Role.SUPPORT, form)
    now = ctx.clock()
    try:
        days = int(form.get("days", "0"))
    except ValueError:
        days = 0
    if not 1 <= days <= 30:
        raise ConsoleError(422, "extend by 1 to 30 days")
    try:
        with ctx.db.write() as conn:
            current = parcels.get(conn, parcel_id)
            deadline: datetime = current.pickup_deadline + timedelta(days=days)
            parcels.extend_deadline(conn, parcel_id, deadline, now)
            notifications.on_deadline_moved(conn, parcel_id, now)
            audit.record(
                conn,
                now,
                session.operator.name,
                "parcel_extended",
                target=parcel_id,
                client=client_of(request),
                days=days,
                deadline=deadline.isoformat(),
            )
    except ApiError as exc:
        raise ConsoleError(exc.status, exc.message) from exc
    return back(f"/console/parcels/{parcel_id}", "extended")


@router.post("/parcels/{parcel_id}/resend", include_in_schema=False)
def resend(parcel_id: str, request: Request, ctx: Ctx, form: Form) -> Response:
    session = require(ctx, request, Role.SUPPORT, form)
    now = ctx.clock()
    with ctx.db.write() as conn:
        queued = notifications.resend(conn, parcel_id, now)
        if queued:
            audit.record(
                conn,
                now,
                session.operator.name,
                "notification_resent",
                target=parcel_id,
                client=client_of(request),
                channels=queued,
            )
    if not queued:
        raise ConsoleError(
            409,
            "nothing to resend: the parcel has no contact, or it is no longer in the "
            "locker (the code is erased once a parcel is picked up, expired or cancelled)",
        )
    return back(f"/console/parcels/{parcel_id}", "resent")
