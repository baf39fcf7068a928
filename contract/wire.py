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
- Everything is bounded: every integer fits the 64-bit (or 32-bit) column it is stored
  in, every string has a maximum length and holds neither NUL nor unpaired surrogates
  (neither survives a database or a UTF-8 encoder), and an event's `data` is at most
  MAX_EVENT_DATA_BYTES of compact JSON. A value past a bound is one validation error
  for the field that holds it, never a server error further in.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    model_validator,
)

from contract.codes import ID_PATTERN, KdfParams

# The states and event types the models carry are the house's vocabulary, defined once in
# contract.vocabulary and re-exported here for the code that reads them with the models.
from contract.vocabulary import ActorKind as ActorKind
from contract.vocabulary import CommandStatus as CommandStatus
from contract.vocabulary import CommandType as CommandType
from contract.vocabulary import CompartmentState as CompartmentState
from contract.vocabulary import DoorState as DoorState
from contract.vocabulary import EventType as EventType
from contract.vocabulary import ParcelSize as ParcelSize
from contract.vocabulary import ParcelState as ParcelState

MAX_EVENTS_PER_BATCH = 500
MAX_PAGE_LIMIT = 1000
# A full batch of events with the largest data still fits the service's body cap
# (MAX_BODY_BYTES): 500 x (1 KiB + ~350 bytes of envelope) is about 0.7 MB.
MAX_EVENT_DATA_BYTES = 1024
MAX_BODY_BYTES = 1024 * 1024
MAX_COMPARTMENTS = 512
INT64_MAX = 2**63 - 1
INT32_MAX = 2**31 - 1
MAX_KDF_MEMORY_BYTES = 64 * 1024 * 1024


def _to_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is outside the years 1 to 9999 once converted to UTC") from None


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (it holds an unpaired surrogate)") from None
    return value


def _distinct(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _walk_strings(value: Any) -> None:
    if isinstance(value, str):
        _clean_text(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _clean_text(key)
            _walk_strings(item)
    elif isinstance(value, list):
        for item in value:
            _walk_strings(item)


def _bounded_data(value: dict[str, Any]) -> dict[str, Any]:
    try:
        encoded = json.dumps(value, separators=(",", ":"), allow_nan=False)
    except (ValueError, TypeError, RecursionError):
        raise ValueError("must be plain JSON (no NaN or Infinity)") from None
    if len(encoded) > MAX_EVENT_DATA_BYTES:
        raise ValueError(
            f"is {len(encoded)} bytes as JSON; at most {MAX_EVENT_DATA_BYTES} are accepted: "
            "send short facts, not payloads"
        )
    _walk_strings(value)
    return value


def _canonical_uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError as exc:
        raise ValueError("must be a UUID such as 123e4567-e89b-12d3-a456-426614174000") from exc


UtcDateTime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
EventId = Annotated[str, AfterValidator(_canonical_uuid)]
# Integers as the database columns hold them: BIGINT for sequences, INTEGER for counts.
NonNegativeInt = Annotated[StrictInt, Field(ge=0, le=INT64_MAX)]
Count = Annotated[StrictInt, Field(ge=0, le=INT32_MAX)]
Version = Annotated[StrictInt, Field(ge=1, le=INT32_MAX)]
EMAIL_PATTERN = r"^[^@\s]{1,64}@[A-Za-z0-9.-]{1,188}\.[A-Za-z]{2,24}$"
PHONE_PATTERN = r"^\+[0-9]{7,15}$"  # E.164
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=ID_PATTERN)]
CompartmentId = Annotated[str, Field(min_length=1, max_length=32, pattern=ID_PATTERN)]
HexString = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[0-9a-f]+$")]
# Free text, by the size of what it names.
Label = Annotated[str, Field(max_length=64), AfterValidator(_clean_text)]
Name = Annotated[str, Field(max_length=200), AfterValidator(_clean_text)]
Prose = Annotated[str, Field(max_length=500), AfterValidator(_clean_text)]
EventData = Annotated[
    dict[str, Any],
    AfterValidator(_bounded_data),
    Field(description=f"at most {MAX_EVENT_DATA_BYTES} bytes as compact JSON"),
]


class WireModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, use_enum_values=False)


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
    # Ceilings keep one hash within memory either side can spend (128 * n * r bytes).
    n: Annotated[StrictInt, Field(ge=2, le=2**20)] = 16384
    r: Annotated[StrictInt, Field(ge=1, le=32)] = 8
    p: Annotated[StrictInt, Field(ge=1, le=16)] = 1
    dklen: Annotated[StrictInt, Field(ge=16, le=64)] = 32

    @model_validator(mode="after")
    def _affordable(self) -> CodeKdf:
        # Each hash holds 128 * n * r bytes: a profile must not make a code check a DoS.
        if 128 * self.n * self.r > MAX_KDF_MEMORY_BYTES:
            raise ValueError(
                f"scrypt n * r needs {128 * self.n * self.r} bytes per hash; "
                f"at most {MAX_KDF_MEMORY_BYTES} are allowed"
            )
        return self

    def to_params(self) -> KdfParams:
        """The parameters for `contract.codes.hash_code`; raises ValueError if unusable."""
        return KdfParams(name=self.name, n=self.n, r=self.r, p=self.p, dklen=self.dklen)

    @classmethod
    def from_params(cls, params: KdfParams) -> CodeKdf:
        return cls(name="scrypt", n=params.n, r=params.r, p=params.p, dklen=params.dklen)


class LockerProfile(WireModel):
    locker_id: Identifier
    name: Name
    address: Prose
    timezone: Label
    code_salt: HexString
    code_kdf: CodeKdf
    layout_version: Count


# --------------------------------------------------------------------------- parcels


class Parcel(WireModel):
    parcel_id: Identifier
    order_ref: Annotated[str, Field(max_length=128), AfterValidator(_clean_text)]
    state: ParcelState
    size: ParcelSize
    compartment_id: CompartmentId | None = None
    barcode: Annotated[str, Field(max_length=128), AfterValidator(_clean_text)]
    pickup_code_hash: HexString | None = None
    pickup_deadline: UtcDateTime
    recipient_hint: Name | None = None
    # The recipient needs a compartment a seated person can reach (a low door).
    accessible: StrictBool = False
    version: Version


class ParcelPage(WireModel):
    parcels: list[Parcel]
    next_cursor: str = Field(description="opaque; send it back as ?cursor= for the next page")
    has_more: StrictBool


# --------------------------------------------------------------------------- couriers


class Courier(WireModel):
    courier_id: Identifier
    name: Name
    pin_hash: HexString | None = None
    badge_hash: HexString | None = None
    active: StrictBool
    version: Version


class CourierPage(WireModel):
    couriers: list[Courier]
    next_cursor: str
    has_more: StrictBool


# --------------------------------------------------------------------------- events


class Actor(WireModel):
    kind: ActorKind
    id: Label | None = None


class Event(WireModel):
    """One thing that happened at the locker. `event_id` is the idempotency key.

    `command.completed` / `command.failed` carry `data.command_id`, so the central side
    can close the command.
    """

    event_id: EventId
    seq: NonNegativeInt
    type: EventType
    occurred_at: UtcDateTime
    parcel_id: Identifier | None = None
    compartment_id: CompartmentId | None = None
    actor: Actor
    data: EventData = Field(default_factory=dict)


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
    compartment_id: CompartmentId
    state: CompartmentState
    door: DoorState
    occupied: StrictBool | None = None


class Heartbeat(WireModel):
    sent_at: UtcDateTime
    software_version: Label
    outbox_depth: Count
    last_event_seq: NonNegativeInt
    compartments: list[CompartmentStatus] = Field(
        default_factory=list, max_length=MAX_COMPARTMENTS
    )
    board_ok: StrictBool


class Command(WireModel):
    command_id: Label
    type: CommandType
    compartment_id: CompartmentId | None = None
    reason: Prose
    expires_at: UtcDateTime


class HeartbeatReply(WireModel):
    server_time: UtcDateTime
    commands: list[Command]
    # The cursors a pull from the start would end at now. A locker whose own cursor is
    # equal has nothing to pull; absent (an older service), the locker pulls as before.
    parcels_cursor: Annotated[str, Field(max_length=200)] | None = None
    couriers_cursor: Annotated[str, Field(max_length=200)] | None = None


# --------------------------------------------------------------------------- operator side


class LockerCreate(WireModel):
    """`POST /v1/lockers`: register a locker; the salt is generated by the service."""

    locker_id: Identifier
    name: Name
    address: Prose = ""
    timezone: Label = "UTC"
    code_kdf: CodeKdf = Field(default_factory=CodeKdf)
    layout: dict[
        Annotated[str, Field(pattern=r"^(S|M|L|XL)$")],
        Annotated[StrictInt, Field(ge=0, le=MAX_COMPARTMENTS)],
    ] = Field(
        default_factory=dict, description="compartments per size, e.g. {'S': 8, 'M': 6}"
    )


class DeviceToken(WireModel):
    """Returned once when a device token is issued; only its hash is stored."""

    locker_id: str
    token: str


class ParcelAnnounce(WireModel):
    """`POST /v1/parcels`. Give `pickup_deadline`, or `pickup_days` after now (default 7)."""

    locker_id: Identifier
    order_ref: Annotated[str, Field(min_length=1, max_length=128), AfterValidator(_clean_text)]
    size: ParcelSize
    barcode: Annotated[str, Field(min_length=1, max_length=128), AfterValidator(_clean_text)]
    recipient_hint: Name | None = None
    accessible: StrictBool = Field(
        default=False, description="the recipient needs a compartment within seated reach")
    pickup_deadline: UtcDateTime | None = None
    pickup_days: Annotated[StrictInt, Field(ge=1, le=60)] = 7
    parcel_id: Identifier | None = None
    # Where the customer hears from the service (code and QR once the parcel is in the
    # locker, a reminder, the expiry notice); both optional.
    recipient_email: Annotated[str, Field(max_length=254, pattern=EMAIL_PATTERN)] | None = None
    recipient_phone: Annotated[str, Field(max_length=16, pattern=PHONE_PATTERN)] | None = None


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

    name: Name
    pin: Annotated[str, Field(pattern=r"^[0-9]{4,12}$")] | None = None
    badge: (
        Annotated[str, Field(min_length=4, max_length=256), AfterValidator(_clean_text)] | None
    ) = None
    active: StrictBool = True
    # Each listed locker costs a slow hash of the PIN and badge: keep a request bounded.
    locker_ids: Annotated[list[Identifier], AfterValidator(_distinct)] = Field(
        default_factory=list, max_length=100
    )


class CourierRecord(WireModel):
    courier_id: str
    name: str
    active: StrictBool
    locker_ids: list[str]
    version: StrictInt


class CommandRequest(WireModel):
    """`POST /v1/lockers/{locker_id}/commands`."""

    type: CommandType
    compartment_id: CompartmentId | None = None
    reason: Annotated[Prose, Field(min_length=1)]
    ttl_s: Annotated[StrictInt, Field(ge=10, le=7 * 24 * 3600)] = 3600


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
