"""Checking a courier's badge or ID + PIN against the synced hashes (offline too), with
the kiosk's lockout and the login events the central service hears of."""

from __future__ import annotations

from dataclasses import dataclass

from contract.codes import excerpt, hash_secret, is_identifier, is_pin, verify_secret
from kiosk.flows.ports import Actor, ActorKind, AuditKind, Courier, EventType, Store
from kiosk.flows.ratelimit import Lockout

# Hashed in place of a missing PIN hash, so an unknown id costs the same time as a known.
_NO_HASH = "0" * 64


@dataclass(frozen=True)
class LoginOutcome:
    courier: Courier | None  # set when the courier may start a visit
    lockout_s: float | None = None  # set when this failure started a lockout


class CourierLogin:
    """Failures count against the claimed id and kiosk-wide; a success clears only its
    own id's run, so a courier's own badge buys no attempts at a colleague's PIN."""

    def __init__(self, store: Store, limiter: Lockout) -> None:
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
        courier = self._store.courier_by_id(courier_id) if is_identifier(courier_id) else None
        # A PIN is 4 to 12 digits here as on the central side: whatever hash the central
        # service sent, "1" or "x" never logs anyone in.
        expected = courier.pin_hash if courier and courier.pin_hash else _NO_HASH
        ok = verify_secret(pin, expected, profile.code_salt, profile.kdf) and is_pin(pin)
        return self._outcome(courier if ok else None, claimed_id=courier_id, method="pin")

    def _outcome(self, courier: Courier | None, *, claimed_id: str | None,
                 method: str) -> LoginOutcome:
        if courier is not None and courier.active:
            self.limiter.success(courier.courier_id)
            self._store.record_event(EventType.COURIER_LOGIN,
                                     actor=Actor(ActorKind.COURIER, courier.courier_id),
                                     data={"method": method})
            return LoginOutcome(courier)
        verdict = self.limiter.failure(claimed_id)
        # A claimed id is typed by anyone: only one that can be an id goes into events.
        shown = None if claimed_id is None else (
            claimed_id if is_identifier(claimed_id) else excerpt(claimed_id, 16))
        who = Actor(ActorKind.COURIER, shown)
        # Never the PIN or the badge payload: only how and why it failed.
        self._store.record_event(EventType.COURIER_LOGIN_FAILED, actor=who, data={
            "method": method, "why": "inactive" if courier is not None else "no match",
            "denied": verdict.denied})
        if verdict.lockout_s is not None:
            self._store.audit(AuditKind.ALARM, actor=who,
                              detail=f"courier login locked out for {verdict.lockout_s:.0f} s")
        if verdict.alarm:
            self._store.record_event(EventType.SECURITY_ALARM, actor=who, data={
                "subject": "courier_login", "denied": verdict.denied,
                "lockouts": self.limiter.lockouts,
                "window_s": int(self.limiter.policy.memory_s)})
        return LoginOutcome(None, verdict.lockout_s)
