"""contract.wire: what a client rejects when the server sends the wrong thing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from contract.wire import Event, EventResult, Heartbeat, HeartbeatReply, Parcel, ParcelPage

pytestmark = pytest.mark.unit

PARCEL = {
    "parcel_id": "p1",
    "order_ref": "O1",
    "state": "stored",
    "size": "M",
    "compartment_id": "A01",
    "barcode": "JJD1",
    "pickup_code_hash": "ab12",
    "pickup_deadline": "2030-01-01T12:00:00+01:00",
    "recipient_hint": "A. B.",
    "version": 3,
}


def test_parcel_timestamps_are_normalised_to_utc() -> None:
    parcel = Parcel.model_validate(PARCEL)
    assert parcel.pickup_deadline == datetime(2030, 1, 1, 11, tzinfo=UTC)
    assert '"pickup_deadline":"2030-01-01T11:00:00Z"' in parcel.model_dump_json()


@pytest.mark.parametrize(
    "change",
    [
        {"version": "3"},
        {"state": "lost"},
        {"size": "XXL"},
        {"pickup_deadline": "2030-01-01T12:00:00"},  # no zone
        {"pickup_code_hash": "NOT HEX"},
        {"parcel_id": None},
    ],
)
def test_parcel_with_wrong_types_is_rejected(change: dict) -> None:
    with pytest.raises(ValidationError):
        Parcel.model_validate(PARCEL | change)


def test_page_and_reply_shapes_are_strict() -> None:
    with pytest.raises(ValidationError):
        ParcelPage.model_validate({"parcels": [PARCEL], "next_cursor": "c", "has_more": "false"})
    with pytest.raises(ValidationError):
        ParcelPage.model_validate({"parcels": [PARCEL], "has_more": False})
    with pytest.raises(ValidationError):
        HeartbeatReply.model_validate({"server_time": "now", "commands": []})
    ok = ParcelPage.model_validate(
        {"parcels": [PARCEL], "next_cursor": "c", "has_more": False, "extra": 1}
    )
    assert ok.parcels[0].version == 3  # unknown fields are ignored, not fatal
    assert EventResult.model_validate({"accepted": ["x"]}).duplicates == []


def test_event_ids_are_canonical_uuids() -> None:
    base = {
        "seq": 1,
        "type": "locker.started",
        "occurred_at": "2030-01-01T00:00:00Z",
        "actor": {"kind": "system"},
    }
    ev = Event.model_validate(base | {"event_id": "6F1C3A9E-0000-4000-8000-000000000001"})
    assert ev.event_id == "6f1c3a9e-0000-4000-8000-000000000001"
    with pytest.raises(ValidationError):
        Event.model_validate(base | {"event_id": "42"})


def test_heartbeat_rejects_negative_depth() -> None:
    with pytest.raises(ValidationError):
        Heartbeat.model_validate(
            {
                "sent_at": "2030-01-01T00:00:00Z",
                "software_version": "1",
                "outbox_depth": -1,
                "last_event_seq": 0,
                "board_ok": True,
            }
        )
