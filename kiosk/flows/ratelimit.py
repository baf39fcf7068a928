"""Growing lockouts for wrong secrets (pickup codes, PINs), on an injected clock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.flows.clock import Clock


@dataclass(frozen=True)
class LockoutPolicy:
    free_attempts: int = 5  # failures allowed before the first lockout
    attempts_after_lockout: int = 2  # failures allowed between later lockouts
    base_s: float = 30.0
    factor: float = 2.0
    max_s: float = 900.0
    memory_s: float = 3600.0  # a quiet hour forgets everything

    def __post_init__(self) -> None:
        if self.free_attempts < 1 or self.attempts_after_lockout < 1:
            raise ValueError("at least one attempt must be allowed before a lockout")
        if self.base_s <= 0 or self.factor < 1 or self.max_s < self.base_s:
            raise ValueError("lockouts must be positive and must not shrink")


class RateLimiter:
    """Counts failures; past the allowance, locks out for base * factor**n seconds.

    A success clears the current run of failures but not the lockout level, so someone
    trying codes between real customers' pickups still meets growing lockouts.
    """

    def __init__(self, clock: Clock, policy: LockoutPolicy | None = None) -> None:
        self._clock = clock
        self.policy = policy or LockoutPolicy()
        self._failures = 0
        self._lockouts = 0
        self._locked_until = 0.0
        self._last_failure: float | None = None

    def _forget_if_quiet(self, now: float) -> None:
        if self._last_failure is not None and now - self._last_failure >= self.policy.memory_s:
            self._failures = 0
            self._lockouts = 0
            self._last_failure = None

    def remaining_s(self) -> float:
        """Seconds left in the current lockout, 0.0 when attempts are allowed."""
        return max(0.0, self._locked_until - self._clock.monotonic())

    @property
    def failures(self) -> int:
        return self._failures

    @property
    def lockouts(self) -> int:
        return self._lockouts

    def failure(self) -> float | None:
        """Count one failure; returns the lockout length if this failure starts one."""
        return self._failure_at(self._clock.monotonic())

    def replay(self, ages_s: Iterable[float]) -> None:
        """Count failures that happened `age` seconds ago (e.g. read back from the audit
        trail after a restart), so restarting the kiosk never resets a lockout."""
        now = self._clock.monotonic()
        for age in sorted((a for a in ages_s if 0 <= a < self.policy.memory_s), reverse=True):
            self._failure_at(now - age)

    def _failure_at(self, now: float) -> float | None:
        self._forget_if_quiet(now)
        self._failures += 1
        self._last_failure = now
        allowed = (self.policy.free_attempts if self._lockouts == 0
                   else self.policy.attempts_after_lockout)
        if self._failures < allowed:
            return None
        length = min(self.policy.max_s, self.policy.base_s * self.policy.factor ** self._lockouts)
        self._lockouts += 1
        self._failures = 0
        self._locked_until = now + length
        return length

    def success(self) -> None:
        self._failures = 0
