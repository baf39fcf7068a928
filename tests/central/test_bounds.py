"""Oversize and out-of-range input: one clear error for the value at fault, never a 500,
nothing stored past a bound, and a body refused before it is read."""

from __future__ import annotations

import base64
import json
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from contract.wire import INT64_MAX, MAX_BODY_BYTES, MAX_EVENT_DATA_BYTES, MAX_EVENTS_PER_BATCH
from tests.central.conftest import Locker, error_of, log_text
from tests.central_service import CentralService

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def no_traceback(service: CentralService) -> Iterator[None]:
    """Whatever the test sends, the service log gains no traceback."""
    before = len(log_text(service))
    yield
    assert "Traceback" not in log_text(service)[before:]


def raw_post(locker: Locker, path: str, body: bytes, token: str | None = None) -> requests.Response:
    return locker.session.post(
        locker.url + path,
        data=body,
        headers=locker.headers(token) | {"Content-Type": "application/json"},
        timeout=30,
    )


def test_an_event_with_5_mb_of_data_is_rejected_alone_and_not_stored(
    locker: Locker, db_dump: Any
) -> None:
    marker = "Z" * 16
    big = locker.event("locker.started") | {"data": {"blob": marker + "x" * 5_000_000}}
    good = locker.event("locker.started")
    # 5 MB does not even pass the body cap: the whole request is 413
    status, code = error_of(locker.post("/events", {"events": [big, good]}))
    assert (status, code) == (413, "payload_too_large")
    # just over the data cap inside a small body: that event alone is rejected
    over = locker.event("locker.started") | {"data": {"blob": marker + "x" * MAX_EVENT_DATA_BYTES}}
    result = locker.push([over, good])
    assert result.accepted == [good["event_id"]]
    assert [r.event_id for r in result.rejected] == [over["event_id"]]
    assert f"at most {MAX_EVENT_DATA_BYTES} are accepted" in result.rejected[0].message
    assert marker not in db_dump()


def test_integers_past_64_bits_reject_their_event_not_the_batch(locker: Locker) -> None:
    huge = locker.event("locker.started") | {"seq": 2**70}
    edge = locker.event("locker.started") | {"seq": INT64_MAX}
    good = locker.event("locker.started")
    result = locker.push([huge, edge, good])
    assert result.accepted == [edge["event_id"], good["event_id"]]
    assert [(r.event_id, r.code) for r in result.rejected] == [(huge["event_id"], "invalid_event")]
    assert "seq" in result.rejected[0].message


@pytest.mark.parametrize(
    "field,value",
    [
        ("last_event_seq", 2**63),
        ("last_event_seq", 2**70),
        ("outbox_depth", 2**31),
        ("outbox_depth", 2**63),
    ],
)
def test_heartbeat_numbers_past_their_column_are_422(
    locker: Locker, field: str, value: int
) -> None:
    body = {
        "sent_at": "2026-01-01T00:00:00Z",
        "software_version": "t",
        "outbox_depth": 0,
        "last_event_seq": 0,
        "board_ok": True,
        field: value,
    }
    status, code = error_of(locker.post("/heartbeat", body))
    assert (status, code) == (422, "validation_error")


@pytest.mark.parametrize("kind,path", [("parcels", "/parcels"), ("couriers", "/couriers")])
def test_a_cursor_holding_a_huge_number_is_422(locker: Locker, kind: str, path: str) -> None:
    for seq in (2**63, 2**70, 10**300):
        raw = f"c1|{kind}|{locker.locker_id}|{seq}".encode()
        forged = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        if len(forged) > 200:
            continue
        assert error_of(locker.get(path, cursor=forged)) == (422, "invalid_cursor")


def test_operator_event_log_cursor_with_a_huge_number_is_422(
    service: CentralService, locker: Locker
) -> None:
    raw = f"c1|events|{locker.locker_id}|{2**64}".encode()
    forged = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    resp = requests.get(
        f"{service.base_url}/v1/lockers/{locker.locker_id}/events",
        params={"cursor": forged},
        headers={"Authorization": f"Bearer {service.operator_token}"},
        timeout=10,
    )
    assert error_of(resp) == (422, "invalid_cursor")


@pytest.mark.parametrize(
    "change",
    [
        {"order_ref": "nul\x00inside"},
        {"recipient_hint": "x" * 201},
        {"barcode": "b" * 129},
        {"pickup_deadline": "9999-12-31T23:59:59-01:00"},
        {"pickup_deadline": "0001-01-01T00:00:00+01:00"},
    ],
)
def test_operator_strings_and_dates_past_their_bounds_are_422(
    service: CentralService, locker: Locker, change: dict[str, str]
) -> None:
    body = {
        "locker_id": locker.locker_id,
        "order_ref": uuid.uuid4().hex,
        "size": "S",
        "barcode": "B1",
    } | change
    resp = requests.post(
        f"{service.base_url}/v1/parcels",
        json=body,
        headers={"Authorization": f"Bearer {service.operator_token}"},
        timeout=10,
    )
    assert error_of(resp) == (422, "validation_error")


def test_an_unpaired_surrogate_or_nan_is_refused_not_a_500(
    service: CentralService, locker: Locker
) -> None:
    event = locker.event("locker.started")
    text = json.dumps({"events": [event]})
    with_surrogate = text.replace('"data": {}', '"data": {"k\\ud800": "v"}')
    with_nan = text.replace('"data": {}', '"data": {"v": NaN}')
    assert with_surrogate != text and with_nan != text
    for body in (with_surrogate, with_nan):
        resp = raw_post(locker, "/events", body.encode())
        assert resp.status_code == 200, resp.text
        assert resp.json()["rejected"][0]["code"] == "invalid_event"
        event["event_id"] = str(uuid.uuid4())
        text = json.dumps({"events": [event]})
    # an event id nobody can echo back fails the request, cleanly
    bad_id = text.replace(event["event_id"], "\\ud800" * 3)
    assert error_of(raw_post(locker, "/events", bad_id.encode())) == (422, "validation_error")
    # a path parameter with a NUL never reaches the database
    resp = requests.get(
        f"{service.base_url}/v1/parcels/a%00b",
        headers={"Authorization": f"Bearer {service.operator_token}"},
        timeout=10,
    )
    assert error_of(resp) == (422, "validation_error")


def test_a_body_over_the_cap_is_413_declared_or_chunked(locker: Locker) -> None:
    body = b'{"events": [' + b" " * MAX_BODY_BYTES + b"]}"
    assert error_of(raw_post(locker, "/events", body)) == (413, "payload_too_large")

    def chunks() -> Any:
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b" " * 65536

    resp = locker.session.post(
        locker.url + "/events",
        data=chunks(),
        headers=locker.headers() | {"Content-Type": "application/json"},
        timeout=30,
    )
    assert error_of(resp) == (413, "payload_too_large")


def test_a_full_batch_of_the_largest_events_fits_the_body_cap(locker: Locker) -> None:
    data = {"reason": "r" * (MAX_EVENT_DATA_BYTES - 20)}
    assert len(json.dumps(data, separators=(",", ":"))) <= MAX_EVENT_DATA_BYTES
    batch = [
        locker.event(
            "compartment.out_of_service",
            compartment_id="C" * 32,
            actor_kind="technician",
            actor_id="T" * 64,
            data=data,
        )
        for _ in range(MAX_EVENTS_PER_BATCH)
    ]
    assert len(json.dumps({"events": batch}).encode()) < MAX_BODY_BYTES
    result = locker.push(batch)
    assert len(result.accepted) == MAX_EVENTS_PER_BATCH


def _answer_to_headers_only(service: CentralService, headers: str) -> str:
    """Send the request line and headers, no body, and read what the service says."""
    host, port = service.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(headers.encode("latin-1"))
        # The service answers without waiting for the body it was promised.
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer.decode("latin-1")


@pytest.mark.parametrize("auth", ["", "Authorization: Bearer xpt_not_a_token\r\n"])
def test_an_unauthenticated_body_is_refused_before_it_is_read(locker: Locker, auth: str) -> None:
    path = f"/v1/lockers/{locker.locker_id}/events"
    # chunked, so no size is declared: only the token can stop it
    answer = _answer_to_headers_only(
        locker.service,
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Transfer-Encoding: chunked\r\n{auth}\r\n",
    )
    assert answer.startswith("HTTP/1.1 401"), answer[:200]
    # 100 MB declared: refused at the headers, before the token even matters
    answer = _answer_to_headers_only(
        locker.service,
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {100 * 1024 * 1024}\r\n{auth}\r\n",
    )
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
