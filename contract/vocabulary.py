"""The house's vocabulary: every state, kind and event type that is stored or sent.

One enum per concept for the whole house. The central service stores and answers with
these, the sync worker sends and receives them, the kiosk's cache stores them and the
flows decide with them, so a value means the same thing in every room and no room
translates another's names.

What a lock board can say is the driver's own (`locker_driver.states`: DoorState,
UnlockResult, OpenOutcome, Polarity): the driver imports nothing of ours. The one of
those that is also stored and sent, the door state, is mirrored here as `DoorState`
with the same values; `tests/test_vocabulary.py` checks that the two agree, so a
driver reading can be stored as `DoorState(reading.door)` and nothing is lost.

Values are the words of the central API (shared/design/central-api.md) and of the
cache's columns: lower case, stable, never renamed (add a member, never change one).
"""

from __future__ import annotations

from enum import StrEnum


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
    # A customer at the door reports a problem (docs/central-api.md).
    COMPARTMENT_REPORTED_NOT_OPEN = "compartment.reported_not_open"
    PARCEL_REPORTED_MISSING = "parcel.reported_missing"
    PARCEL_REPORTED_DAMAGED = "parcel.reported_damaged"
    CODE_DENIED = "code.denied"
    CODE_LOCKOUT = "code.lockout"
    SECURITY_ALARM = "security.alarm"  # someone is guessing secrets (docs/central-api.md)
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


class CommandStatus(StrEnum):
    """A remote command's life at the central service (what the operator sees)."""

    PENDING = "pending"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    FAILED = "failed"
    EXPIRED = "expired"


class LocalCommandStatus(StrEnum):
    """A remote command as the kiosk's cache holds it (the central side's life of the
    same command is `CommandStatus`; it reaches the kiosk when it is delivered)."""

    PENDING = "pending"
    RUNNING = "running"  # claimed by the kiosk; never handed out again
    DONE = "done"
    FAILED = "failed"


class CompartmentState(StrEnum):
    FREE = "free"
    RESERVED = "reserved"
    OCCUPIED = "occupied"
    OUT_OF_SERVICE = "out_of_service"
    FAULT = "fault"


class DoorState(StrEnum):
    """A door as stored and reported: mirrors `locker_driver.DoorState` value for value.
    A failed or missing read is UNKNOWN, never CLOSED."""

    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"


class AuditKind(StrEnum):
    """The kinds of the kiosk's audit journal (every door opening and staff action)."""

    DOOR_OPEN = "door_open"  # intent written before the unlock frame leaves
    DOOR_OUTCOME = "door_outcome"
    CODE_DENIED = "code_denied"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    PICKUP = "pickup"
    DEPOSIT = "deposit"
    COLLECTION = "collection"
    COMPARTMENT_STATE = "compartment_state"
    LAYOUT = "layout"
    COMMAND = "command"
    ALARM = "alarm"
    NOTE = "note"


class OpeningOutcome(StrEnum):
    """How a door opening ended, as recorded against its intent in the audit journal.

    The first three are what watching the door says (`locker_driver.OpenOutcome`, same
    values); NOT_SENT is an unlock frame that never left the port, UNCONFIRMED an opening
    the kiosk restarted in the middle of and found closed (nothing assumed)."""

    OPENED = "opened"
    ALREADY_OPEN = "already_open"
    JAMMED = "jammed"
    NOT_SENT = "not_sent"
    UNCONFIRMED = "unconfirmed"


class OpeningSettlement(StrEnum):
    """How the start-up recovery finished the story of an opening a killed run left
    unfinished (stored with the opening; also what its audit note says)."""

    UNCONFIRMED = "unconfirmed"  # door closed, outcome never seen: nothing assumed
    PICKED_UP = "picked_up"
    DEPOSITED = "deposited"
    CLOSED = "closed"  # only the close (and outcome) were missing
    COLLECT_INTERRUPTED = "collect_interrupted"
    REFUSED = "refused"  # the cache refused the parcel change: alarm for an operator
