"""Lockers: registration, profile, and the per-locker change counter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from central.errors import Conflict, Invalid, NotFound
from central.schema import locker_status, lockers
from contract.codes import KdfParams, new_salt
from contract.wire import CodeKdf, LockerCreate, LockerProfile


@dataclass(frozen=True)
class LockerKeys:
    """What is needed to hash codes, PINs and badges for one locker."""

    locker_id: str
    salt: str
    params: KdfParams


def next_seq(conn: Connection, locker_id: str, count: int = 1) -> int:
    """Reserve `count` change sequence values; returns the first.

    The UPDATE row-locks the locker until commit (see schema.py for why that matters).
    """
    row = conn.execute(
        update(lockers)
        .where(lockers.c.locker_id == locker_id)
        .values(change_seq=lockers.c.change_seq + count)
        .returning(lockers.c.change_seq)
    ).first()
    if row is None:
        raise NotFound(f"locker {locker_id} does not exist", code="locker_not_found")
    return int(row[0]) - count + 1


def create(conn: Connection, spec: LockerCreate, now: datetime, salt: str | None = None) -> None:
    try:
        params = spec.code_kdf.to_params()
    except ValueError as exc:
        raise Invalid(f"code_kdf: {exc}", code="invalid_kdf") from exc
    exists = conn.execute(
        select(lockers.c.locker_id).where(lockers.c.locker_id == spec.locker_id)
    ).first()
    if exists is not None:
        raise Conflict(f"locker {spec.locker_id} already exists", code="locker_exists")
    conn.execute(
        insert(lockers).values(
            locker_id=spec.locker_id,
            name=spec.name,
            address=spec.address,
            timezone=spec.timezone,
            code_salt=salt or new_salt(),
            kdf_n=params.n,
            kdf_r=params.r,
            kdf_p=params.p,
            kdf_dklen=params.dklen,
            layout=dict(spec.layout),
            layout_version=1,
            change_seq=0,
            created_at=now,
        )
    )
    conn.execute(insert(locker_status).values(locker_id=spec.locker_id))


def _row(conn: Connection, locker_id: str) -> Row[Any]:
    row = conn.execute(select(lockers).where(lockers.c.locker_id == locker_id)).first()
    if row is None:
        raise NotFound(f"locker {locker_id} does not exist", code="locker_not_found")
    return row


def profile(conn: Connection, locker_id: str) -> LockerProfile:
    row = _row(conn, locker_id)
    return LockerProfile(
        locker_id=row.locker_id,
        name=row.name,
        address=row.address,
        timezone=row.timezone,
        code_salt=row.code_salt,
        code_kdf=CodeKdf(n=row.kdf_n, r=row.kdf_r, p=row.kdf_p, dklen=row.kdf_dklen),
        layout_version=row.layout_version,
    )


def keys(conn: Connection, locker_id: str) -> LockerKeys:
    row = _row(conn, locker_id)
    return LockerKeys(
        locker_id=row.locker_id,
        salt=row.code_salt,
        params=KdfParams(n=row.kdf_n, r=row.kdf_r, p=row.kdf_p, dklen=row.kdf_dklen),
    )


def exists(conn: Connection, locker_id: str) -> bool:
    found = conn.execute(select(lockers.c.locker_id).where(lockers.c.locker_id == locker_id))
    return found.first() is not None


def all_ids(conn: Connection) -> list[str]:
    rows = conn.execute(select(lockers.c.locker_id).order_by(lockers.c.locker_id))
    return [r[0] for r in rows]
