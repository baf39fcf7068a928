"""Central service tests: the real service process over HTTP, on SQLite and PostgreSQL.

The session gets one service process per backend (session-scoped), and each test a
fresh locker with its own device token, so tests stay independent without paying a
process start each.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from contract.wire import EventResult, HeartbeatReply, ParcelAnnounced, ParcelPage
from tests.central_service import (  # noqa: F401 - fixtures are registered by import
    CentralService,
    TempPostgres,
    central_service,
    central_service_factory,
    postgres_cluster,
    service_on_backend,
)

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", params=BACKENDS)
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CentralService]:
    with service_on_backend(request, tmp_path_factory, "central") as svc:
        yield svc


@dataclass
class Locker:
    """One fresh locker on the shared service, seen through HTTP."""

    service: CentralService
    locker_id: str
    token: str
    seq: int = 0
    session: requests.Session = field(default_factory=requests.Session)

    @property
    def url(self) -> str:
        return f"{self.service.base_url}/v1/lockers/{self.locker_id}"

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}

    def get(self, path: str = "", token: str | None = None, **params: Any) -> requests.Response:
        return self.session.get(
            self.url + path, params=params, headers=self.headers(token), timeout=10
        )

    def post(self, path: str, body: Any, token: str | None = None) -> requests.Response:
        return self.session.post(
            self.url + path, json=body, headers=self.headers(token), timeout=30
        )

    def announce(self, **kwargs: Any) -> ParcelAnnounced:
        return self.service.announce(locker_id=self.locker_id, **kwargs)

    def pull(self, cursor: str | None = None, limit: int = 1000) -> ParcelPage:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        resp = self.get("/parcels", **params)
        assert resp.status_code == 200, resp.text
        return ParcelPage.model_validate(resp.json())

    def event(self, type: str, **kwargs: Any) -> dict[str, Any]:
        self.seq += 1
        return CentralService.make_event(type, self.seq, **kwargs)

    def push(self, events: list[dict[str, Any]]) -> EventResult:
        resp = self.post("/events", {"events": events})
        assert resp.status_code == 200, resp.text
        return EventResult.model_validate(resp.json())

    def heartbeat(self, **overrides: Any) -> HeartbeatReply:
        body = {
            "sent_at": datetime.now(UTC).isoformat(),
            "software_version": "0.1.0-test",
            "outbox_depth": 0,
            "last_event_seq": self.seq,
            "compartments": [],
            "board_ok": True,
        } | overrides
        resp = self.post("/heartbeat", body)
        assert resp.status_code == 200, resp.text
        return HeartbeatReply.model_validate(resp.json())

    def deposit(self, parcel_id: str, compartment_id: str = "A01") -> EventResult:
        return self.push(
            [
                self.event(
                    "parcel.deposited",
                    parcel_id=parcel_id,
                    compartment_id=compartment_id,
                    actor_kind="courier",
                    actor_id="1001",
                )
            ]
        )


@pytest.fixture
def locker(service: CentralService) -> Iterator[Locker]:
    locker_id = f"T-{uuid.uuid4().hex[:10]}"
    _profile, token = service.add_locker(locker_id)
    handle = Locker(service, locker_id, token)
    try:
        yield handle
    finally:
        handle.session.close()


def error_of(resp: requests.Response) -> tuple[int, str]:
    """(status, error code), checking the error body has the documented shape."""
    body = resp.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message"}, body
    assert body["error"]["message"], body
    return resp.status_code, body["error"]["code"]


@pytest.fixture
def db_dump(service: CentralService) -> Any:
    """Return every value stored in the service's database as one string."""
    from sqlalchemy import text

    from central.db import Database
    from central.schema import metadata

    def dump() -> str:
        db = Database(service.db_url, pool_size=1)
        try:
            with db.read() as conn:
                parts = []
                for table in metadata.sorted_tables:
                    for row in conn.execute(text(f"SELECT * FROM {table.name}")):
                        parts.append(" ".join(str(v) for v in row))
                return "\n".join(parts)
        finally:
            db.dispose()

    return dump


def log_text(service: CentralService) -> str:
    return Path(service.log_path).read_text(encoding="utf-8", errors="replace")
