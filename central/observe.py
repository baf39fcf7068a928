"""Observability and the guard against token guessing: `/metrics`, `/readyz`, and an
ASGI middleware that times every request and throttles addresses that keep sending
unknown bearer tokens.

Request counters and latency histograms are per process (each worker of `--workers N`
serves its own; Prometheus sums them by scraping each, or reads one process as a
sample). Fleet and queue gauges are read from the database at scrape time, so every
process reports the same deployment-wide values.

Token guessing: every `401 invalid_token` on an API path counts a failure for the
client address in the database (central/throttle.py). Once an address is blocked the
process that saw it refuses its API calls with 429 before any token lookup, until the
block runs out; a process that has not seen the block yet learns it at that address's
next wrong token. A block is an alarm (console, webhook) from its first second.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central import fleet, notifications, throttle, tokens, webhooks
from central.context import ServiceContext
from central.http_errors import error_response
from central.schema import locker_status, lockers

log = logging.getLogger(__name__)

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
API_PREFIX = "/v1/"


class RequestStats:
    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, int], int] = defaultdict(int)
        self.buckets: dict[tuple[str, str], list[int]] = {}
        self.sums: dict[tuple[str, str], float] = defaultdict(float)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.counts[(method, route, status)] += 1
        key = (method, route)
        counts = self.buckets.setdefault(key, [0] * (len(BUCKETS) + 1))
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                counts[i] += 1
        counts[-1] += 1
        self.sums[key] += seconds


class Guard:
    """Times requests (by route template) and applies the token-guessing block."""

    def __init__(
        self,
        app: ASGIApp,
        ctx: ServiceContext,
        stats: RequestStats,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.app = app
        self.ctx = ctx
        self.stats = stats
        self.clock = clock
        self.blocked_until: dict[str, datetime] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = self.clock()
        path: str = scope.get("path", "")
        client = (scope.get("client") or ("?", 0))[0]
        api = path.startswith(API_PREFIX)
        status = 500
        if api and self._blocked(client):
            response = error_response(
                429, "too_many_requests", "too many wrong tokens from this address; wait and retry"
            )
            response.headers["Retry-After"] = "600"
            await response(scope, receive, send)
            self.stats.observe(scope["method"], "blocked", 429, self.clock() - started)
            return
        offered = _bearer(scope)

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                if api and status == 401 and offered is not None:
                    # Counted before the answer leaves: the guesser's next try already
                    # meets the count (and a 401 is slower by one write, which is fine).
                    await run_in_threadpool(self._count_failure, client, offered)
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or (
                "static" if path.startswith("/console/static") else "unmatched"
            )
            self.stats.observe(scope["method"], template, status, self.clock() - started)

    def _blocked(self, client: str) -> bool:
        until = self.blocked_until.get(client)
        if until is None:
            return False
        if until <= datetime.now(UTC):
            self.blocked_until.pop(client, None)
            return False
        return True

    def _count_failure(self, client: str, offered: str) -> None:
        from central import outbox

        now = self.ctx.clock()
        with self.ctx.db.write() as conn:
            if tokens.was_issued(conn, offered):
                # A revoked token is a locker or script not yet given its new one, not a
                # guess: it is refused (401) but does not count towards a block.
                return
            started = throttle.fail(conn, throttle.TOKEN, client, now)
            if started:
                webhooks.record(
                    conn,
                    outbox.ALARM_RAISED,
                    {
                        "locker_id": None,
                        "code": "throttle_token",
                        "compartment_id": None,
                        "message": f"wrong bearer tokens from {client}: blocked",
                        "since": now.isoformat().replace("+00:00", "Z"),
                    },
                    now,
                )
            if throttle.blocked(conn, throttle.TOKEN, client, now):
                row_until = throttle.block_end(conn, throttle.TOKEN, client)
                if row_until is not None:
                    self.blocked_until[client] = row_until


def _bearer(scope: Scope) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" and token.strip() else None
    return None


def install(app: FastAPI, ctx: ServiceContext) -> None:
    stats = RequestStats()
    app.add_middleware(Guard, ctx=ctx, stats=stats)

    @app.get(
        "/metrics", tags=["service"], summary="Prometheus metrics", response_class=PlainTextResponse
    )
    def metrics() -> PlainTextResponse:
        return PlainTextResponse(
            render(ctx, stats), media_type="text/plain; version=0.0.4; charset=utf-8"
        )

    @app.get("/readyz", tags=["service"], summary="Ready to serve: database, schema, worker")
    def readyz() -> JSONResponse:
        problems = readiness(ctx, getattr(app.state, "worker", None))
        body = {"status": "ready" if not problems else "not ready", "problems": problems}
        return JSONResponse(body, status_code=200 if not problems else 503)


def readiness(ctx: ServiceContext, worker: object | None) -> list[str]:
    from central.migrate import current_revision, head_revision

    problems: list[str] = []
    try:
        revision = current_revision(ctx.db)
    except Exception as exc:  # noqa: BLE001 - any failure to read is "not ready", reported
        return [f"database: {type(exc).__name__}"]
    if revision != head_revision():
        problems.append(f"schema at {revision}, this release needs {head_revision()}")
    if ctx.worker_interval_s > 0:
        alive = getattr(worker, "alive_at", None)
        limit = max(30.0, ctx.worker_interval_s * 10)
        started = getattr(worker, "started_at", None)
        reference = alive or started
        if reference is None or (ctx.clock() - reference).total_seconds() > limit:
            problems.append("the background worker has not completed a pass lately")
    return problems


def _line(name: str, value: float, labels: dict[str, str] | None = None) -> str:
    if labels:
        inner = ",".join(f'{k}="{_escape(v)}"' for k, v in sorted(labels.items()))
        return f"{name}{{{inner}}} {value:g}"
    return f"{name} {value:g}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render(ctx: ServiceContext, stats: RequestStats) -> str:
    now = ctx.clock()
    out: list[str] = []

    def head(name: str, kind: str, text: str) -> None:
        out.append(f"# HELP {name} {text}")
        out.append(f"# TYPE {name} {kind}")

    head("expresspoint_http_requests_total", "counter", "HTTP requests by route and status")
    for (method, route, status), n in sorted(stats.counts.items()):
        out.append(
            _line(
                "expresspoint_http_requests_total",
                n,
                {"method": method, "route": route, "status": str(status)},
            )
        )
    head("expresspoint_http_request_seconds", "histogram", "request latency by route")
    for (method, route), counts in sorted(stats.buckets.items()):
        labels = {"method": method, "route": route}
        for bound, n in zip(BUCKETS, counts, strict=False):
            out.append(
                _line("expresspoint_http_request_seconds_bucket", n, {**labels, "le": f"{bound:g}"})
            )
        out.append(
            _line("expresspoint_http_request_seconds_bucket", counts[-1], {**labels, "le": "+Inf"})
        )
        out.append(
            _line("expresspoint_http_request_seconds_sum", stats.sums[(method, route)], labels)
        )
        out.append(_line("expresspoint_http_request_seconds_count", counts[-1], labels))
    with ctx.db.read() as conn:
        total = conn.execute(select(func.count()).select_from(lockers)).scalar() or 0
        online = (
            conn.execute(
                select(func.count())
                .select_from(locker_status)
                .where(locker_status.c.last_heartbeat_at > now - fleet.ONLINE_WINDOW)
            ).scalar()
            or 0
        )
        depth = conn.execute(
            select(
                func.coalesce(func.sum(locker_status.c.outbox_depth), 0),
                func.coalesce(func.max(locker_status.c.outbox_depth), 0),
            )
        ).one()
        alarms = sum(len(e.alarms) for e in fleet.view(conn, now).lockers)
        blocks = len(throttle.active_blocks(conn, now))
        notices = notifications.pending_count(conn)
        hooks = webhooks.pending_count(conn)
    for name, kind, text, value in (
        ("expresspoint_lockers", "gauge", "lockers registered", total),
        ("expresspoint_lockers_online", "gauge", "lockers with a heartbeat in 3 minutes", online),
        ("expresspoint_alarms_open", "gauge", "alarms open over the fleet", alarms),
        (
            "expresspoint_outbox_depth_sum",
            "gauge",
            "events waiting in the kiosks' outboxes",
            depth[0],
        ),
        ("expresspoint_outbox_depth_max", "gauge", "the deepest kiosk outbox", depth[1]),
        ("expresspoint_throttled_addresses", "gauge", "addresses blocked for guessing", blocks),
    ):
        head(name, kind, text)
        out.append(_line(name, float(value)))
    head("expresspoint_jobs_pending", "gauge", "queued background work by kind")
    out.append(_line("expresspoint_jobs_pending", notices, {"kind": "notification"}))
    out.append(_line("expresspoint_jobs_pending", hooks, {"kind": "webhook"}))
    return "\n".join(out) + "\n"
