"""Read-only look-ups: locker profile and code hashing, parcels, couriers, audit, status."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select

from contract import codes
from sync.cache import journal
from sync.cache.base import INSIDE, CacheBase
from sync.cache.errors import ProfileMissing
from sync.cache.models import (
    ActorKind,
    AuditEntry,
    AuditKind,
    Courier,
    OutboxEvent,
    Parcel,
    ParcelState,
)
from sync.cache.records import LockerProfile, SyncStatus


class LookupsMixin(CacheBase):
    """Read-only look-ups; never writes."""

    # -- locker profile and code hashing ------------------------------------------------

    def profile(self) -> LockerProfile:
        with self.read() as s:
            st = journal.sync_state_or_none(s)
        if st is None or not st.code_salt or not st.code_kdf or not st.locker_id:
            raise ProfileMissing()
        return LockerProfile(
            locker_id=st.locker_id,
            name=st.locker_name or "",
            address=st.address or "",
            timezone=st.timezone or "UTC",
            code_salt=st.code_salt,
            kdf=codes.KdfParams.from_profile(json.loads(st.code_kdf)),
            layout_version=st.layout_version,
            updated_at=st.profile_updated_at,
        )

    @property
    def code_salt(self) -> str:
        return self.profile().code_salt

    @property
    def kdf(self) -> codes.KdfParams:
        return self.profile().kdf

    def hash_code(self, code: str) -> str:
        """Pickup-code hash with the cached profile. MalformedCode, ProfileMissing."""
        p = self.profile()
        return codes.hash_code(code, p.code_salt, p.kdf)

    def hash_secret(self, secret: str) -> str:
        """PIN or badge-payload hash, made like the central side makes `pin_hash`."""
        p = self.profile()
        return codes.hash_secret(secret, p.code_salt, p.kdf)

    # -- parcels and couriers -----------------------------------------------------------

    def parcels_for_code_hash(self, code_hash: str) -> list[Parcel]:
        """Every parcel with this code hash, in all states, highest version first."""
        with self.read() as s:
            q = select(Parcel).where(Parcel.pickup_code_hash == code_hash)
            return list(s.exec(q.order_by(col(Parcel.version).desc())))

    def parcel(self, parcel_id: str) -> Parcel | None:
        with self.read() as s:
            return s.get(Parcel, parcel_id)

    def parcel_by_barcode(self, barcode: str) -> Parcel | None:
        """The parcel with this label; an open one (expected/stored) wins over old ones."""
        with self.read() as s:
            rows = list(s.exec(select(Parcel).where(Parcel.barcode == barcode)))
        if not rows:
            return None
        open_states = {ParcelState.EXPECTED, ParcelState.STORED}
        return max(rows, key=lambda p: (p.state in open_states, p.version))

    def parcels_in_compartment(self, compartment_id: str) -> list[Parcel]:
        """Parcels physically in the compartment (stored, expired or cancelled there)."""
        with self.read() as s:
            q = select(Parcel).where(
                Parcel.compartment_id == compartment_id, col(Parcel.state).in_(INSIDE)
            )
            return list(s.exec(q))

    def parcels_to_collect(self) -> list[Parcel]:
        """Expired or cancelled parcels still in a compartment, for the courier's collection."""
        with self.read() as s:
            q = select(Parcel).where(
                col(Parcel.state).in_([ParcelState.EXPIRED, ParcelState.CANCELLED]),
                col(Parcel.compartment_id).is_not(None),
            )
            return list(s.exec(q.order_by(Parcel.compartment_id)))

    def expected_parcel_count(self) -> int:
        """Parcels announced for this locker that wait for a courier to deposit them."""
        with self.read() as s:
            q = select(func.count()).select_from(Parcel).where(
                Parcel.state == ParcelState.EXPECTED)
            return int(s.exec(q).one())

    def courier(self, courier_id: str) -> Courier | None:
        with self.read() as s:
            return s.get(Courier, courier_id)

    def courier_by_badge_hash(self, badge_hash: str) -> Courier | None:
        with self.read() as s:
            return s.exec(select(Courier).where(Courier.badge_hash == badge_hash)).first()

    def audit_times(self, kind: AuditKind | str, since: datetime,
                    actor_kind: ActorKind | str | None = None, *,
                    with_event: bool = False) -> list[datetime]:
        """When audit rows of `kind` (optionally by `actor_kind`; with `with_event`, only
        those written together with an outbox event) were written since `since`, oldest
        first: e.g. the wrong codes that a lockout must remember."""
        with self.read() as s:
            q = select(AuditEntry.at).where(AuditEntry.kind == AuditKind(kind),
                                            col(AuditEntry.at) >= since)
            if actor_kind is not None:
                q = q.where(AuditEntry.actor_kind == ActorKind(actor_kind))
            if with_event:
                q = q.where(col(AuditEntry.event_id).is_not(None))
            return list(s.exec(q.order_by(col(AuditEntry.id))))

    def recent_audit(self, limit: int = 100) -> list[AuditEntry]:
        with self.read() as s:
            q = select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(limit)
            return list(s.exec(q))

    # -- sync status for diagnostics ------------------------------------------------------

    def sync_status(self) -> SyncStatus:
        with self.read() as s:
            st = journal.sync_state_or_none(s)
            depth = s.exec(select(func.count()).select_from(OutboxEvent).where(
                col(OutboxEvent.sent_at).is_(None), col(OutboxEvent.rejected_code).is_(None)
            )).one()
            rejected = s.exec(select(func.count()).select_from(OutboxEvent).where(
                col(OutboxEvent.rejected_code).is_not(None)
            )).one()
        return SyncStatus(
            last_success_at=st.last_success_at if st else None,
            last_attempt_at=st.last_attempt_at if st else None,
            last_error=st.last_error if st else None,
            last_error_at=st.last_error_at if st else None,
            offline_since=st.offline_since if st else None,
            clock_skew_s=st.clock_skew_s if st else None,
            outbox_depth=int(depth),
            rejected_events=int(rejected),
            last_event_seq=st.last_event_seq if st else 0,
            last_heartbeat_at=st.last_heartbeat_at if st else None,
        )

    def rejected_events(self, limit: int = 50) -> list[OutboxEvent]:
        """Events the central service refused, newest first (kept for diagnostics)."""
        with self.read() as s:
            q = select(OutboxEvent).where(col(OutboxEvent.rejected_code).is_not(None))
            return list(s.exec(q.order_by(col(OutboxEvent.seq).desc()).limit(limit)))

