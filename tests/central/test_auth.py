"""Tokens: who may call what, and secrets never stored or logged in plain text."""

from __future__ import annotations

import pytest

from tests.central.conftest import Locker, error_of, log_text
from tests.central_service import CentralService

pytestmark = pytest.mark.integration


def test_missing_and_unknown_tokens_are_401_with_json_error(locker: Locker) -> None:
    resp = locker.session.get(locker.url + "/parcels", timeout=10)
    assert error_of(resp) == (401, "missing_token")
    assert resp.headers["WWW-Authenticate"] == "Bearer"
    assert error_of(locker.get("/parcels", token="xpt_not-a-token")) == (401, "invalid_token")


def test_device_token_of_another_locker_is_403(service: CentralService, locker: Locker) -> None:
    _profile, other_token = service.add_locker(locker.locker_id + "-b")
    assert error_of(locker.get("/parcels", token=other_token)) == (403, "wrong_locker")
    event = locker.event("locker.started")
    assert error_of(locker.post("/events", {"events": [event]}, token=other_token)) == (
        403,
        "wrong_locker",
    )
    # ...and the event did not land anywhere
    assert service.events(locker.locker_id) == []


def test_device_token_cannot_use_operator_endpoints(
    service: CentralService, locker: Locker
) -> None:
    resp = locker.session.post(
        service.base_url + "/v1/parcels",
        json={"locker_id": locker.locker_id, "order_ref": "X", "size": "M", "barcode": "B"},
        headers=locker.headers(),
        timeout=10,
    )
    assert error_of(resp) == (403, "operator_only")
    resp = locker.session.get(
        service.base_url + "/v1/lockers", headers=locker.headers(), timeout=10
    )
    assert error_of(resp) == (403, "operator_only")


def test_operator_may_read_but_not_report_for_a_locker(
    service: CentralService, locker: Locker
) -> None:
    assert locker.get("", token=service.operator_token).status_code == 200
    beat = {
        "sent_at": "2030-01-01T00:00:00Z",
        "software_version": "x",
        "outbox_depth": 0,
        "last_event_seq": 0,
        "board_ok": True,
    }
    resp = locker.post("/heartbeat", beat, token=service.operator_token)
    assert error_of(resp) == (403, "device_token_required")
    event = locker.event("locker.started")
    resp = locker.post("/events", {"events": [event]}, token=service.operator_token)
    assert error_of(resp) == (403, "device_token_required")


def test_revoked_token_is_refused_at_once_and_a_new_one_works(
    service: CentralService, locker: Locker
) -> None:
    assert locker.get("/parcels").status_code == 200
    service.revoke_device_token(locker.locker_id)
    assert error_of(locker.get("/parcels")) == (401, "invalid_token")
    fresh = service.issue_device_token(locker.locker_id)
    assert locker.get("/parcels", token=fresh).status_code == 200


def test_unknown_locker_for_operator_is_404(service: CentralService, locker: Locker) -> None:
    resp = locker.session.get(
        service.base_url + "/v1/lockers/NO-SUCH/parcels",
        headers={"Authorization": f"Bearer {service.operator_token}"},
        timeout=10,
    )
    assert error_of(resp) == (404, "locker_not_found")


def test_unknown_route_and_wrong_method_are_json_errors(locker: Locker) -> None:
    resp = locker.session.get(locker.service.base_url + "/v2/nothing", timeout=10)
    assert error_of(resp) == (404, "not_found")
    resp = locker.session.delete(locker.url + "/parcels", headers=locker.headers(), timeout=10)
    assert error_of(resp) == (405, "method_not_allowed")


def test_tokens_codes_and_pins_never_stored_or_logged_in_plain(
    service: CentralService, locker: Locker, db_dump
) -> None:
    announced = locker.announce()
    service.put_courier(
        "c-" + locker.locker_id,
        pin="97531864",
        badge="BADGE-SECRET-77",
        locker_ids=[locker.locker_id],
    )
    locker.pull()
    stored = db_dump()
    logged = log_text(service)
    for secret in (
        announced.pickup_code,
        "97531864",
        "BADGE-SECRET-77",
        locker.token,
        service.operator_token,
    ):
        assert secret not in stored
        assert secret not in logged
    # what is stored instead: the hash the kiosk will look up
    assert announced.parcel.pickup_code_hash in stored


def test_database_outage_is_503_with_retry_after_and_recovers(
    tmp_path, central_service_factory
) -> None:
    from tests.central_service import PostgresUnavailable, TempPostgres

    try:
        pg = TempPostgres().start()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL not available: {exc}")
    try:
        svc: CentralService = central_service_factory(db_url=pg.new_database()).start()
        path = f"/v1/lockers/{svc.locker_id}/parcels"
        assert svc.device_get(path).status_code == 200
        pg.halt()
        resp = svc.device_get(path)
        assert error_of(resp) == (503, "database_unavailable")
        assert resp.headers["Retry-After"] == "5"
        pg.resume()
        assert svc.device_get(path).status_code == 200
    finally:
        pg.stop()
