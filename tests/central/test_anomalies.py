"""A stolen device token writing history, and guessing at the keypad: the fleet view
shows what does not add up in a locker's event stream."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from central.anomalies import DENIED_CODES_ALARM
from tests.central.conftest import Locker
from tests.central_service import CentralService

pytestmark = pytest.mark.integration


def alarms(service: CentralService, locker: Locker) -> list[tuple[str, str | None]]:
    entry = next(e for e in service.operator.fleet().lockers if e.locker_id == locker.locker_id)
    return sorted((a.code, a.compartment_id) for a in entry.alarms if a.code != "offline")


def stored(locker: Locker, compartment_id: str) -> str:
    parcel = locker.announce(size="S").parcel.parcel_id
    locker.deposit(parcel, compartment_id)
    return parcel


def test_an_honest_pickup_raises_nothing(service: CentralService, locker: Locker) -> None:
    parcel = stored(locker, "A01")
    locker.push(
        [
            locker.event(
                "compartment.opened",
                compartment_id="A01",
                parcel_id=parcel,
                actor_kind="customer",
                data={"reason": "pickup", "parcel_ids": [parcel]},
            ),
            locker.event(
                "parcel.picked_up", parcel_id=parcel, compartment_id="A01", actor_kind="customer"
            ),
        ]
    )
    assert alarms(service, locker) == []


def test_a_pickup_with_no_opening_is_an_anomaly(service: CentralService, locker: Locker) -> None:
    parcel = stored(locker, "A02")
    # what a stolen token can send: the parcel is gone, no door ever opened
    result = locker.push([locker.event("parcel.picked_up", parcel_id=parcel, compartment_id="A02")])
    assert result.accepted  # physical truth still wins: the parcel is marked picked up
    assert alarms(service, locker) == [("pickup_without_opening", "A02")]


def test_an_opening_of_another_door_does_not_explain_a_pickup(
    service: CentralService, locker: Locker
) -> None:
    parcel = stored(locker, "A03")
    other = stored(locker, "A04")
    locker.push(
        [
            locker.event(
                "compartment.opened",
                compartment_id="A04",
                actor_kind="customer",
                data={"parcel_ids": [other]},
            ),
            locker.event("parcel.picked_up", parcel_id=parcel, compartment_id="A03"),
        ]
    )
    assert alarms(service, locker) == [("pickup_without_opening", "A03")]


def test_openings_with_no_code_command_or_login_are_anomalies(
    service: CentralService, locker: Locker
) -> None:
    parcel = stored(locker, "B01")
    real = service.queue_command(
        "open_compartment", "B02", reason="case 1", locker_id=locker.locker_id
    )
    locker.push(
        [
            # explained: a stored parcel's code, a queued command, a technician's login
            locker.event(
                "compartment.opened",
                compartment_id="B01",
                actor_kind="customer",
                data={"parcel_ids": [parcel]},
            ),
            locker.event(
                "compartment.opened",
                compartment_id="B02",
                actor_kind="operator",
                data={"reason": f"remote command {real.command_id}: case 1", "parcel_ids": []},
            ),
            locker.event("technician.login", actor_kind="technician", actor_id="T01"),
            locker.event(
                "compartment.opened",
                compartment_id="B03",
                actor_kind="technician",
                actor_id="T01",
                data={"parcel_ids": []},
            ),
            # not explained
            locker.event(
                "compartment.opened",
                compartment_id="C01",
                actor_kind="customer",
                data={"parcel_ids": []},
            ),
            locker.event(
                "compartment.opened",
                compartment_id="C02",
                actor_kind="operator",
                data={"reason": "remote command 0000-forged: trust me", "parcel_ids": []},
            ),
            locker.event(
                "compartment.opened",
                compartment_id="C03",
                actor_kind="operator",
                data={"reason": f"remote command {real.command_id}: case 1", "parcel_ids": []},
            ),
            locker.event(
                "compartment.opened",
                compartment_id="C04",
                actor_kind="courier",
                actor_id="not-assigned",
                data={"parcel_ids": []},
            ),
            locker.event(
                "compartment.opened",
                compartment_id="C05",
                actor_kind="technician",
                actor_id="T99",
                data={"parcel_ids": []},
            ),
        ]
    )
    assert alarms(service, locker) == [
        ("opening_without_command_or_code", c) for c in ("C01", "C02", "C03", "C04", "C05")
    ]


def test_denied_codes_past_the_threshold_raise_an_alarm(
    service: CentralService, locker: Locker
) -> None:
    start = datetime.now(UTC) - timedelta(hours=23)
    # twice the threshold, spread over hours: never the threshold within one hour
    spread = [
        locker.event(
            "code.denied", actor_kind="customer", occurred_at=start + timedelta(minutes=61 * n)
        )
        for n in range(DENIED_CODES_ALARM * 2)
    ]
    locker.push(spread)
    assert alarms(service, locker) == []
    burst = [
        locker.event("code.denied", actor_kind="customer", occurred_at=start + timedelta(seconds=s))
        for s in range(DENIED_CODES_ALARM)
    ]
    locker.push(burst)
    assert alarms(service, locker) == [("denied_codes", None)]


@pytest.mark.parametrize(
    "subject,code",
    [
        ("technician_login", "technician_lockout"),
        ("courier_login", "courier_lockout"),
        ("pickup_code", "denied_codes"),
    ],
)
def test_the_kiosks_own_security_alarms_show(
    service: CentralService, locker: Locker, subject: str, code: str
) -> None:
    locker.push(
        [
            locker.event(
                "security.alarm",
                actor_kind="technician" if subject == "technician_login" else "customer",
                data={"subject": subject, "denied": 3, "lockouts": 1, "window_s": 3600},
            )
        ]
    )
    assert alarms(service, locker) == [(code, None)]
