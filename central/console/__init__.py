"""The operator console: server-rendered pages under /console/ for the people who run
the fleet (accounts with roles, fleet, lockers, parcels, alarms, couriers, tokens,
webhooks and the audit trail). No JavaScript build chain: Jinja2 templates, one
stylesheet and a few lines of script, all served from this package."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from central.console import (
    routes_admin,
    routes_audit,
    routes_auth,
    routes_fleet,
    routes_parcels,
)
from central.console.views import FleetCache
from central.console.web import ConsoleError, SignInNeeded, render, session_of

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    app.state.fleet_cache = FleetCache()
    for module in (routes_auth, routes_fleet, routes_parcels, routes_admin, routes_audit):
        app.include_router(module.router, prefix="/console")
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")

    async def sign_in(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInNeeded)
        return RedirectResponse(f"/console/login?next={exc.next_url}", status_code=303)

    def error_page(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ConsoleError)
        ctx = request.app.state.ctx
        session = session_of(ctx, request, touch=False)
        return render(request, "error.html", session, status=exc.status, message=exc.message)

    async def console_error(request: Request, exc: Exception) -> Response:
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(error_page, request, exc)

    app.add_exception_handler(SignInNeeded, sign_in)
    app.add_exception_handler(ConsoleError, console_error)
