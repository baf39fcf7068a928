"""The FastAPI application of the central service."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.concurrency import run_in_threadpool

from central import console, lockers, observe, parcels, routes_device, routes_operator
from central.context import ServiceContext
from central.edge import RequestEdge, TokenPrecheck
from central.http_errors import install as install_error_handlers
from central.worker import Worker
from contract.wire import EventBatch

log = logging.getLogger(__name__)

API_VERSION = "1"


def sweep_all(ctx: ServiceContext) -> int:
    """One pass of the deadline sweep over every locker; returns parcels expired."""
    now = ctx.clock()
    with ctx.db.read() as conn:
        due = [lid for lid in lockers.all_ids(conn) if parcels.has_due(conn, lid, now)]
    expired = 0
    for locker_id in due:
        with ctx.db.write() as conn:
            expired += parcels.sweep_expired(conn, locker_id, now)
    return expired


def create_app(ctx: ServiceContext) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Deadline sweeps, reminders, notices and webhooks (central/worker.py).
        worker = Worker(ctx).start() if ctx.worker_interval_s > 0 else None
        app.state.worker = worker
        try:
            yield
        finally:
            if worker is not None:
                await run_in_threadpool(worker.stop)
            ctx.db.dispose()

    app = FastAPI(
        title="ExpressPoint central order service",
        version=API_VERSION,
        summary="Reference implementation of the central API the ExpressPoint kiosks sync with.",
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.ctx = ctx
    install_error_handlers(app)
    # Body cap and token-first for every request, before FastAPI reads a body.
    app.add_middleware(RequestEdge, precheck=TokenPrecheck(ctx.db))
    app.include_router(routes_device.router)
    app.include_router(routes_operator.router)
    console.install(app)
    # Outermost: times every request and turns away addresses that guess tokens.
    observe.install(app, ctx)

    @app.get("/healthz", tags=["service"], summary="Liveness and database check")
    def healthz() -> dict[str, str]:
        with ctx.db.read() as conn:
            lockers.all_ids(conn)[:0]
        return {"status": "ok"}

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                routes=app.routes,
            )
            # The events endpoint parses its body event by event (one bad event must
            # not fail the batch), so FastAPI cannot see its model: add it by hand.
            batch = EventBatch.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(batch.pop("$defs", {}))
            components["EventBatch"] = batch
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
