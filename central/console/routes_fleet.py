"""The fleet table, a locker's page (with its live part) and the door commands.

Opening a door takes two steps: a form with the compartment and a written reason,
then a confirmation page that repeats both; only the confirmation queues the
`open_compartment` command. The kiosk still applies its own caps (one remote open at
a time, an hourly maximum); a refusal comes back as a failed command with the
kiosk's reason, which the locker page shows.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from central import audit, commands
from central.auth import Ctx, LockerId
from central.console import views
from central.console.web import ConsoleError, Form, back, client_of, render, require
from central.errors import ApiError
from central.operators import Role
from contract.wire import CommandRequest, CommandType

router = APIRouter()

MAX_REASON = 500


@router.get("/", include_in_schema=False)
def home() -> Response:
    return RedirectResponse("/console/fleet", status_code=303)


@router.get("/fleet", include_in_schema=False)
def fleet_page(request: Request, ctx: Ctx) -> Response:
    session = require(ctx, request)
    qp = request.query_params
    sort = qp.get("sort", "locker_id")
    status = qp.get("status", "all")
    try:
        page = int(qp.get("page", "1"))
    except ValueError:
        page = 1
    with ctx.db.read() as conn:
        result = views.fleet_page(
            conn,
            ctx.clock(),
            q=qp.get("q", "")[:100],
            status=status if status in views.STATUSES else "all",
            sort=sort if sort in views.SORTS else "locker_id",
            desc=qp.get("desc") == "1",
            page=page,
            # The first look is fresh; sorting, filtering and paging from it reuse the
            # view built for it for FLEET_CACHE_S, so they answer at once.
            cache=request.app.state.fleet_cache,
            fresh=not qp,
        )
    return render(
        request,
        "fleet.html",
        session,
        result=result,
        now=ctx.clock(),
        sorts=views.SORTS,
        statuses=views.STATUSES,
    )


def _picture(ctx: Ctx, locker_id: str) -> views.LockerPicture:
    with ctx.db.read() as conn:
        picture = views.locker_picture(conn, locker_id, ctx.clock())
    if picture is None:
        raise ConsoleError(404, f"locker {locker_id} does not exist")
    return picture


@router.get("/lockers/{locker_id}", include_in_schema=False)
def locker_page(locker_id: LockerId, request: Request, ctx: Ctx) -> Response:
    session = require(ctx, request)
    return render(request, "locker.html", session, p=_picture(ctx, locker_id), now=ctx.clock())


@router.get("/lockers/{locker_id}/live", include_in_schema=False)
def locker_live(locker_id: LockerId, request: Request, ctx: Ctx) -> Response:
    # Polled every second by the open page: it must not keep an idle session alive.
    session = require(ctx, request, touch=False)
    return render(request, "locker_live.html", session, p=_picture(ctx, locker_id), now=ctx.clock())


def _reason(form: dict[str, str]) -> str:
    reason = " ".join(form.get("reason", "").split())
    if len(reason) < 3:
        raise ConsoleError(422, "give a reason of at least 3 characters (a case number)")
    return reason[:MAX_REASON]


def _compartment(picture: views.LockerPicture, form: dict[str, str]) -> str:
    wanted = form.get("compartment_id", "").strip().upper()
    known = {c.compartment_id for column in picture.columns for c in column}
    if wanted not in known:
        raise ConsoleError(
            422,
            f"compartment {wanted or '?'} is not in this locker's last "
            "heartbeat; pick one from the map",
        )
    return wanted


@router.post("/lockers/{locker_id}/open", include_in_schema=False)
def open_door_confirm(locker_id: LockerId, request: Request, ctx: Ctx, form: Form) -> Response:
    """Step one: show what will happen and ask for confirmation."""
    session = require(ctx, request, Role.SUPPORT, form)
    picture = _picture(ctx, locker_id)
    compartment = _compartment(picture, form)
    return render(
        request,
        "confirm_open.html",
        session,
        p=picture,
        compartment_id=compartment,
        reason=_reason(form),
    )


@router.post("/lockers/{locker_id}/open/confirmed", include_in_schema=False)
def open_door(locker_id: LockerId, request: Request, ctx: Ctx, form: Form) -> Response:
    session = require(ctx, request, Role.SUPPORT, form)
    picture = _picture(ctx, locker_id)
    return _queue(
        ctx,
        request,
        session.operator.name,
        locker_id,
        CommandType.OPEN_COMPARTMENT,
        _compartment(picture, form),
        _reason(form),
        "door_queued",
    )


@router.post("/lockers/{locker_id}/service", include_in_schema=False)
def set_service(locker_id: LockerId, request: Request, ctx: Ctx, form: Form) -> Response:
    session = require(ctx, request, Role.SUPPORT, form)
    picture = _picture(ctx, locker_id)
    kind = (
        CommandType.SET_OUT_OF_SERVICE
        if form.get("service") == "out"
        else CommandType.SET_IN_SERVICE
    )
    return _queue(
        ctx,
        request,
        session.operator.name,
        locker_id,
        kind,
        _compartment(picture, form),
        _reason(form),
        "service_queued",
    )


def _queue(
    ctx: Ctx,
    request: Request,
    operator: str,
    locker_id: str,
    kind: CommandType,
    compartment_id: str,
    reason: str,
    ok: str,
) -> Response:
    now = ctx.clock()
    spec = CommandRequest(
        type=kind, compartment_id=compartment_id, reason=f"{reason} ({operator})", ttl_s=900
    )
    try:
        with ctx.db.write() as conn:
            record = commands.queue(conn, locker_id, spec, now)
            audit.record(
                conn,
                now,
                operator,
                kind.value,
                target=f"{locker_id}/{compartment_id}",
                client=client_of(request),
                reason=reason,
                command_id=record.command_id,
            )
    except ApiError as exc:
        raise ConsoleError(exc.status, exc.message) from exc
    return back(f"/console/lockers/{locker_id}", ok)
