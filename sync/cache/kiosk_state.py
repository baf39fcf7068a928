"""Small records the kiosk keeps across restarts: its lockouts, the cap on remote
openings and its own running time (`kiosk.flows.ratelimit`), one JSON value per key."""

from __future__ import annotations

from sync.cache.base import CacheBase
from sync.cache.models import KioskState

MAX_STATE_CHARS = 256_000  # 256 per-id lockout buckets fit many times over


class KioskStateMixin(CacheBase):
    def load_state(self, key: str) -> str | None:
        with self.read() as s:
            row = s.get(KioskState, key)
            return None if row is None else row.value

    def save_state(self, key: str, value: str) -> None:
        if len(value) > MAX_STATE_CHARS:
            raise ValueError(f"kiosk state {key!r} is {len(value)} characters, over the "
                             f"{MAX_STATE_CHARS} a record may hold")
        with self.write() as s:
            row = s.get(KioskState, key) or KioskState(key=key)
            row.value = value
            row.updated_at = self._clock()
            s.add(row)
