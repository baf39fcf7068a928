"""Demo data: lockers, a courier, parcels (some already stored) and tokens.

With `deterministic=True` every salt, token and code comes from a fixed random seed,
so a demo script and its printed instructions stay the same run after run. Never use
that mode for a real deployment: anyone with the source knows the codes.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from central import couriers, lockers, parcels, tokens
from central.db import Database
from central.errors import Conflict
from central.tokens import TokenKind
from contract.codes import KdfParams
from contract.wire import (
    CodeKdf,
    CourierUpsert,
    LockerCreate,
    ParcelAnnounce,
    ParcelSize,
    ParcelState,
)

DEMO_LOCKERS = (
    ("XP-DEMO-01", "ExpressPoint Central Station", "1 Station Square"),
    ("XP-DEMO-02", "ExpressPoint Market Hall", "12 Market Street"),
    ("XP-DEMO-03", "ExpressPoint University", "3 Campus Road"),
)
DEMO_LAYOUT = {"S": 8, "M": 6, "L": 3, "XL": 1}
DEMO_SIZES = (ParcelSize.S, ParcelSize.M, ParcelSize.L, ParcelSize.M, ParcelSize.S, ParcelSize.XL)
DEMO_COURIER = ("1001", "Demo Courier", "2468", "XPB-1001-DEMO")
DEFAULT_STORED = ("A01", "A02", "B01")


@dataclass
class SeededParcel:
    locker_id: str
    parcel_id: str
    order_ref: str
    barcode: str
    size: str
    state: str
    compartment_id: str | None
    pickup_code: str
    qr_payload: str


@dataclass
class SeededLocker:
    locker_id: str
    name: str
    device_token: str
    layout: dict[str, int]


@dataclass
class SeedResult:
    operator_token: str
    lockers: list[SeededLocker] = field(default_factory=list)
    courier: dict[str, str] = field(default_factory=dict)
    parcels: list[SeededParcel] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class AlreadySeeded(Conflict):
    """The database already holds the demo lockers."""


def seed_demo(
    db: Database,
    now: datetime,
    *,
    locker_count: int = 1,
    parcels_per_locker: int = 6,
    stored: tuple[str, ...] = DEFAULT_STORED,
    kdf: KdfParams | None = None,
    deterministic: bool = False,
    operator_token: str | None = None,
) -> SeedResult:
    """Fill `db` with demo data; `stored` compartments get the first parcels of locker 1."""
    if not 1 <= locker_count <= len(DEMO_LOCKERS):
        raise ValueError(f"locker_count must be 1..{len(DEMO_LOCKERS)}")
    rng = random.Random(20240501) if deterministic else None
    kdf = kdf or KdfParams()

    def token(label: str) -> str:
        return f"xpt_demo_{label}" if rng else tokens.new_token()

    def salt() -> str:
        return rng.randbytes(16).hex() if rng else secrets.token_hex(16)

    def code() -> str | None:
        return "".join(rng.choice("0123456789") for _ in range(8)) if rng else None

    db.create_schema()
    result = SeedResult(operator_token=operator_token or token("operator"))
    with db.write() as conn:
        for locker_id, *_ in DEMO_LOCKERS[:locker_count]:
            if lockers.exists(conn, locker_id):
                raise AlreadySeeded(
                    f"locker {locker_id} already exists in this database; "
                    "seed a fresh database (or a new --db file)",
                    code="already_seeded",
                )
        tokens.register(conn, result.operator_token, TokenKind.OPERATOR, now)
        for locker_id, name, address in DEMO_LOCKERS[:locker_count]:
            spec = LockerCreate(
                locker_id=locker_id,
                name=name,
                address=address,
                timezone="Europe/Berlin",
                code_kdf=CodeKdf.from_params(kdf),
                layout=DEMO_LAYOUT,
            )
            lockers.create(conn, spec, now, salt=salt())
            device = token(f"device_{locker_id}")
            tokens.register(conn, device, TokenKind.DEVICE, now, locker_id)
            result.lockers.append(SeededLocker(locker_id, name, device, dict(DEMO_LAYOUT)))
    ids = [loc.locker_id for loc in result.lockers]
    with db.read() as conn:
        keys = {lid: lockers.keys(conn, lid) for lid in ids}
    courier_id, courier_name, pin, badge = DEMO_COURIER
    hashes = {lid: couriers.hashes_for(keys[lid], pin, badge) for lid in ids}
    with db.write() as conn:
        couriers.upsert(
            conn,
            courier_id,
            CourierUpsert(name=courier_name, pin=pin, badge=badge, active=True, locker_ids=ids),
            now,
            hashes,
        )
    result.courier = {"courier_id": courier_id, "name": courier_name, "pin": pin, "badge": badge}
    for li, locker_id in enumerate(ids):
        for i in range(parcels_per_locker):
            n = li * 1000 + i + 1
            announce_spec = ParcelAnnounce(
                locker_id=locker_id,
                order_ref=f"DEMO-{n:05d}",
                size=DEMO_SIZES[i % len(DEMO_SIZES)],
                barcode=f"JJD{n:015d}",
                recipient_hint=f"{'ABCDEFGHJK'[i % 10]}. Demo",
                parcel_id=f"demo-{n:05d}",
                pickup_deadline=now + timedelta(days=7),
            )
            plain, hashed = parcels.new_code_and_hash(keys[locker_id], code())
            with db.write() as conn:
                announced = parcels.announce(conn, announce_spec, now, code=plain, code_hash=hashed)
                compartment = stored[i] if li == 0 and i < len(stored) else None
                if compartment:
                    seq = lockers.next_seq(conn, locker_id)
                    parcels.apply_physical(
                        conn,
                        announced.parcel.parcel_id,
                        ParcelState.STORED,
                        compartment,
                        now,
                        seq,
                        now,
                    )
            result.parcels.append(
                SeededParcel(
                    locker_id=locker_id,
                    parcel_id=announced.parcel.parcel_id,
                    order_ref=announce_spec.order_ref,
                    barcode=announce_spec.barcode,
                    size=announce_spec.size.value,
                    state=ParcelState.STORED.value if compartment else ParcelState.EXPECTED.value,
                    compartment_id=compartment,
                    pickup_code=announced.pickup_code,
                    qr_payload=announced.qr_payload,
                )
            )
    return result
