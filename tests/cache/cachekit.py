"""Helpers of the cache tests: a small layout, a profile with fast scrypt parameters,
parcels written straight into the file, a clock the test moves by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from contract.codes import KdfParams, hash_code
from sync.cache import Cache, CompartmentSpec, Parcel, ParcelState
from sync.cache.journal import sync_state
from tests.arrivals import arrive

FAST_KDF = KdfParams(n=1024, r=8, p=1, dklen=32)
SALT = "00112233445566778899aabbccddeeff"
LAYOUT = [
    CompartmentSpec("A01", board=1, channel=1, size="S", column=0, row=1),
    CompartmentSpec("A02", board=1, channel=2, size="M", column=0, row=2),
    CompartmentSpec("A03", board=1, channel=3, size="M", column=0, row=3),
    CompartmentSpec("B01", board=1, channel=4, size="M", column=1, row=1),
    CompartmentSpec("B02", board=1, channel=5, size="L", column=1, row=2),
]


class ManualClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def seed_profile(cache: Cache, locker_id: str = "LK-001") -> None:
    with cache.write() as s:
        st = sync_state(s)
        st.locker_id, st.locker_name, st.code_salt = locker_id, "Main St", SALT
        st.code_kdf = json.dumps(FAST_KDF.as_profile())
        s.add(st)


def add_parcel(cache: Cache, parcel_id: str, code: str | None, **fields: object) -> Parcel:
    """A parcel as the product gets one (`tests.arrivals`): pulled, and deposited (or
    claimed and confirmed) when it is inside a door."""
    values: dict[str, object] = {
        "order_ref": f"ORD-{parcel_id}",
        "state": ParcelState.STORED,
        "size": "M",
        "barcode": f"BC{parcel_id}",
        "version": 1,
        "deadline": datetime(2026, 3, 8, tzinfo=UTC),
    }
    if "pickup_deadline" in fields:
        fields["deadline"] = fields.pop("pickup_deadline")
    values.update(fields)
    return arrive(cache, parcel_id, code_hash=hash_code(code, SALT, FAST_KDF) if code else None,
                  **values)  # type: ignore[arg-type]
