"""Checking a courier's badge or ID + PIN against the synced hashes (offline too), with
the kiosk's lockout and the login events the central service hears of."""

from __future__ import annotations

from dataclasses import dataclass

from contract.codes import hash_secret, verify_secret
from kiosk.flows.ports import (
    Actor,
    ActorKind,
    AuditKind,
    Courier,
    EventType,
    Store,
)
from kiosk.flows.ratelimit import RateLimiter


@dataclass(frozen=True)
class LoginOutcome:
    courier: Courier | None  # set when the courier may start a visit
    lockout_s: float | None = None  # set when this failure started a lockout


class CourierLogin:
    def __init__(self, store: Store, limiter: RateLimiter) -> None:
        self._store = store
        self.limiter = limiter

    def by_badge(self, payload: str) -> LoginOutcome:
        """Raises StoreNotReady before the first sync."""
        profile = self._store.profile()
        courier = self._store.courier_by_badge_hash(
            hash_secret(payload.strip(), profile.code_salt, profile.kdf))
        return self._outcome(courier, claimed_id=None, method="badge")

    def by_pin(self, courier_id: str, pin: str) -> LoginOutcome:
        """Raises StoreNotReady before the first sync."""
        profile = self._store.profile()
        courier_id = courier_id.strip()
        courier = self._store.courier_by_id(courier_id)
        # Hash even for an unknown id, so timing does not tell ids apart.
        expected = courier.pin_hash if courier and courier.pin_hash else "0" * 64
        ok = verify_secret(pin, expected, profile.code_salt, profile.kdf)
        return self._outcome(courier if ok else None, claimed_id=courier_id, method="pin")

    def _outcome(self, courier: Courier | None, *, claimed_id: str | None,
                 method: str) -> LoginOutcome:
        if courier is not None and courier.active:
            self.limiter.success()
            self._store.record_event(EventType.COURIER_LOGIN,
                                     actor=Actor(ActorKind.COURIER, courier.courier_id),
                                     data={"method": method})
            return LoginOutcome(courier)
        lockout = self.limiter.failure()
        who = Actor(ActorKind.COURIER, claimed_id)
        # Never the PIN or the badge payload: only how and why it failed.
        self._store.record_event(EventType.COURIER_LOGIN_FAILED, actor=who, data={
            "method": method, "why": "inactive" if courier is not None else "no match",
            "failures": self.limiter.failures})
        if lockout is not None:
            self._store.audit(AuditKind.ALARM, actor=who,
                              detail=f"courier login locked out for {lockout:.0f} s")
        return LoginOutcome(None, lockout)
