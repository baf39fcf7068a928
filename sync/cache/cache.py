"""The kiosk's view of the local cache: look-ups, and changes that are recorded together
with their outbox event and audit row in one transaction.

`Cache` combines the parts, one module each: `lookups` (profile, code hashing, parcels,
couriers, status), `compartments` (fill order, states, layout), `recording` (door
openings, pickups, deposits, collections, events, audit), `commands`, `openings`
(what a restart asks about unfinished door openings) and `claims` (doors the central
service says are full and the kiosk has not confirmed).

Usage::

    cache = Cache.open("/var/lib/expresspoint/cache.db")   # migrates first
    code_hash = cache.hash_code(typed_code)                # ProfileMissing before 1st sync
    parcels = cache.parcels_for_code_hash(code_hash)        # every state, newest first
    intent = cache.record_open_intent("A07", [p.parcel_id], ActorKind.CUSTOMER, None, "pickup")
    ...send the unlock frame, confirm the door...
    cache.record_pickup([p.parcel_id], "A07", intent_id=intent)
    cache.close()

Every write runs in one `BEGIN IMMEDIATE` transaction: state change, outbox event(s) with
the next `seq`, and audit row(s) land together or not at all. Plain codes and PINs are
only ever passed to `hash_code` / `hash_secret`; nothing here stores or logs them.
Returned rows are detached copies: changing them changes nothing in the file.
"""

from __future__ import annotations

from pathlib import Path

from sync.cache.base import Clock
from sync.cache.claims import ClaimsMixin
from sync.cache.commands import CommandsMixin
from sync.cache.compartments import CompartmentsMixin
from sync.cache.engine import make_engines
from sync.cache.kiosk_state import KioskStateMixin
from sync.cache.lookups import LookupsMixin
from sync.cache.migrate import upgrade
from sync.cache.models import utcnow
from sync.cache.openings import OpeningsMixin
from sync.cache.recording import RecordingMixin


class Cache(LookupsMixin, CompartmentsMixin, RecordingMixin, CommandsMixin, KioskStateMixin,
            OpeningsMixin, ClaimsMixin):
    """The local SQLite cache, shared by the kiosk process and the sync worker."""

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        clock: Clock = utcnow,
        migrate: bool = True,
        backup_dir: Path | None = None,
    ) -> Cache:
        """Open (creating if needed) and migrate the cache file; an existing file is backed
        up first (next to it, or in `backup_dir`). Raises MigrationFailed."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        engines = make_engines(path)
        if migrate:
            try:
                upgrade(engines, path, backup_dir=backup_dir)
            except BaseException:
                engines.dispose()
                raise
        return cls(engines, path, clock)

