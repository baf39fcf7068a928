"""Parcels, alarms, couriers and tokens pages over real HTTP, each action checked from
the other side (the locker's pulls, its token, the stored alarm acknowledgement)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest

from contract.wire import ParcelAnnounce, ParcelSize
from tests.central_service import CentralService
from tests.console.conftest import Locker
from tests.console.console_client import ConsoleUser

pytestmark = pytest.mark.integration

Users = Callable[[str], ConsoleUser]


def _announce(service: CentralService, locker: Locker, phone: str | None = None) -> object:
    n = uuid.uuid4().hex[:8]
    return service.operator.announce(
        ParcelAnnounce(
            locker_id=locker.locker_id,
            order_ref=f"ORD-{n}",
            size=ParcelSize.S,
            barcode=f"JJD{n}",
            recipient_phone=phone,
        )
    )


def test_search_finds_a_parcel_every_way(
    service: CentralService, locker: Locker, sign_in: Users
) -> None:
    viewer = sign_in("viewer")
    phone = f"+49170{uuid.uuid4().int % 10**7:07d}"
    p = _announce(service, locker, phone=phone).parcel  # type: ignore[attr-defined]
    for q in (p.parcel_id, p.order_ref, p.barcode):
        page = viewer.get("/console/parcels", q=q).text
        assert f"/console/parcels/{p.parcel_id}" in page, q
    assert f"/console/parcels/{p.parcel_id}" in viewer.get("/console/parcels", q=phone[-7:]).text
    assert "Nothing matches" in viewer.get("/console/parcels", q="no-such-parcel-xyz").text
    # The viewer has no forms on the parcel page and its posts are refused.
    page = viewer.get(f"/console/parcels/{p.parcel_id}")
    assert page.status_code == 200 and "/extend" not in page.text
    assert viewer.post(f"/console/parcels/{p.parcel_id}/extend", days="2").status_code == 403


def test_support_extends_admin_cancels(
    service: CentralService, locker: Locker, sign_in: Users
) -> None:
    support, admin = sign_in("support"), sign_in("admin")
    p = _announce(service, locker).parcel  # type: ignore[attr-defined]
    support.get(f"/console/parcels/{p.parcel_id}")
    assert support.post(f"/console/parcels/{p.parcel_id}/extend", days="3").status_code == 303
    after = service.parcel(p.parcel_id)
    assert (after.pickup_deadline - p.pickup_deadline).days == 3
    assert after.version == p.version + 1  # the locker pulls the new deadline
    assert support.post(f"/console/parcels/{p.parcel_id}/extend", days="99").status_code == 422
    # Cancelling is for admins.
    refused = support.post(f"/console/parcels/{p.parcel_id}/cancel", reason="customer asked")
    assert refused.status_code == 403
    admin.get(f"/console/parcels/{p.parcel_id}")
    ok = admin.post(f"/console/parcels/{p.parcel_id}/cancel", reason="customer asked")
    assert ok.status_code == 303 and service.parcel(p.parcel_id).state == "cancelled"
    again = admin.post(f"/console/parcels/{p.parcel_id}/cancel", reason="twice")
    assert again.status_code == 409 and "cancelled" in again.text


def test_admin_announces_from_the_console(
    service: CentralService, locker: Locker, sign_in: Users
) -> None:
    admin = sign_in("admin")
    admin.get("/console/parcels")
    ref = f"WEB-{uuid.uuid4().hex[:6]}"
    resp = admin.post(
        "/console/parcels/announce",
        locker_id=locker.locker_id,
        order_ref=ref,
        barcode=ref,
        size="L",
        pickup_days="5",
    )
    assert resp.status_code == 201
    code = re.search(r'id="pickup-code">(\d+)<', resp.text)
    assert code is not None
    pulled = [p for p in service.parcels(locker.locker_id).values() if p.order_ref == ref]
    assert len(pulled) == 1 and pulled[0].size == "L"
    bad = admin.post(
        "/console/parcels/announce",
        locker_id=locker.locker_id,
        order_ref=ref,
        barcode=ref,
        size="L",
    )
    assert bad.status_code == 409 and "order_ref" in bad.text


def test_alarm_acknowledged_with_a_note(locker: Locker, sign_in: Users) -> None:
    viewer, support = sign_in("viewer"), sign_in("support")
    locker.heartbeat()
    locker.push("compartment.jammed", compartment_id="A03")
    page = support.get("/console/alarms").text
    key = re.search(
        rf'name="alarm_key" value="({re.escape(locker.locker_id)}\|compartment_jammed[^"]*)"', page
    )
    assert key is not None
    assert (
        viewer.post("/console/alarms/ack", alarm_key=key.group(1), note="viewer try").status_code
        == 403
    )
    assert support.post("/console/alarms/ack", alarm_key=key.group(1), note="").status_code == 422
    done = support.post(
        "/console/alarms/ack", alarm_key=key.group(1), note="technician freed the bolt", follow=True
    )
    assert done.status_code == 200 and "technician freed the bolt" in done.text
    again = support.post("/console/alarms/ack", alarm_key=key.group(1), note="again")
    assert again.status_code == 409


def test_couriers_add_deactivate_reset_pin(
    service: CentralService, locker: Locker, sign_in: Users
) -> None:
    admin, support = sign_in("admin"), sign_in("support")
    courier_id = f"K{uuid.uuid4().hex[:6]}"
    support.get("/console/couriers")
    assert (
        support.post(
            "/console/couriers",
            action="save",
            courier_id=courier_id,
            name="K",
            pin="1234",
            lockers=locker.locker_id,
        ).status_code
        == 403
    )
    admin.get("/console/couriers")
    assert (
        admin.post(
            "/console/couriers",
            action="save",
            courier_id=courier_id,
            name="Kim",
            pin="123456",
            lockers=locker.locker_id,
        ).status_code
        == 303
    )
    first = service.couriers(locker.locker_id)[courier_id]
    assert first.active and first.pin_hash
    assert (
        admin.post(
            "/console/couriers", action="reset_pin", courier_id=courier_id, pin="654321"
        ).status_code
        == 303
    )
    second = service.couriers(locker.locker_id)[courier_id]
    assert second.pin_hash != first.pin_hash
    assert (
        admin.post(
            "/console/couriers", action="reset_pin", courier_id=courier_id, pin="12"
        ).status_code
        == 422
    )
    assert (
        admin.post("/console/couriers", action="deactivate", courier_id=courier_id).status_code
        == 303
    )
    assert not service.couriers(locker.locker_id)[courier_id].active
    assert "123456" not in admin.get("/console/audit").text


def test_tokens_issue_rotate_revoke(
    service: CentralService, locker: Locker, sign_in: Users
) -> None:
    viewer, admin = sign_in("viewer"), sign_in("admin")
    assert viewer.get("/console/tokens").status_code == 403
    admin.get("/console/tokens")
    rotated = admin.post("/console/tokens", locker_id=locker.locker_id, action="rotate")
    assert rotated.status_code == 201
    token = re.search(r'id="new-token">([^<]+)<', rotated.text)
    assert token is not None
    # The old token stops at once; the new one works.
    old = service.device_get(f"/v1/lockers/{locker.locker_id}", token=locker.token)
    assert old.status_code == 401
    new = service.device_get(f"/v1/lockers/{locker.locker_id}", token=token.group(1))
    assert new.status_code == 200
    # Shown once: the page does not show it again.
    assert token.group(1) not in admin.get("/console/tokens").text
    assert (
        admin.post("/console/tokens", locker_id=locker.locker_id, action="revoke").status_code
        == 303
    )
    assert (
        service.device_get(f"/v1/lockers/{locker.locker_id}", token=token.group(1)).status_code
        == 401
    )
    assert token.group(1) not in admin.get("/console/audit").text
