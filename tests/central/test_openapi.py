"""The published contract: /openapi.json covers every endpoint of central-api.md."""

from __future__ import annotations

import pytest
import requests

from tests.central_service import CentralService

pytestmark = pytest.mark.integration

CONTRACT = {
    ("get", "/v1/lockers/{locker_id}"): "LockerProfile",
    ("get", "/v1/lockers/{locker_id}/parcels"): "ParcelPage",
    ("get", "/v1/lockers/{locker_id}/couriers"): "CourierPage",
    ("post", "/v1/lockers/{locker_id}/events"): "EventResult",
    ("post", "/v1/lockers/{locker_id}/heartbeat"): "HeartbeatReply",
    ("post", "/v1/parcels"): "ParcelAnnounced",
    ("post", "/v1/lockers/{locker_id}/commands"): "CommandRecord",
    ("get", "/v1/lockers/{locker_id}/events"): "EventLog",
    ("get", "/v1/lockers"): "Fleet",
}


def test_openapi_lists_every_endpoint_with_its_models(service: CentralService) -> None:
    spec = requests.get(service.base_url + "/openapi.json", timeout=10).json()
    assert spec["openapi"].startswith("3.")
    for (method, path), model in CONTRACT.items():
        op = spec["paths"][path][method]
        ok = next(code for code in op["responses"] if code.startswith("2"))
        ref = op["responses"][ok]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/" + model), (path, ref)
        for status in ("401", "403", "404", "422"):
            err = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            assert err.endswith("/ErrorBody"), (path, status)
    schemas = spec["components"]["schemas"]
    events_body = spec["paths"]["/v1/lockers/{locker_id}/events"]["post"]["requestBody"]
    assert events_body["content"]["application/json"]["schema"]["$ref"].endswith("/EventBatch")
    assert {"EventBatch", "Event", "Actor", "EventType", "ErrorBody"} <= set(schemas)
    assert "HTTPValidationError" not in schemas  # FastAPI's own error shape is not used
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
