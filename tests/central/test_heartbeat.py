"""Heartbeats, remote commands and the fleet view."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from contract.wire import CommandStatus
from tests.central.conftest import Locker, error_of
from tests.central_service import CentralService, OperatorApiError

pytestmark = pytest.mark.integration


def test_heartbeat_reports_server_time(locker: Locker) -> None:
    before = datetime.now(UTC)
    reply = locker.heartbeat()
    assert (
        before - timedelta(seconds=5)
        <= reply.server_time
        <= datetime.now(UTC) + timedelta(seconds=5)
    )
    assert reply.commands == []


def test_commands_are_redelivered_until_a_result_arrives(locker: Locker) -> None:
    svc = locker.service
    open_cmd = svc.queue_command(
        "open_compartment", "A05", reason="case 9", locker_id=locker.locker_id
    )
    oos = svc.queue_command(
        "set_out_of_service", "B01", reason="broken hinge", locker_id=locker.locker_id
    )
    first = locker.heartbeat().commands
    assert [c.command_id for c in first] == [open_cmd.command_id, oos.command_id]
    assert first[0].type == "open_compartment" and first[0].compartment_id == "A05"
    # the reply was lost: the next heartbeat carries them again
    assert [c.command_id for c in locker.heartbeat().commands] == [
        open_cmd.command_id,
        oos.command_id,
    ]
    locker.push(
        [
            locker.event(
                "command.failed",
                compartment_id="A05",
                data={"command_id": open_cmd.command_id, "error": "rate limit"},
            ),
        ]
    )
    assert [c.command_id for c in locker.heartbeat().commands] == [oos.command_id]
    statuses = {c.command_id: c.status for c in svc.commands(locker.locker_id)}
    assert statuses == {
        open_cmd.command_id: CommandStatus.FAILED,
        oos.command_id: CommandStatus.DELIVERED,
    }


def test_command_validation(locker: Locker) -> None:
    svc = locker.service
    with pytest.raises(OperatorApiError) as exc:
        svc.queue_command("open_compartment", None, locker_id=locker.locker_id)
    assert (exc.value.status, exc.value.code) == (422, "compartment_required")
    resp = locker.session.post(
        f"{svc.base_url}/v1/lockers/{locker.locker_id}/commands",
        json={"type": "resync", "reason": "x", "ttl_s": 1},
        headers={"Authorization": f"Bearer {svc.operator_token}"},
        timeout=10,
    )
    assert error_of(resp) == (422, "validation_error")
    with pytest.raises(OperatorApiError) as exc:
        svc.queue_command("resync", None, locker_id="NOPE")
    assert exc.value.status == 404


def test_heartbeat_with_wrong_types_is_422(locker: Locker) -> None:
    resp = locker.post(
        "/heartbeat",
        {
            "sent_at": "yesterday",
            "software_version": "x",
            "outbox_depth": -1,
            "last_event_seq": 0,
            "board_ok": "yes",
        },
    )
    status, code = error_of(resp)
    assert (status, code) == (422, "validation_error")
    message = resp.json()["error"]["message"]
    assert "sent_at" in message and "outbox_depth" in message and "board_ok" in message


def test_fleet_shows_heartbeat_outbox_and_alarms(service: CentralService, locker: Locker) -> None:
    def entry():
        return next(e for e in service.operator.fleet().lockers if e.locker_id == locker.locker_id)

    assert not entry().online and [a.code for a in entry().alarms] == ["offline"]
    locker.heartbeat(
        outbox_depth=17,
        software_version="1.2.3",
        board_ok=False,
        compartments=[
            {"compartment_id": "A01", "state": "free", "door": "closed", "occupied": False},
            {"compartment_id": "A02", "state": "fault", "door": "unknown", "occupied": None},
        ],
    )
    locker.push([locker.event("compartment.forced_open", compartment_id="A04")])
    seen = entry()
    assert seen.online and seen.outbox_depth == 17 and seen.software_version == "1.2.3"
    assert seen.layout == {"S": 4, "M": 4, "L": 2, "XL": 1}
    assert sorted((a.code, a.compartment_id) for a in seen.alarms) == [
        ("board_fault", None),
        ("compartment_fault", "A02"),
        ("compartment_forced_open", "A04"),
    ]
    locker.push([locker.event("compartment.closed", compartment_id="A04")])
    assert "compartment_forced_open" not in [a.code for a in entry().alarms]


def test_clock_skew_is_visible(locker: Locker, service: CentralService) -> None:
    locker.heartbeat(sent_at=(datetime.now(UTC) - timedelta(hours=2)).isoformat())
    seen = next(e for e in service.operator.fleet().lockers if e.locker_id == locker.locker_id)
    assert seen.clock_skew_s is not None and -7300 < seen.clock_skew_s < -7100


def _pull_to_end(locker: Locker, path: str) -> str:
    cursor: str | None = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        resp = locker.get(path, **params)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return cursor


def test_heartbeat_carries_the_cursors_a_full_pull_ends_at(
    service: CentralService, locker: Locker
) -> None:
    reply = locker.heartbeat()
    assert reply.parcels_cursor == _pull_to_end(locker, "/parcels")  # nothing yet
    assert reply.couriers_cursor == _pull_to_end(locker, "/couriers")
    for _ in range(3):
        locker.announce()
    service.put_courier(f"c-{locker.locker_id}", locker_ids=[locker.locker_id])
    locker.deposit(locker.announce().parcel.parcel_id)  # events move the counter too
    moved = locker.heartbeat()
    assert moved.parcels_cursor != reply.parcels_cursor
    assert moved.couriers_cursor != reply.couriers_cursor
    assert moved.parcels_cursor == _pull_to_end(locker, "/parcels")
    assert moved.couriers_cursor == _pull_to_end(locker, "/couriers")
    # the same cursor from a pull ends at an empty page: nothing was left behind
    page = locker.pull(moved.parcels_cursor)
    assert page.parcels == [] and page.next_cursor == moved.parcels_cursor


def test_heartbeat_token_check_gives_the_same_answers_inside_the_update(
    service: CentralService, locker: Locker
) -> None:
    body = {
        "sent_at": "2030-01-01T00:00:00Z", "software_version": "x", "outbox_depth": 0,
        "last_event_seq": 0, "board_ok": True,
    }
    _profile, other = service.add_locker(locker.locker_id + "-hb")
    assert error_of(locker.post("/heartbeat", body, token="xpt_nope")) == (401, "invalid_token")
    assert error_of(locker.post("/heartbeat", body, token=other)) == (403, "wrong_locker")
    service.revoke_device_token(locker.locker_id)
    assert error_of(locker.post("/heartbeat", body)) == (401, "invalid_token")
    # a refused heartbeat records nothing
    entry = next(e for e in service.operator.fleet().lockers if e.locker_id == locker.locker_id)
    assert entry.last_heartbeat_at is None
