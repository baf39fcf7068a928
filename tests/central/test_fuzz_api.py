"""Fuzzing of the central API from its own OpenAPI document (schemathesis), against the
real service process over HTTP, on SQLite and PostgreSQL: no input makes a 500, none
leaves a traceback in the log, nothing is stored past the size of its column."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy import JSON, String, select

from contract.wire import MAX_EVENT_DATA_BYTES
from tests.central.conftest import Locker, log_text
from tests.central_service import CentralService

# PostgreSQL only: it is the stricter store (it refuses NUL, over-long strings and
# out-of-range integers that SQLite would keep), so it finds what SQLite would hide.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.parametrize("service", ["postgresql"], indirect=True),
]

# Per operation: bounded so the module stays well under a minute in the default run;
# EXPRESSPOINT_FUZZ_EXAMPLES=500 for a soak.
EXAMPLES = int(os.environ.get("EXPRESSPOINT_FUZZ_EXAMPLES", "6"))
# The device's own endpoints; every other one takes the operator token.
DEVICE_OPERATIONS = {
    ("GET", "/v1/lockers/{locker_id}"),
    ("GET", "/v1/lockers/{locker_id}/parcels"),
    ("GET", "/v1/lockers/{locker_id}/couriers"),
    ("POST", "/v1/lockers/{locker_id}/events"),
    ("POST", "/v1/lockers/{locker_id}/heartbeat"),
}


def _published_document() -> dict[str, Any]:
    """The service's own OpenAPI document, built as the service builds it (the test
    below checks it is the one the running service serves)."""
    from central.app import create_app
    from central.context import ServiceContext
    from central.db import Database

    db = Database("sqlite://")  # never connected: building the document needs no data
    try:
        return create_app(ServiceContext(db=db)).openapi()
    finally:
        db.dispose()


SPEC = _published_document()
schema = schemathesis.openapi.from_dict(SPEC)
# The coverage phase (every boundary value of every field) stays; sending each path
# every other HTTP method is left to the routing tests (405 is FastAPI's own).
schema.config.phases.coverage.unexpected_methods = set()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_makes_a_server_error(
    case: Any, service: CentralService, locker: Locker
) -> None:
    # Aim at a locker that exists with the token the endpoint wants, so the generated
    # bodies get past authentication and reach the code that parses and stores them.
    if "locker_id" in (case.path_parameters or {}):
        case.path_parameters["locker_id"] = locker.locker_id
    device = (case.method.upper(), case.path) in DEVICE_OPERATIONS
    token = locker.token if device else service.operator_token
    case.call_and_validate(
        base_url=service.base_url,
        session=locker.session,
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error],
    )


def test_nothing_stored_past_its_column_and_no_traceback(service: CentralService) -> None:
    """After everything the session sent (the fuzzing above included)."""
    served = requests.get(service.base_url + "/openapi.json", timeout=10).json()
    assert served == json.loads(json.dumps(SPEC))  # the document fuzzed is the one served
    from central.db import Database
    from central.schema import metadata

    db = Database(service.db_url, pool_size=1)
    oversize = []
    try:
        with db.read() as conn:
            for table in metadata.sorted_tables:
                for row in conn.execute(select(table)):
                    for column in table.columns:
                        value = row._mapping[column.name]
                        if value is None:
                            continue
                        if isinstance(column.type, String) and column.type.length:
                            if len(str(value)) > column.type.length:
                                oversize.append((table.name, column.name, len(str(value))))
                        elif isinstance(column.type, JSON) and column.name in ("data", "result"):
                            size = len(json.dumps(value, separators=(",", ":")))
                            if size > MAX_EVENT_DATA_BYTES:
                                oversize.append((table.name, column.name, size))
    finally:
        db.dispose()
    assert oversize == []
    log = log_text(service)
    assert "Traceback" not in log and "internal_error" not in log
