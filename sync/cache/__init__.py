"""The local SQLite cache: tables, migrations and the query API the kiosk calls.

Open it with `Cache.open(path)`; see `sync.cache.cache` for the API and docs/sync.md for
what the sync worker does with the same file.
"""

# The words the cache stores are the house's vocabulary (contract.vocabulary).
from contract.vocabulary import (
    ActorKind,
    AuditKind,
    CommandType,
    CompartmentState,
    DoorState,
    EventType,
    LocalCommandStatus,
    OpeningOutcome,
    OpeningSettlement,
    ParcelState,
)
from sync.cache.cache import Cache
from sync.cache.errors import (
    CacheError,
    InvalidTransition,
    LayoutConflict,
    NotFound,
    ProfileMissing,
)
from sync.cache.migrate import MigrationFailed
from sync.cache.models import (
    AuditEntry,
    Command,
    Compartment,
    Courier,
    DoorOpening,
    OutboxEvent,
    Parcel,
)
from sync.cache.records import (
    CompartmentSpec,
    InterruptedCommand,
    LayoutChange,
    LockerProfile,
    SyncStatus,
)

__all__ = [
    "ActorKind",
    "AuditEntry",
    "AuditKind",
    "Cache",
    "CacheError",
    "Command",
    "LocalCommandStatus",
    "CommandType",
    "Compartment",
    "CompartmentSpec",
    "CompartmentState",
    "Courier",
    "DoorOpening",
    "DoorState",
    "EventType",
    "InterruptedCommand",
    "InvalidTransition",
    "LayoutChange",
    "LayoutConflict",
    "LockerProfile",
    "MigrationFailed",
    "NotFound",
    "OpeningOutcome",
    "OpeningSettlement",
    "OutboxEvent",
    "Parcel",
    "ParcelState",
    "ProfileMissing",
    "SyncStatus",
]
