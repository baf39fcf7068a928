"""What every request handler needs: the database and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from fastapi import Request

from central.db import Database

if TYPE_CHECKING:
    from central.delivery import Senders
    from central.secretbox import SecretBox


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ServiceContext:
    db: Database
    clock: Callable[[], datetime] = utc_now
    sweep_interval_s: float = 60.0
    # Background work (central/worker.py): notifications, webhooks, expiry, reminders.
    secret_box: SecretBox | None = None
    senders: Senders | None = None
    worker_interval_s: float = 1.0
    retry_first_s: float = 30.0  # first retry delay of a notice or webhook; doubles each time


async def get_context(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.ctx
    return ctx
