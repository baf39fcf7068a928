"""The audit trail: every operator action, who did it, when, from where.

Rows are only ever inserted; the console shows them newest first. Secrets (passwords,
tokens, PINs, pickup codes) never go into `detail`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from central.schema import audit


def record(
    conn: Connection,
    now: datetime,
    operator: str | None,
    action: str,
    target: str | None = None,
    client: str | None = None,
    **detail: Any,
) -> None:
    conn.execute(
        insert(audit).values(
            at=now,
            operator=operator,
            action=action,
            target=target,
            detail=detail,
            client=client,
        )
    )


def latest(
    conn: Connection,
    *,
    limit: int = 100,
    before_id: int | None = None,
    operator: str | None = None,
    target: str | None = None,
) -> list[Any]:
    query = select(audit).order_by(audit.c.audit_id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(audit.c.audit_id < before_id)
    if operator:
        query = query.where(audit.c.operator == operator)
    if target:
        query = query.where(audit.c.target.like(f"{target}%"))
    return list(conn.execute(query))
