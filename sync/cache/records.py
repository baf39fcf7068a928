"""Plain values the cache hands out besides table rows: the locker profile, the layout
spec a config file produces, and the sync status diagnostics show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from contract.codes import KdfParams
from contract.vocabulary import OpeningOutcome


@dataclass(frozen=True)
class LockerProfile:
    """What `GET /v1/lockers/{id}` said last time, as kept in the cache."""

    locker_id: str
    name: str
    address: str
    timezone: str
    code_salt: str
    kdf: KdfParams
    layout_version: str | None
    updated_at: datetime | None


@dataclass(frozen=True)
class CompartmentSpec:
    """One compartment of the configured layout (the door label is the id)."""

    id: str
    board: int
    channel: int
    size: str
    column: int
    row: int


@dataclass(frozen=True)
class LayoutChange:
    added: tuple[str, ...]
    updated: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class SyncStatus:
    """The sync worker's health as diagnostics show it.

    `offline_since` is set from the first failed round of a streak and cleared by the next
    success; `outbox_depth` counts events not yet acknowledged (rejected ones excluded,
    they are in `rejected_events`).
    """

    last_success_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    offline_since: datetime | None
    clock_skew_s: float | None
    outbox_depth: int
    rejected_events: int
    last_event_seq: int
    last_heartbeat_at: datetime | None

    @property
    def online(self) -> bool:
        return self.last_success_at is not None and self.offline_since is None


@dataclass(frozen=True)
class InterruptedCommand:
    """A remote command the kiosk claimed and never finished (it was killed meanwhile),
    with the door opening it started, if it got that far, and that opening's outcome."""

    command_id: str
    intent_id: int | None
    outcome: OpeningOutcome | None
