"""What every request handler needs: the database and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Request

from central.db import Database


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ServiceContext:
    db: Database
    clock: Callable[[], datetime] = utc_now
    sweep_interval_s: float = 60.0


async def get_context(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.ctx
    return ctx
