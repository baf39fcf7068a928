"""What the flows need from the lock bank and the local cache, as small protocols.

The flows are written against these names only. `kiosk.flows.adapters` maps the real
`locker_driver` bank and `sync.cache.Cache` onto them, so a renamed method on either side
is fixed in one place.

The words are the house's: what a board says (door, unlock, open outcome) is the
driver's own `locker_driver.states`, everything stored or sent (parcel, compartment,
actor, event and audit kinds) is `contract.vocabulary`. Both are re-exported here so a
flow imports its vocabulary from its ports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from contract.codes import KdfParams
from contract.vocabulary import ActorKind as ActorKind
from contract.vocabulary import AuditKind as AuditKind
from contract.vocabulary import CommandType as CommandType
from contract.vocabulary import CompartmentState as CompartmentState
from contract.vocabulary import EventType as EventType
from contract.vocabulary import OpeningOutcome as OpeningOutcome
from contract.vocabulary import OpeningSettlement as OpeningSettlement
from contract.vocabulary import ParcelState as ParcelState
from locker_driver.states import DoorState as DoorState
from locker_driver.states import OpenOutcome as OpenOutcome
from locker_driver.states import UnlockResult as UnlockResult


class StoreNotReady(RuntimeError):
    """The cache has no locker profile yet (before the first sync): codes and PINs
    cannot be checked. The kiosk shows out-of-service until the sync worker has run."""


class RecordRefused(RuntimeError):
    """The cache refused a change (the parcel is no longer in a state that allows it, or
    is gone): the message says which and why. The door already did what it did."""


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    id: str | None = None


class DoorReading(Protocol):
    """One compartment's sensors as last read (`locker_driver.CompartmentReading`): the
    door, and the occupancy (infrared) bit where the board has one."""

    @property
    def door(self) -> DoorState: ...

    @property
    def occupied(self) -> bool | None: ...


@dataclass(frozen=True)
class Compartment:
    compartment_id: str
    column: int
    row: int
    size: str
    state: CompartmentState
    accessible: bool = False  # within reach of a seated person


@dataclass(frozen=True)
class Parcel:
    parcel_id: str
    state: ParcelState
    size: str
    compartment_id: str | None
    pickup_deadline: datetime | None
    barcode: str | None = None
    accessible: bool = False  # recipient asked for a compartment within seated reach


@dataclass(frozen=True)
class Courier:
    courier_id: str
    name: str
    pin_hash: str | None
    badge_hash: str | None
    active: bool


@dataclass(frozen=True)
class RemoteCommand:
    command_id: str
    type: str  # a CommandType, or an unknown one the kiosk fails
    compartment_id: str | None
    reason: str
    expires_at: datetime | None


@dataclass(frozen=True)
class Opening:
    """A door opening as recorded: its intent, and how far its story got."""

    intent_id: int
    event_seq: int  # of its compartment.opened event
    compartment_id: str
    reason: str
    parcel_ids: tuple[str, ...]
    actor: Actor
    outcome: OpeningOutcome | None  # None: the sensor never spoke for it
    closed: bool  # compartment.closed was recorded for it


@dataclass(frozen=True)
class InterruptedCommand:
    """A remote command claimed by a run that died before finishing it."""

    command_id: str
    intent_id: int | None  # the door opening it started, if any
    outcome: OpeningOutcome | None  # that opening's outcome, if known


@dataclass(frozen=True)
class LockerProfile:
    locker_id: str
    name: str
    code_salt: str
    kdf: KdfParams = field(default_factory=KdfParams)


class Bank(Protocol):
    """`locker_driver.LockerBank`: unlock returns sent / not_sent / outcome_unknown."""

    def unlock(self, compartment_id: str) -> UnlockResult: ...

    def read_states(self) -> Mapping[str, DoorReading]: ...


class DoorConfirmer(Protocol):
    """Decides from successive door readings whether an unlock opened the door
    (`locker_driver.OpenConfirmer`); returns opened / already_open / jammed or None."""

    def update(self, door: DoorState, now: float) -> OpenOutcome | None: ...


class ConfirmerFactory(Protocol):
    def __call__(self, before: DoorState, started_at: float, timeout_s: float
                 ) -> DoorConfirmer:
        ...


class Store(Protocol):
    """The cache, as the flows use it. Every write is one transaction; the writes that
    the central service must hear of queue their outbox event in that same transaction
    (a jammed outcome raises `compartment.jammed`, leaving or returning to service raises
    `compartment.out_of_service`/`in_service`, finishing a command raises
    `command.completed`/`failed`). Denied codes, logins and alarms recorded through
    `record_event` get their audit row there too."""

    def profile(self) -> LockerProfile:
        """Raises StoreNotReady before the first sync."""
        ...

    def locker_name(self, locker_id: str) -> str | None:
        """Name of another locker of the fleet, if this kiosk knows it."""
        ...

    def compartments(self) -> Sequence[Compartment]:
        """Every compartment, in fill order (column, row)."""
        ...

    def parcels_for_code_hash(self, code_hash: str) -> Sequence[Parcel]: ...

    def parcel_by_barcode(self, barcode: str) -> Parcel | None: ...

    def parcels_to_collect(self) -> Sequence[Parcel]:
        """Parcels a courier must take away (expired, cancelled) still in a compartment."""
        ...

    def free_compartments(self, size: str) -> Sequence[Compartment]:
        """Free compartments of one size, in fill order."""
        ...

    def expected_parcel_count(self) -> int:
        """Parcels announced for this locker and not deposited yet."""
        ...

    def parcels_in_compartment(self, compartment_id: str) -> Sequence[Parcel]:
        """Parcels physically inside (stored, expired or cancelled there)."""
        ...

    def parcel(self, parcel_id: str) -> Parcel | None: ...

    def record_open_intent(
        self, compartment_id: str, *, actor: Actor, reason: str,
        parcel_ids: Sequence[str] = (), command_id: str | None = None,
    ) -> int:
        """Audit + `compartment.opened` before the unlock frame leaves; returns its id.
        `command_id`: the remote command the opening runs, if any."""
        ...

    def record_open_outcome(self, intent_id: int, outcome: OpeningOutcome, detail: str = ""
                            ) -> None:
        """opened / already_open / jammed / not_sent / unconfirmed, for the intent."""
        ...

    def record_pickup(
        self, parcel_ids: Sequence[str], compartment_id: str, *, actor: Actor, intent_id: int
    ) -> None:
        """Raises RecordRefused when a parcel cannot become picked_up (also for the two
        calls below)."""
        ...

    def record_deposit(
        self, parcel_id: str, compartment_id: str, *, actor: Actor, intent_id: int
    ) -> None: ...

    def record_collection(
        self, parcel_ids: Sequence[str], compartment_id: str, *, actor: Actor,
        intent_id: int | None,
    ) -> None: ...

    def set_compartment_state(
        self, compartment_id: str, state: CompartmentState, *, actor: Actor, reason: str
    ) -> None:
        """`out_of_service`, `fault`, `reserved` as asked; `free` or `occupied` returns
        the door to service and its parcels decide which (one rule, in the cache)."""
        ...

    def unverified_doors(self) -> Mapping[str, int]:
        """Doors the central service says are full and nobody has confirmed (door ->
        number of parcels claimed): they open for the technician only."""
        ...

    def verify_door(self, compartment_id: str, *, actor: Actor, how: str) -> Sequence[str]:
        """A sensor or the technician confirms the claimed contents; returns the parcels
        now stored there."""
        ...

    def refute_door(self, compartment_id: str, *, actor: Actor, how: str) -> int:
        """The door is empty: its claims are false (an alarm each)."""
        ...

    def set_door_state(self, compartment_id: str, door: DoorState, occupied: bool | None
                       ) -> None:
        """Last polled door and occupancy (what the heartbeat reports)."""
        ...

    def record_event(
        self,
        event_type: EventType,
        *,
        actor: Actor,
        parcel_id: str | None = None,
        compartment_id: str | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None: ...

    def audit(
        self,
        kind: AuditKind,
        *,
        actor: Actor,
        compartment_id: str | None = None,
        parcel_id: str | None = None,
        detail: str = "",
    ) -> None:
        """An audit row on its own (cache AuditKind values: note, alarm, login...)."""
        ...

    def courier_by_id(self, courier_id: str) -> Courier | None: ...

    def courier_by_badge_hash(self, badge_hash: str) -> Courier | None: ...

    def pending_commands(self) -> Sequence[RemoteCommand]:
        """Unclaimed, unexpired remote commands, oldest first."""
        ...

    def claim_command(self, command_id: str) -> RemoteCommand | None:
        """Mark a command running before it runs (at most once); None if it was already
        claimed, finished or has expired (then it is failed by the cache)."""
        ...

    def finish_command(self, command_id: str, *, ok: bool, detail: str) -> None:
        """Record the result; the cache queues `command.completed` / `command.failed`."""
        ...

    # -- after a restart (kiosk.flows.recovery) -------------------------------------

    def unsettled_openings(self, limit: int) -> Sequence[Opening]:
        """Of the newest `limit` openings, the last of each door not settled yet, oldest
        first."""
        ...

    def interrupted_commands(self) -> Sequence[InterruptedCommand]: ...

    def deposit_moved_on(self, parcel_id: str, after_seq: int) -> bool:
        """The deposit was cancelled or another door opened for the parcel after the event
        `after_seq`."""
        ...

    def forced_open_raised(self, compartment_id: str) -> bool:
        """The last word about this door is a `compartment.forced_open` alarm."""
        ...

    def settle_opening(self, intent_id: int, settlement: OpeningSettlement) -> None:
        """How an unfinished opening was finished (with its audit note)."""
        ...

    def sync_status(self) -> Any:
        """The sync worker's health (`sync.cache.SyncStatus`), for diagnostics."""
        ...

    def audit_trail(self) -> Sequence[Mapping[str, Any]]:
        """Every audit row, oldest first, as plain values (for export)."""
        ...

    def load_state(self, key: str) -> str | None:
        """A record the kiosk keeps across restarts (lockouts, kiosk time), or None."""
        ...

    def save_state(self, key: str, value: str) -> None: ...


class BankDiagnostics(Protocol):
    """What the technician screens read from the lock bank besides doors."""

    def scan(self, boards: Iterable[int] | None = None, *, timeout_s: float = 0.3
             ) -> Sequence[Any]: ...

    def stats(self) -> Mapping[int, Any]: ...

    def frame_log(self) -> Sequence[Any]: ...

    def port_status(self) -> Any: ...


if TYPE_CHECKING:  # the real parts must fit these ports; mypy checks it here
    from locker_driver import LockerBank, OpenConfirmer

    def _bank_fits(bank: LockerBank) -> tuple[Bank, BankDiagnostics]:
        return bank, bank

    def _confirmer_fits() -> ConfirmerFactory:
        return OpenConfirmer
