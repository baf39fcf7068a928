"""Console tests: the real service process on SQLite and on PostgreSQL, accounts made
with the real CLI, pages fetched over HTTP (and in Chromium, see test_browser.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.central_service import (  # noqa: F401 - fixtures are registered by import
    CentralService,
    TempPostgres,
    central_service_factory,
    postgres_cluster,
    service_on_backend,
)
from tests.console.console_client import ConsoleUser, add_operator

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", params=BACKENDS)
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CentralService]:
    with service_on_backend(
        request, tmp_path_factory, "console",
        extra_args=lambda workdir: ["--secret-key-file", str(workdir / "secret.key")],
    ) as svc:
        yield svc


@dataclass
class Locker:
    """A fresh locker on the shared service, reporting like a kiosk would."""

    service: CentralService
    locker_id: str
    token: str
    seq: int = 0

    def heartbeat(
        self, compartments: list[dict[str, Any]] | None = None, **overrides: Any
    ) -> requests.Response:
        body = {
            "sent_at": datetime.now(UTC).isoformat(),
            "software_version": "0.1.0-test",
            "outbox_depth": 0,
            "last_event_seq": self.seq,
            "board_ok": True,
            "compartments": compartments if compartments is not None else doors(),
        } | overrides
        resp = self.service.device_post(
            f"/v1/lockers/{self.locker_id}/heartbeat", body, token=self.token
        )
        assert resp.status_code == 200, resp.text
        return resp

    def push(self, type: str, **kwargs: Any) -> dict[str, Any]:
        self.seq += 1
        event = CentralService.make_event(type, self.seq, **kwargs)
        resp = self.service.device_post(
            f"/v1/lockers/{self.locker_id}/events", {"events": [event]}, token=self.token
        )
        assert resp.status_code == 200 and resp.json()["accepted"], resp.text
        return event


def doors(open_: tuple[str, ...] = (), occupied: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The compartments of a heartbeat: A01..A04 and B01..B04."""
    return [
        {
            "compartment_id": cid,
            "state": "occupied" if cid in occupied else "free",
            "door": "open" if cid in open_ else "closed",
            "occupied": cid in occupied,
        }
        for cid in (f"{col}{row:02d}" for col in "AB" for row in range(1, 5))
    ]


@pytest.fixture
def locker(service: CentralService) -> Locker:
    lid = f"C-{uuid.uuid4().hex[:10]}"
    _profile, token = service.add_locker(lid)
    return Locker(service, lid, token)


@pytest.fixture
def sign_in(service: CentralService, tmp_path: Path) -> Iterator[Callable[[str], ConsoleUser]]:
    """`sign_in(role) -> ConsoleUser`: a new account of that role, signed in."""
    users: list[ConsoleUser] = []

    def make(role: str) -> ConsoleUser:
        name, password = add_operator(service, role, tmp_path)
        user = ConsoleUser(service.base_url)
        resp = user.sign_in(name, password)
        assert resp.status_code == 303, resp.text
        user.get("/console/fleet")
        users.append(user)
        return user

    yield make
    for user in users:
        user.close()
