"""Webhooks for integrators: parcel state changes and alarms, POSTed and signed.

An event is recorded in the same transaction as the change it reports, as one
delivery row per active endpoint (a transactional outbox: no change without its
event, no event without its change). Workers claim due deliveries (FOR UPDATE SKIP
LOCKED on PostgreSQL), POST them outside any transaction and retry failures with
exponential backoff, so delivery is at least once; the `event_id` is the same on
every attempt and to every endpoint, for receivers to drop repeats.

Each POST carries `X-ExpressPoint-Event: <event_id>` and
`X-ExpressPoint-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`;
the secret is the endpoint's own, shown once when it is added.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from sqlalchemy import Connection, delete, func, insert, select, update

from central.schema import webhook_deliveries, webhook_endpoints

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 12
BACKOFF_FIRST_S = 10.0
BACKOFF_MAX_S = 3600.0
TIMEOUT_S = 10.0


class WebhookError(ValueError):
    """An endpoint cannot be added; the message says why."""


def backoff(attempts: int, first_s: float = BACKOFF_FIRST_S) -> timedelta:
    return timedelta(seconds=min(first_s * 2 ** max(0, attempts - 1), BACKOFF_MAX_S))


def add_endpoint(conn: Connection, url: str, now: datetime) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError("give an http:// or https:// URL with a host")
    if len(url) > 2000:
        raise WebhookError("the URL is longer than 2000 characters")
    endpoint_id = str(uuid.uuid4())
    secret = "whsec_" + secrets.token_urlsafe(32)
    conn.execute(
        insert(webhook_endpoints).values(
            endpoint_id=endpoint_id, url=url, secret=secret, active=True, created_at=now
        )
    )
    return endpoint_id, secret


def remove_endpoint(conn: Connection, endpoint_id: str) -> bool:
    conn.execute(delete(webhook_deliveries).where(webhook_deliveries.c.endpoint_id == endpoint_id))
    done = conn.execute(
        delete(webhook_endpoints).where(webhook_endpoints.c.endpoint_id == endpoint_id)
    )
    return done.rowcount > 0


def endpoints(conn: Connection) -> list[Any]:
    return list(conn.execute(select(webhook_endpoints).order_by(webhook_endpoints.c.created_at)))


def record(conn: Connection, type: str, data: dict[str, Any], now: datetime) -> str | None:
    """One event for every active endpoint; returns its id (None: no endpoint)."""
    targets = [
        r[0]
        for r in conn.execute(
            select(webhook_endpoints.c.endpoint_id).where(webhook_endpoints.c.active.is_(True))
        )
    ]
    if not targets:
        return None
    event_id = str(uuid.uuid4())
    payload = {
        "event_id": event_id,
        "type": type,
        "occurred_at": now.isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    conn.execute(
        insert(webhook_deliveries),
        [
            {
                "event_id": event_id,
                "endpoint_id": t,
                "type": type,
                "payload": payload,
                "status": "due",
                "attempts": 0,
                "next_at": now,
                "created_at": now,
            }
            for t in targets
        ],
    )
    return event_id


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def claim(conn: Connection, now: datetime, limit: int, skip_locked: bool) -> list[int]:
    query = (
        select(webhook_deliveries.c.delivery_id)
        .where(webhook_deliveries.c.status == "due", webhook_deliveries.c.next_at <= now)
        .order_by(webhook_deliveries.c.next_at, webhook_deliveries.c.delivery_id)
        .limit(limit)
    )
    if skip_locked:
        query = query.with_for_update(skip_locked=True)
    ids = [r[0] for r in conn.execute(query)]
    if ids:
        conn.execute(
            update(webhook_deliveries)
            .where(webhook_deliveries.c.delivery_id.in_(ids))
            .values(attempts=webhook_deliveries.c.attempts + 1, next_at=now + LEASE)
        )
    return ids


def load(conn: Connection, delivery_id: int) -> Any:
    return conn.execute(
        select(webhook_deliveries, webhook_endpoints.c.url, webhook_endpoints.c.secret)
        .join(
            webhook_endpoints, webhook_endpoints.c.endpoint_id == webhook_deliveries.c.endpoint_id
        )
        .where(webhook_deliveries.c.delivery_id == delivery_id)
    ).first()


def post(row: Any, session: requests.Session, now: datetime) -> tuple[int | None, str | None]:
    """(HTTP status or None, error or None); 2xx is a delivery."""
    body = json.dumps(row.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "ExpressPoint-Webhooks/1",
        "X-ExpressPoint-Event": row.event_id,
        "X-ExpressPoint-Signature": sign(row.secret, timestamp, body),
    }
    try:
        resp = session.post(
            row.url, data=body, headers=headers, timeout=TIMEOUT_S, allow_redirects=False
        )
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: could not reach {_host(row.url)}"
    if 200 <= resp.status_code < 300:
        return resp.status_code, None
    return resp.status_code, f"answered {resp.status_code}"


def finish(
    conn: Connection,
    row: Any,
    status: int | None,
    error: str | None,
    now: datetime,
    first_s: float = BACKOFF_FIRST_S,
) -> None:
    if error is None:
        values: dict[str, Any] = {
            "status": "sent",
            "sent_at": now,
            "last_status": status,
            "last_error": None,
        }
    elif row.attempts >= MAX_ATTEMPTS:
        values = {"status": "failed", "last_status": status, "last_error": error}
        log.warning(
            "webhook delivery %s to %s given up after %d attempts",
            row.delivery_id,
            _host(row.url),
            row.attempts,
        )
    else:
        values = {
            "next_at": now + backoff(row.attempts, first_s),
            "last_status": status,
            "last_error": error,
        }
    conn.execute(
        update(webhook_deliveries)
        .where(
            webhook_deliveries.c.delivery_id == row.delivery_id,
            webhook_deliveries.c.status == "due",
        )
        .values(**values)
    )


def log_page(conn: Connection, limit: int = 100) -> list[Any]:
    return list(
        conn.execute(
            select(webhook_deliveries, webhook_endpoints.c.url)
            .join(
                webhook_endpoints,
                webhook_endpoints.c.endpoint_id == webhook_deliveries.c.endpoint_id,
            )
            .order_by(webhook_deliveries.c.delivery_id.desc())
            .limit(limit)
        )
    )


def pending_count(conn: Connection) -> int:
    return int(
        conn.execute(
            select(func.count())
            .select_from(webhook_deliveries)
            .where(webhook_deliveries.c.status == "due")
        ).scalar()
        or 0
    )


def _host(url: str) -> str:
    return urlsplit(url).hostname or "?"
