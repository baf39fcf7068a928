"""Every JSON body of the central order service API (shared/design/central-api.md).

Both sides use these models: the reference central service parses requests and renders
responses with them, and the kiosk's sync client validates what it receives with them
(`Model.model_validate(response.json())`), so a malformed answer is one clear
`pydantic.ValidationError` instead of a `KeyError` deep in the worker.

Conventions:
- Timestamps are RFC 3339 and must carry a zone; they are normalised to UTC and sent
  with a `Z` suffix.
- Integers and booleans are strict: `"5"` is not a sequence number and `"true"` is not
  a boolean, so a server or client sending the wrong types is caught, not coerced.
- Unknown fields are ignored (tolerant reader), so either side can add optional fields
  without breaking the other.
- Event ids are UUIDs, carried as canonical lower-case hyphenated strings.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
)

from contract.codes import KdfParams

MAX_EVENTS_PER_BATCH = 500
MAX_PAGE_LIMIT = 1000


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _canonical_uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError as exc:
        raise ValueError("must be a UUID such as 123e4567-e89b-12d3-a456-426614174000") from exc


UtcDateTime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
EventId = Annotated[str, AfterValidator(_canonical_uuid)]
NonNegativeInt = Annotated[StrictInt, Field(ge=0)]
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
HexString = Annotated[str, Field(pattern=r"^[0-9a-f]+$")]


class WireModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, use_enum_values=False)


# --------------------------------------------------------------------------- enums


class ParcelState(StrEnum):
    EXPECTED = "expected"
    STORED = "stored"
    PICKED_UP = "picked_up"
    EXPIRED = "expired"
    COLLECTED = "collected"
    CANCELLED = "cancelled"


class ParcelSize(StrEnum):
    S = "S"
    M = "M"
    L = "L"
    XL = "XL"


class ActorKind(StrEnum):
    CUSTOMER = "customer"
    COURIER = "courier"
    TECHNICIAN = "technician"
    OPERATOR = "operator"
    SYSTEM = "system"


class EventType(StrEnum):
    PARCEL_DEPOSITED = "parcel.deposited"
    PARCEL_PICKED_UP = "parcel.picked_up"
    PARCEL_COLLECTED = "parcel.collected"
    PARCEL_DEPOSIT_FAILED = "parcel.deposit_failed"
    COMPARTMENT_OPENED = "compartment.opened"
    COMPARTMENT_CLOSED = "compartment.closed"
    COMPARTMENT_FORCED_OPEN = "compartment.forced_open"
    COMPARTMENT_LEFT_OPEN = "compartment.left_open"
    COMPARTMENT_JAMMED = "compartment.jammed"
    COMPARTMENT_OUT_OF_SERVICE = "compartment.out_of_service"
    COMPARTMENT_IN_SERVICE = "compartment.in_service"
    CODE_DENIED = "code.denied"
    CODE_LOCKOUT = "code.lockout"
    COURIER_LOGIN = "courier.login"
    COURIER_LOGIN_FAILED = "courier.login_failed"
    TECHNICIAN_LOGIN = "technician.login"
    COMMAND_COMPLETED = "command.completed"
    COMMAND_FAILED = "command.failed"
    LOCKER_STARTED = "locker.started"


class CommandType(StrEnum):
    OPEN_COMPARTMENT = "open_compartment"
    SET_OUT_OF_SERVICE = "set_out_of_service"
    SET_IN_SERVICE = "set_in_service"
    RESYNC = "resync"


class CompartmentState(StrEnum):
    FREE = "free"
    RESERVED = "reserved"
    OCCUPIED = "occupied"
    OUT_OF_SERVICE = "out_of_service"
    FAULT = "fault"


class DoorState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"


# --------------------------------------------------------------------------- errors


class ErrorDetail(WireModel):
    code: str = Field(description="snake_case, stable; clients branch on it")
    message: str = Field(description="for people: what went wrong and what to do next")


class ErrorBody(WireModel):
    """Every 4xx/5xx answer: `{"error": {"code": ..., "message": ...}}`."""

    error: ErrorDetail


# --------------------------------------------------------------------------- locker profile


class CodeKdf(WireModel):
    name: Literal["scrypt"] = "scrypt"
    n: StrictInt = 16384
    r: StrictInt = 8
    p: StrictInt = 1
    dklen: StrictInt = 32

    def to_params(self) -> KdfParams:
        """The parameters for `contract.codes.hash_code`; raises ValueError if unusable."""
        return KdfParams(name=self.name, n=self.n, r=self.r, p=self.p, dklen=self.dklen)

    @classmethod
    def from_params(cls, params: KdfParams) -> CodeKdf:
        return cls(name="scrypt", n=params.n, r=params.r, p=params.p, dklen=params.dklen)


class LockerProfile(WireModel):
    locker_id: Identifier
    name: str
    address: str
    timezone: str
    code_salt: HexString
    code_kdf: CodeKdf
    layout_version: NonNegativeInt


# --------------------------------------------------------------------------- parcels


class Parcel(WireModel):
    parcel_id: Identifier
    order_ref: str
    state: ParcelState
    size: ParcelSize
    compartment_id: str | None = None
    barcode: str
    pickup_code_hash: HexString | None = None
    pickup_deadline: UtcDateTime
    recipient_hint: str | None = None
    # The recipient needs a compartment a seated person can reach (a low door).
    accessible: StrictBool = False
    version: Annotated[StrictInt, Field(ge=1)]


class ParcelPage(WireModel):
    parcels: list[Parcel]
    next_cursor: str = Field(description="opaque; send it back as ?cursor= for the next page")
    has_more: StrictBool


# --------------------------------------------------------------------------- couriers


class Courier(WireModel):
    courier_id: Identifier
    name: str
    pin_hash: HexString | None = None
    badge_hash: HexString | None = None
    active: StrictBool
    version: Annotated[StrictInt, Field(ge=1)]


class CourierPage(WireModel):
    couriers: list[Courier]
    next_cursor: str
    has_more: StrictBool


# --------------------------------------------------------------------------- events


class Actor(WireModel):
    kind: ActorKind
    id: str | None = None


class Event(WireModel):
    """One thing that happened at the locker. `event_id` is the idempotency key.

    `command.completed` / `command.failed` carry `data.command_id`, so the central side
    can close the command.
    """

    event_id: EventId
    seq: Annotated[StrictInt, Field(ge=0)]
    type: EventType
    occurred_at: UtcDateTime
    parcel_id: str | None = None
    compartment_id: str | None = None
    actor: Actor
    data: dict[str, Any] = Field(default_factory=dict)


class EventBatch(WireModel):
    events: list[Event] = Field(min_length=1, max_length=MAX_EVENTS_PER_BATCH)


class RejectedEvent(WireModel):
    event_id: str
    code: str
    message: str


class EventResult(WireModel):
    accepted: list[str] = Field(default_factory=list)
    duplicates: list[str] = Field(default_factory=list)
    rejected: list[RejectedEvent] = Field(default_factory=list)


# --------------------------------------------------------------------------- heartbeat


class CompartmentStatus(WireModel):
    compartment_id: str
    state: CompartmentState
    door: DoorState
    occupied: StrictBool | None = None


class Heartbeat(WireModel):
    sent_at: UtcDateTime
    software_version: str
    outbox_depth: NonNegativeInt
    last_event_seq: NonNegativeInt
    compartments: list[CompartmentStatus] = Field(default_factory=list)
    board_ok: StrictBool


class Command(WireModel):
    command_id: str
    type: CommandType
    compartment_id: str | None = None
    reason: str
    expires_at: UtcDateTime


class HeartbeatReply(WireModel):
    server_time: UtcDateTime
    commands: list[Command]


# --------------------------------------------------------------------------- operator side


class LockerCreate(WireModel):
    """`POST /v1/lockers`: register a locker; the salt is generated by the service."""

    locker_id: Identifier
    name: str
    address: str = ""
    timezone: str = "UTC"
    code_kdf: CodeKdf = Field(default_factory=CodeKdf)
    layout: dict[str, NonNegativeInt] = Field(
        default_factory=dict, description="compartments per size, e.g. {'S': 8, 'M': 6}"
    )


class DeviceToken(WireModel):
    """Returned once when a device token is issued; only its hash is stored."""

    locker_id: str
    token: str


class ParcelAnnounce(WireModel):
    """`POST /v1/parcels`. Give `pickup_deadline`, or `pickup_days` after now (default 7)."""

    locker_id: Identifier
    order_ref: Annotated[str, Field(min_length=1, max_length=128)]
    size: ParcelSize
    barcode: Annotated[str, Field(min_length=1, max_length=128)]
    recipient_hint: str | None = None
    accessible: StrictBool = Field(
        default=False, description="the recipient needs a compartment within seated reach")
    pickup_deadline: UtcDateTime | None = None
    pickup_days: Annotated[StrictInt, Field(ge=1, le=60)] = 7
    parcel_id: Identifier | None = None


class ParcelAnnounced(WireModel):
    """The only answer that ever holds the plain pickup code."""

    locker_id: str
    parcel: Parcel
    pickup_code: str
    qr_payload: str


class ParcelRecord(Parcel):
    """Operator view of a parcel."""

    locker_id: str
    created_at: UtcDateTime
    updated_at: UtcDateTime


class CourierUpsert(WireModel):
    """`PUT /v1/couriers/{courier_id}`.

    PIN and badge are hashed per locker (each locker has its own salt), so a PIN (or
    badge) is required whenever the courier joins a locker it was not on before.
    Giving `pin` or `badge` replaces both hashes on every listed locker; omitting both
    keeps the stored hashes of existing assignments.
    """

    name: str
    pin: Annotated[str, Field(pattern=r"^[0-9]{4,12}$")] | None = None
    badge: Annotated[str, Field(min_length=4, max_length=256)] | None = None
    active: StrictBool = True
    locker_ids: list[Identifier] = Field(default_factory=list)


class CourierRecord(WireModel):
    courier_id: str
    name: str
    active: StrictBool
    locker_ids: list[str]
    version: StrictInt


class CommandRequest(WireModel):
    """`POST /v1/lockers/{locker_id}/commands`."""

    type: CommandType
    compartment_id: str | None = None
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    ttl_s: Annotated[StrictInt, Field(ge=10, le=7 * 24 * 3600)] = 3600


class CommandStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    FAILED = "failed"
    EXPIRED = "expired"


class CommandRecord(Command):
    locker_id: str
    status: CommandStatus
    created_at: UtcDateTime
    delivered_at: UtcDateTime | None = None
    result_at: UtcDateTime | None = None
    result: dict[str, Any] | None = None


class CommandList(WireModel):
    commands: list[CommandRecord]


class EventRecord(Event):
    locker_id: str
    received_at: UtcDateTime


class EventLog(WireModel):
    events: list[EventRecord]
    next_cursor: str
    has_more: StrictBool


class Alarm(WireModel):
    code: str
    message: str
    compartment_id: str | None = None
    since: UtcDateTime | None = None


class FleetEntry(WireModel):
    locker_id: str
    name: str
    online: StrictBool
    last_heartbeat_at: UtcDateTime | None = None
    software_version: str | None = None
    outbox_depth: int | None = None
    last_event_seq: int | None = None
    board_ok: bool | None = None
    clock_skew_s: float | None = None
    layout: dict[str, int] = Field(default_factory=dict)
    alarms: list[Alarm] = Field(default_factory=list)


class Fleet(WireModel):
    lockers: list[FleetEntry]
