"""Tables of the local cache and the states stored in them.

The kiosk process and the sync worker share these tables through one SQLite file.
States that are stored or sent are `StrEnum`s, so the database holds the same words the
central API uses. Times are timezone-aware UTC `datetime`s.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, DateTime, Dialect, Text, TypeDecorator, false
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

# States, kinds and event names are the house's vocabulary: the cache stores what the
# contract carries, so every room shares one definition.
from contract.vocabulary import (
    ActorKind,
    AuditKind,
    ClaimStatus,
    CompartmentState,
    DoorState,
    EventType,
    LocalCommandStatus,
    OpeningOutcome,
    OpeningSettlement,
    ParcelState,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """UTC in, aware UTC out: SQLite drops the offset, so it is normalised on the way in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the cache; pass an aware UTC time")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _enum(enum: type[StrEnum], index: bool = False, nullable: bool = False) -> Column:
    # The value ("picked_up"), not the member name, is stored: the same word the API uses.
    # No CHECK constraint, so adding a state later needs no table rebuild.
    kind = SAEnum(
        enum,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        length=32,
        validate_strings=True,
    )
    return Column(kind, nullable=nullable, index=index)


def _ts(nullable: bool = True, index: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Compartment(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=16)  # the label on the door, e.g. "A07"
    board: int
    channel: int
    size: str = Field(max_length=16)  # S/M/L/XL or the operator's own
    column: int
    row: int
    state: CompartmentState = Field(
        default=CompartmentState.FREE, sa_column=_enum(CompartmentState)
    )
    door: DoorState = Field(default=DoorState.UNKNOWN, sa_column=_enum(DoorState))
    occupied: bool | None = None
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class Parcel(SQLModel, table=True):
    parcel_id: str = Field(primary_key=True)
    order_ref: str = ""
    state: ParcelState = Field(sa_column=_enum(ParcelState, index=True))
    size: str | None = None
    compartment_id: str | None = Field(default=None, index=True)
    pickup_code_hash: str | None = Field(default=None, index=True)
    qr_hash: str | None = Field(default=None, index=True)  # keyed hash of the QR secret
    pickup_deadline: datetime | None = Field(default=None, sa_column=_ts())
    barcode: str | None = Field(default=None, index=True)
    recipient_hint: str | None = None
    # The recipient needs a compartment within seated reach.
    accessible: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    version: int = 0
    # Central version the parcel had when the kiosk changed it locally; while set, a
    # pulled copy that is not newer does not undo the local change (see sync.md).
    local_base_version: int | None = None


class Courier(SQLModel, table=True):
    courier_id: str = Field(primary_key=True)
    name: str = ""
    pin_hash: str | None = None
    badge_hash: str | None = Field(default=None, index=True)
    active: bool = True
    version: int = 0


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox"

    event_id: str = Field(primary_key=True, max_length=36)  # UUID, the idempotency key
    seq: int = Field(unique=True, index=True)
    type: EventType = Field(sa_column=_enum(EventType))
    occurred_at: datetime = Field(sa_column=_ts(nullable=False))
    parcel_id: str | None = Field(default=None, index=True)
    compartment_id: str | None = None
    actor_kind: ActorKind = Field(default=ActorKind.SYSTEM, sa_column=_enum(ActorKind))
    actor_id: str | None = None
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    attempts: int = 0
    last_attempt_at: datetime | None = Field(default=None, sa_column=_ts())
    sent_at: datetime | None = Field(default=None, sa_column=_ts(index=True))
    rejected_code: str | None = None
    rejected_message: str | None = None


class Command(SQLModel, table=True):
    command_id: str = Field(primary_key=True)
    type: str  # a CommandType, kept as text so an unknown type is stored and failed
    compartment_id: str | None = None
    reason: str = ""
    expires_at: datetime | None = Field(default=None, sa_column=_ts())
    received_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    status: LocalCommandStatus = Field(
        default=LocalCommandStatus.PENDING, sa_column=_enum(LocalCommandStatus, index=True)
    )
    finished_at: datetime | None = Field(default=None, sa_column=_ts())
    detail: str | None = None


class DoorClaim(SQLModel, table=True):
    """A parcel the central service says is inside a door the kiosk never filled.

    A door's contents are the kiosk's own knowledge (its deposits and its start-up
    recovery). A pull may only *claim* contents: on a cache rebuilt from nothing (a
    replaced disk) the claim waits here, unverified, until an occupancy sensor or the
    technician confirms it; any other time it contradicts the kiosk and is refused.
    """

    __tablename__ = "door_claim"

    id: int | None = Field(default=None, primary_key=True)
    parcel_id: str = Field(index=True)
    compartment_id: str = Field(index=True)
    state: str  # the central service's word for the parcel: stored, expired, cancelled
    version: int = 0
    status: ClaimStatus = Field(default=ClaimStatus.UNVERIFIED,
                                sa_column=_enum(ClaimStatus, index=True))
    received_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    resolved_at: datetime | None = Field(default=None, sa_column=_ts())
    detail: str = ""


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False, index=True))
    kind: AuditKind = Field(sa_column=_enum(AuditKind))
    actor_kind: ActorKind = Field(default=ActorKind.SYSTEM, sa_column=_enum(ActorKind))
    actor_id: str | None = None
    compartment_id: str | None = None
    parcel_id: str | None = None
    event_id: str | None = None
    detail: str = ""


class KioskState(SQLModel, table=True):
    """Small records the kiosk keeps across restarts (lockouts, the remote-open cap,
    kiosk time), one JSON value per key."""

    __tablename__ = "kiosk_state"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class DoorOpening(SQLModel, table=True):
    """One door opening's story, from the intent to its settlement: what the start-up
    recovery asks after a killed run. The audit journal stays the evidence (append-only,
    in words for people); these columns are the same facts for the code to query."""

    __tablename__ = "door_opening"

    intent_id: int = Field(primary_key=True)  # the door_open audit row written first
    compartment_id: str = Field(index=True)
    reason: str = ""  # pickup, pickup_retry, deposit, collect, technician ..., remote ...
    parcel_ids: str = Field(default="[]", sa_column=Column(Text, nullable=False,
                                                          default="[]"))  # JSON list
    actor_kind: ActorKind = Field(default=ActorKind.SYSTEM, sa_column=_enum(ActorKind))
    actor_id: str | None = None
    command_id: str | None = Field(default=None, index=True)  # the remote command behind it
    event_seq: int = 0  # seq of its compartment.opened event
    requested_at: datetime = Field(sa_column=_ts(nullable=False))
    outcome: OpeningOutcome | None = Field(
        default=None, sa_column=_enum(OpeningOutcome, nullable=True))
    outcome_at: datetime | None = Field(default=None, sa_column=_ts())
    closed_at: datetime | None = Field(default=None, sa_column=_ts())
    settlement: OpeningSettlement | None = Field(
        default=None, sa_column=_enum(OpeningSettlement, nullable=True))
    settled_at: datetime | None = Field(default=None, sa_column=_ts())


class SyncState(SQLModel, table=True):
    """One row (id=1): the locker profile, cursors and the worker's health."""

    __tablename__ = "sync_state"

    id: int = Field(default=1, primary_key=True)
    locker_id: str | None = None
    locker_name: str | None = None
    address: str | None = None
    timezone: str | None = None
    code_salt: str | None = None
    code_kdf: str | None = None  # JSON, as the profile sends it
    layout_version: str | None = None
    profile_updated_at: datetime | None = Field(default=None, sa_column=_ts())
    parcel_cursor: str | None = None
    # End of the first complete parcel pull. Before it, the cache is being built from
    # nothing and a parcel the central service says is inside a door becomes an
    # unverified claim; after it, such a parcel contradicts the kiosk and is refused.
    # A `resync` resets the cursors, never this.
    first_pull_done_at: datetime | None = Field(default=None, sa_column=_ts())
    courier_cursor: str | None = None
    last_event_seq: int = 0
    last_success_at: datetime | None = Field(default=None, sa_column=_ts())
    last_attempt_at: datetime | None = Field(default=None, sa_column=_ts())
    last_error: str | None = None
    last_error_at: datetime | None = Field(default=None, sa_column=_ts())
    offline_since: datetime | None = Field(default=None, sa_column=_ts())
    clock_skew_s: float | None = None
    outbox_depth: int = 0
    last_heartbeat_at: datetime | None = Field(default=None, sa_column=_ts())
