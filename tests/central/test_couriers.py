"""Couriers on several lockers: per-locker hashes, pulls, unassignment."""

from __future__ import annotations

import uuid

import pytest

from contract.codes import hash_secret
from tests.central.conftest import Locker, error_of
from tests.central_service import CentralService, OperatorApiError

pytestmark = pytest.mark.integration


def test_courier_on_two_lockers_gets_each_lockers_hashes(
    service: CentralService, locker: Locker
) -> None:
    second = locker.locker_id + "-2"
    service.add_locker(second)
    courier_id = "c" + uuid.uuid4().hex[:8]
    record = service.put_courier(
        courier_id,
        name="Kim Courier",
        pin="482910",
        badge="XPB-77",
        locker_ids=[locker.locker_id, second],
    )
    assert record.locker_ids == sorted([locker.locker_id, second]) and record.version == 1
    hashes = {}
    for lid in (locker.locker_id, second):
        profile = service.profile(lid)
        params = profile.code_kdf.to_params()
        pulled = service.couriers(lid)[courier_id]
        assert pulled.active and pulled.name == "Kim Courier"
        assert pulled.pin_hash == hash_secret("482910", profile.code_salt, params)
        assert pulled.badge_hash == hash_secret("XPB-77", profile.code_salt, params)
        hashes[lid] = pulled.pin_hash
    assert hashes[locker.locker_id] != hashes[second]  # salts differ per locker


def test_unassigned_or_deactivated_courier_is_pulled_as_inactive(
    service: CentralService, locker: Locker
) -> None:
    courier_id = "c" + uuid.uuid4().hex[:8]
    service.put_courier(courier_id, pin="1234", locker_ids=[locker.locker_id])
    cursor = locker.get("/couriers").json()["next_cursor"]
    record = service.put_courier(courier_id, pin=None, locker_ids=[])
    assert record.locker_ids == [] and record.version == 2
    page = locker.get("/couriers", cursor=cursor).json()
    assert [(c["courier_id"], c["active"], c["version"]) for c in page["couriers"]] == [
        (courier_id, False, 2)
    ]
    # back on the locker needs the PIN again (hashes are per locker salt)
    with pytest.raises(OperatorApiError) as exc:
        service.put_courier(courier_id, pin=None, locker_ids=[locker.locker_id])
    assert (exc.value.status, exc.value.code) == (422, "pin_required")
    service.put_courier(courier_id, pin="5678", locker_ids=[locker.locker_id], active=False)
    pulled = service.couriers(locker.locker_id)[courier_id]
    assert not pulled.active and pulled.version == 3


def test_courier_validation(service: CentralService, locker: Locker) -> None:
    resp = locker.session.put(
        f"{service.base_url}/v1/couriers/bad",
        json={"name": "Short Pin", "pin": "12", "locker_ids": [locker.locker_id]},
        headers={"Authorization": f"Bearer {service.operator_token}"},
        timeout=10,
    )
    assert error_of(resp) == (422, "validation_error")
    assert "pin" in resp.json()["error"]["message"]
    with pytest.raises(OperatorApiError) as exc:
        service.put_courier("c-nowhere", pin="1234", locker_ids=["NO-SUCH-LOCKER"])
    assert (exc.value.status, exc.value.code) == (404, "locker_not_found")
