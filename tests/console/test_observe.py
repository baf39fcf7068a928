"""Metrics, health, JSON logs and the server-side limits on guessing, each on a service
of its own (a block covers the whole client address, here 127.0.0.1)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from tests.central_service import CentralService
from tests.console.console_client import ConsoleUser, add_operator

pytestmark = pytest.mark.integration

Factory = Callable[..., CentralService]


def _metrics(service: CentralService) -> dict[str, float]:
    text = requests.get(service.base_url + "/metrics", timeout=10).text
    found = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            found[name] = float(value)
    return found


def test_metrics_health_and_json_logs(central_service_factory: Factory) -> None:
    service = central_service_factory(extra_args=["--json-logs"]).start()
    assert requests.get(service.base_url + "/healthz", timeout=10).json() == {"status": "ok"}
    ready = requests.get(service.base_url + "/readyz", timeout=10)
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    service.announce()
    before = _metrics(service)
    for _ in range(3):
        service.device_get(f"/v1/lockers/{service.locker_id}/parcels")
    after = _metrics(service)
    key = (
        'expresspoint_http_requests_total{method="GET",'
        'route="/v1/lockers/{locker_id}/parcels",status="200"}'
    )
    assert after[key] - before.get(key, 0) == 3
    assert after["expresspoint_lockers"] == 1
    assert 'expresspoint_jobs_pending{kind="notification"}' in after
    text = requests.get(service.base_url + "/metrics", timeout=10).text
    assert "# TYPE expresspoint_http_request_seconds histogram" in text
    assert re.search(r'expresspoint_http_request_seconds_bucket\{le="\+Inf",', text)
    service.stop()
    logged = [
        line for line in Path(service.log_path).read_text().splitlines() if line.startswith("{")
    ]
    entries = [json.loads(line) for line in logged]
    assert entries and {"ts", "level", "logger", "message"} <= set(entries[0])
    assert any("announced" in e["message"] for e in entries)


def test_token_guessing_is_blocked_and_alarmed(
    central_service_factory: Factory, tmp_path: Path
) -> None:
    service = central_service_factory().start()
    url = f"{service.base_url}/v1/lockers/{service.locker_id}/parcels"
    # A revoked token is refused but is not guessing: it never blocks the address.
    revoked = service.issue_device_token()
    service.issue_device_token()
    service.operator.revoke_device_tokens(service.locker_id)
    for _ in range(25):
        resp = requests.get(url, headers={"Authorization": f"Bearer {revoked}"}, timeout=10)
        assert resp.status_code == 401
    good = service.issue_device_token()
    statuses = [
        requests.get(url, headers={"Authorization": f"Bearer xpt_guess{i}"}, timeout=10).status_code
        for i in range(22)
    ]
    assert statuses[:20] == [401] * 20 and statuses[20:] == [429, 429]
    blocked = requests.get(url, headers={"Authorization": f"Bearer {good}"}, timeout=10)
    assert blocked.status_code == 429 and blocked.headers["Retry-After"]
    assert blocked.json()["error"]["code"] == "too_many_requests"
    # ...survives a restart (the count is in the database; the process relearns it)...
    service.restart()
    requests.get(url, headers={"Authorization": "Bearer xpt_guess-again"}, timeout=10)
    assert (
        requests.get(url, headers={"Authorization": f"Bearer {good}"}, timeout=10).status_code
        == 429
    )
    # ...and is an alarm on the console (which is not behind the token block).
    name, password = add_operator(service, "viewer", tmp_path)
    user = ConsoleUser(service.base_url)
    assert user.sign_in(name, password).status_code == 303
    page = user.get("/console/alarms").text
    assert "token guessing" in page and "127.0.0.1" in page
    assert _metrics(service)["expresspoint_throttled_addresses"] == 1
    user.close()


def test_sign_in_guessing_is_blocked_across_names(
    central_service_factory: Factory, tmp_path: Path
) -> None:
    service = central_service_factory().start()
    name, password = add_operator(service, "admin", tmp_path)
    user = ConsoleUser(service.base_url)
    codes = [user.sign_in(f"guess-{i}", "whatever-password").status_code for i in range(10)]
    assert codes == [401] * 10
    refused = user.sign_in(name, password)  # the right password, from a blocked address
    assert refused.status_code == 429 and "Too many wrong sign-ins" in refused.text
    assert "xp_console" not in user.http.cookies  # no session was made
    user.close()
