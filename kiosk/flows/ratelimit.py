"""The kiosk's one lockout policy for every secret it checks (pickup codes, courier
badges and PINs, technician PINs) and the hourly cap on remote openings.

Time here is a `TimeRatchet`: seconds that pass only while the kiosk runs, read from
the system's monotonic clock and saved in the cache, so neither a wall clock set back or
forward nor a restart nor a reboot can shorten a lockout or open a fresh hour of remote
openings. A reboot counts as no time at all: a lockout resumes with what was left of it.

    limits = Limits.open(store, clock, boot_id)   # state saved by the last run
    lock = limits.lockout("courier", LockoutPolicy.of(settings), keyed=True)
    if lock.remaining_s(claimed_id) > 0: ...       # refuse without checking
    verdict = lock.failure(claimed_id)             # saved before anyone sees the result
    lock.success(courier_id)                       # clears that id's run only
"""

from __future__ import annotations

import json
import logging
from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from contract.codes import is_identifier
from kiosk.flows.clock import Clock

log = logging.getLogger(__name__)

_RATCHET_KEY = "time_ratchet"
_MAX_IDS = 256  # per-id buckets kept; the kiosk-wide bucket still counts the rest
_ODD_ID = "?"  # every claimed id that cannot be an id shares one bucket


class LimitState(Protocol):
    """Where limits keep their state between runs (the cache's `kiosk_state`)."""

    def load_state(self, key: str) -> str | None: ...

    def save_state(self, key: str, value: str) -> None: ...


class LockoutSettings(Protocol):
    """The keys every flow's settings (and the kiosk config section) carry."""

    @property
    def free_attempts(self) -> int: ...

    @property
    def lockout_base_s(self) -> float: ...

    @property
    def lockout_factor(self) -> float: ...

    @property
    def lockout_max_s(self) -> float: ...

    @property
    def failure_memory_s(self) -> float: ...


@dataclass(frozen=True)
class LockoutPolicy:
    free_attempts: int = 5  # failures allowed before the first lockout
    attempts_after_lockout: int = 2  # failures allowed between later lockouts
    base_s: float = 30.0
    factor: float = 2.0
    max_s: float = 900.0
    memory_s: float = 3600.0  # this long without a failure forgets everything
    # Keyed limiters (staff logins) also count every failure kiosk-wide, with this many
    # times the per-id allowance: one person's typos never lock out a colleague, and an
    # attacker rotating claimed ids gains at most this factor.
    kiosk_wide_factor: int = 2
    # Denied attempts (kiosk-wide, since the last forgetting) that raise one
    # `security.alarm` for the central service; None: at the first lockout.
    alarm_after: int | None = None

    def __post_init__(self) -> None:
        if self.free_attempts < 1 or self.attempts_after_lockout < 1:
            raise ValueError("at least one attempt must be allowed before a lockout")
        if self.base_s <= 0 or self.factor < 1 or self.max_s < self.base_s:
            raise ValueError("lockouts must be positive and must not shrink")
        if self.memory_s < self.max_s:
            # Otherwise waiting out the longest lockout would also forget the level.
            raise ValueError("failures must be remembered at least as long as the longest "
                             "lockout")
        if self.kiosk_wide_factor < 1 or (self.alarm_after is not None and
                                          self.alarm_after < 1):
            raise ValueError("the kiosk-wide factor and the alarm threshold must be >= 1")

    @classmethod
    def of(cls, settings: LockoutSettings, **extra: Any) -> LockoutPolicy:
        """The policy a flow's settings describe (the config's key names)."""
        return cls(free_attempts=settings.free_attempts, base_s=settings.lockout_base_s,
                   factor=settings.lockout_factor, max_s=settings.lockout_max_s,
                   memory_s=settings.failure_memory_s, **extra)

    def kiosk_wide(self) -> LockoutPolicy:
        k = self.kiosk_wide_factor
        return replace(self, free_attempts=self.free_attempts * k,
                       attempts_after_lockout=self.attempts_after_lockout * k)

    def length_s(self, level: int) -> float:
        """The lockout that starts at `level` (0 = the first)."""
        return min(self.max_s, self.base_s * self.factor ** min(level, 64))


@dataclass(frozen=True)
class Verdict:
    """What one failure did: the lockout it started (seconds) and whether it raised the
    alarm for the central service."""

    lockout_s: float | None = None
    alarm: bool = False
    denied: int = 0  # kiosk-wide denied attempts since the last forgetting


@dataclass
class _Bucket:
    failures: int = 0  # in the current run (since the last lockout or success)
    lockouts: int = 0  # lockout level
    denied: int = 0  # since the bucket was last forgotten; successes do not clear it
    alarmed: bool = False
    locked_until: float = 0.0
    last_failure: float | None = None

    @classmethod
    def saved(cls, raw: Any) -> _Bucket:
        """From a saved record; TypeError or ValueError when it is not one."""
        last = raw["last_failure"]
        return cls(failures=int(raw["failures"]), lockouts=int(raw["lockouts"]),
                   denied=int(raw["denied"]), alarmed=bool(raw["alarmed"]),
                   locked_until=float(raw["locked_until"]),
                   last_failure=None if last is None else float(last))

    def forget_if_quiet(self, now: float, policy: LockoutPolicy) -> None:
        if self.last_failure is not None and now - self.last_failure >= policy.memory_s:
            self.failures = self.lockouts = self.denied = 0
            self.alarmed = False
            self.last_failure = None

    def allowed(self, policy: LockoutPolicy) -> int:
        return policy.free_attempts if self.lockouts == 0 else policy.attempts_after_lockout

    def fail(self, now: float, policy: LockoutPolicy) -> float | None:
        self.forget_if_quiet(now, policy)
        self.failures += 1
        self.denied += 1
        self.last_failure = now
        if self.failures < self.allowed(policy):
            return None
        length = policy.length_s(self.lockouts)
        self.lockouts += 1
        self.failures = 0
        self.locked_until = max(self.locked_until, now + length)
        return length

    def live(self, now: float) -> bool:
        return self.last_failure is not None or self.locked_until > now


class TimeRatchet:
    """Kiosk time: seconds that only ever go forward and only while the kiosk runs.

    Within one boot it follows the system's monotonic clock (shared by every process,
    unaffected by setting the date), so a kiosk process restarted by systemd loses no
    time; after a reboot it resumes from the last saved reading, so the downtime counts
    as nothing (a lockout is never shortened, at worst lengthened by the time between
    the last save and the power cut)."""

    def __init__(self, clock: Clock, boot_id: str, state: LimitState | None = None) -> None:
        self._clock = clock
        self._state = state
        self._boot = boot_id
        mono = clock.monotonic()
        saved = _load(state, _RATCHET_KEY) or {}
        same_boot = False
        try:
            base = max(0.0, float(saved.get("t", 0.0)))
            if saved.get("boot") == boot_id and mono >= float(saved.get("mono", mono)):
                base += mono - float(saved["mono"])
                same_boot = True
        except (TypeError, ValueError):
            base = 0.0  # only differences matter; the lockouts' own records say more
        self._base, self._mono0 = base, mono
        if not same_boot:
            # Rebased on this boot's monotonic clock: saved at once, so a process
            # restarted later in this boot counts the time in between.
            self.save()

    def now(self) -> float:
        return self._base + max(0.0, self._clock.monotonic() - self._mono0)

    def save(self) -> None:
        if self._state is not None:
            self._state.save_state(_RATCHET_KEY, json.dumps(
                {"t": self.now(), "mono": self._clock.monotonic(), "boot": self._boot}))


def _load(state: LimitState | None, key: str) -> dict[str, Any] | None:
    """The saved record: {} when there is none, None when it cannot be read."""
    if state is None:
        return {}
    raw = state.load_state(key)
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        log.error("saved state %r is unreadable", key)
        return None
    return value


class Lockout:
    """Growing lockouts for wrong secrets, counted kiosk-wide and, when `keyed`, per
    claimed id too.

    A success clears the current run of failures of its own id only (kiosk-wide counts
    and lockout levels stay), so someone trying a colleague's PIN between their own
    logins, or codes between real customers' pickups, still meets growing lockouts.
    Every change is saved before the caller acts on it.
    """

    def __init__(self, name: str, policy: LockoutPolicy, ratchet: TimeRatchet,
                 state: LimitState | None = None, *, keyed: bool = False) -> None:
        self.name = name
        self.policy = policy
        self.keyed = keyed
        self._wide_policy = policy.kiosk_wide() if keyed else policy
        self._time = ratchet
        self._state = state
        self._wide = _Bucket()
        self._ids: dict[str, _Bucket] = {}
        self._restore(_load(state, self._key))

    @property
    def _key(self) -> str:
        return f"lockout:{self.name}"

    # -- reading ---------------------------------------------------------------------

    def _id(self, claimed_id: str | None) -> str | None:
        if not self.keyed or claimed_id is None:
            return None
        return claimed_id if is_identifier(claimed_id) else _ODD_ID

    def _buckets(self, claimed_id: str | None) -> list[tuple[_Bucket, LockoutPolicy]]:
        found = [(self._wide, self._wide_policy)]
        key = self._id(claimed_id)
        if key is not None and key in self._ids:
            found.append((self._ids[key], self.policy))
        return found

    def remaining_s(self, claimed_id: str | None = None) -> float:
        """Seconds left of the longest lockout that applies, 0.0 when an attempt is
        allowed. Without an id: the kiosk-wide lockout only."""
        now = self._time.now()
        return max(0.0, *(b.locked_until - now for b, _ in self._buckets(claimed_id)))

    def attempts_left(self, claimed_id: str | None = None) -> int:
        """Failures still allowed before the next lockout (the strictest bucket)."""
        now = self._time.now()
        left = []
        for bucket, policy in self._buckets(claimed_id):
            probe = _Bucket(**asdict(bucket))
            probe.forget_if_quiet(now, policy)
            left.append(max(0, probe.allowed(policy) - probe.failures))
        if self._id(claimed_id) is not None and self._id(claimed_id) not in self._ids:
            left.append(self.policy.free_attempts)
        return min(left)

    @property
    def lockouts(self) -> int:
        return self._wide.lockouts

    @property
    def denied(self) -> int:
        return self._wide.denied

    @property
    def live(self) -> bool:
        """Something here still depends on the passing of time."""
        now = self._time.now()
        return self._wide.live(now) or any(b.live(now) for b in self._ids.values())

    # -- counting --------------------------------------------------------------------

    def failure(self, claimed_id: str | None = None) -> Verdict:
        now = self._time.now()
        lengths = [self._wide.fail(now, self._wide_policy)]
        key = self._id(claimed_id)
        if key is not None:
            bucket = self._ids.pop(key, None) or _Bucket()
            self._ids[key] = bucket  # most recent last: the oldest go first
            lengths.append(bucket.fail(now, self.policy))
            self._prune(now)
        started = [x for x in lengths if x is not None]
        threshold = self.policy.alarm_after
        alarm = not self._wide.alarmed and (
            bool(started) if threshold is None else self._wide.denied >= threshold)
        if alarm:
            self._wide.alarmed = True
        self._save()
        return Verdict(max(started) if started else None, alarm, self._wide.denied)

    def success(self, claimed_id: str | None = None) -> None:
        key = self._id(claimed_id)
        if key is None:
            if not self.keyed:
                self._wide.failures = 0
        elif key in self._ids:
            self._ids[key].failures = 0
        else:
            return
        self._save()

    def _prune(self, now: float) -> None:
        for key in [k for k, b in self._ids.items() if not b.live(now) or (
                b.last_failure is not None and now - b.last_failure >= self.policy.memory_s
                and b.locked_until <= now)]:
            del self._ids[key]
        while len(self._ids) > _MAX_IDS:
            del self._ids[next(iter(self._ids))]

    # -- persistence -----------------------------------------------------------------

    def _save(self) -> None:
        if self._state is None:
            return
        self._state.save_state(self._key, json.dumps({
            "wide": asdict(self._wide),
            "ids": {k: asdict(b) for k, b in self._ids.items()},
        }))
        self._time.save()

    def _restore(self, saved: dict[str, Any] | None) -> None:
        try:
            if saved is None:
                raise ValueError("unreadable")
            if "wide" in saved:
                self._wide = _Bucket.saved(saved["wide"])
            for key, raw in dict(saved.get("ids", {})).items():
                if key == _ODD_ID or is_identifier(key):
                    self._ids[key] = _Bucket.saved(raw)
        except (KeyError, TypeError, ValueError):
            # Never start unlimited from a damaged record: start locked for the longest.
            log.error("saved lockout %r is unreadable; locking for %.0f s", self.name,
                      self.policy.max_s)
            now = self._time.now()
            self._wide = _Bucket(lockouts=1, last_failure=now,
                                 locked_until=now + self.policy.max_s)
            self._ids = {}


class HourlyCap:
    """At most `limit` events in any `window_s` of kiosk time (remote openings)."""

    def __init__(self, name: str, limit: int, ratchet: TimeRatchet,
                 state: LimitState | None = None, *, window_s: float = 3600.0) -> None:
        self.name, self.limit, self.window_s = name, limit, window_s
        self._time = ratchet
        self._state = state
        self._times: deque[float] = deque()
        saved = _load(state, self._key)
        now = ratchet.now()
        try:
            if saved is None:
                raise ValueError("unreadable")
            kept = sorted(float(t) for t in saved.get("times", []))
        except (TypeError, ValueError):
            log.error("saved cap %r is unreadable; treating it as full", name)
            kept = [now] * limit
        # A saved time "in the future" can only come from a damaged record; it counts
        # as now, never as free.
        self._times.extend(min(t, now) for t in kept if now - min(t, now) < window_s)

    @property
    def _key(self) -> str:
        return f"cap:{self.name}"

    def _drop_old(self, now: float) -> None:
        while self._times and now - self._times[0] >= self.window_s:
            self._times.popleft()

    def used(self) -> int:
        self._drop_old(self._time.now())
        return len(self._times)

    def take(self) -> bool:
        """Count one event if the cap allows it (saved first); False when full."""
        now = self._time.now()
        self._drop_old(now)
        if len(self._times) >= self.limit:
            return False
        self._times.append(now)
        if self._state is not None:
            self._state.save_state(self._key, json.dumps({"times": list(self._times)}))
            self._time.save()
        return True

    def restore(self, ages_s: Iterable[float]) -> None:
        """Events that happened `age` seconds of kiosk time ago (tests, migration)."""
        now = self._time.now()
        for age in sorted((a for a in ages_s if 0 <= a < self.window_s), reverse=True):
            self._times.append(now - age)

    @property
    def live(self) -> bool:
        return self.used() > 0


class Limits:
    """Every limit of one kiosk, made once and shared by the visits' flows."""

    def __init__(self, ratchet: TimeRatchet, state: LimitState | None = None) -> None:
        self.ratchet = ratchet
        self.state = state
        self._made: list[Lockout | HourlyCap] = []

    @classmethod
    def open(cls, state: LimitState | None, clock: Clock, boot_id: str | None = None
             ) -> Limits:
        return cls(TimeRatchet(clock, boot_id or read_boot_id(), state), state)

    @classmethod
    def in_memory(cls, clock: Clock) -> Limits:
        """Limits that keep nothing across restarts (a flow made on its own in tests)."""
        return cls(TimeRatchet(clock, "memory"))

    def lockout(self, name: str, policy: LockoutPolicy, *, keyed: bool = False) -> Lockout:
        made = Lockout(name, policy, self.ratchet, self.state, keyed=keyed)
        self._made.append(made)
        return made

    def cap(self, name: str, limit: int, *, window_s: float = 3600.0) -> HourlyCap:
        made = HourlyCap(name, limit, self.ratchet, self.state, window_s=window_s)
        self._made.append(made)
        return made

    def checkpoint(self) -> None:
        """Save kiosk time while a limit depends on it (the runner calls this every few
        seconds), so a reboot loses little of a running lockout."""
        if any(x.live for x in self._made):
            self.ratchet.save()


class LockoutKind(StrEnum):
    pickup = "pickup"  # pickup codes and QR secrets, kiosk-wide (customers have no id)
    courier = "courier"  # badges (kiosk-wide) and PINs (per courier id and kiosk-wide)
    technician = "technician"  # PINs, per technician id and kiosk-wide


def lockout_for(kind: LockoutKind, settings: LockoutSettings, limits: Limits) -> Lockout:
    """The kiosk's lockout for one kind of secret: the only place a lockout is set up.

    Customers: the configured allowance; `alarm_after_denied` wrong codes raise the
    alarm. Staff: per claimed id and kiosk-wide, the alarm at the first lockout.
    Technicians open every door: one attempt between lockouts, so the budget settles at
    about one guess a day per id (docs/security.md has the figures)."""
    if kind is LockoutKind.pickup:
        alarm = getattr(settings, "alarm_after_denied", None)
        return limits.lockout(kind, LockoutPolicy.of(settings, alarm_after=alarm))
    after = 1 if kind is LockoutKind.technician else 2
    return limits.lockout(kind, LockoutPolicy.of(settings, attempts_after_lockout=after),
                          keyed=True)


def read_boot_id(path: Path = Path("/proc/sys/kernel/random/boot_id")) -> str:
    """This boot's id (Linux); elsewhere every start counts as a new boot."""
    try:
        return path.read_text(encoding="ascii").strip()[:64]
    except OSError:
        return "unknown"


def attack_budget(policy: LockoutPolicy, window_s: float, *, rotate_ids: bool = False,
                  levels: int = 40) -> tuple[int, int | None]:
    """The most failures this policy lets through in any `window_s`, and the strategy
    that gets them: after how many lockouts the attacker waits out the memory (None:
    never, fail whenever allowed).

    Strategies tried: fail whenever allowed; and, for every k, fail until the k-th
    lockout starts, then wait until everything is forgotten and start again (waiting any
    shorter buys nothing, any longer loses time). Played on the real `Lockout`, moving a
    clock by hand. Restarts and clock changes buy nothing (tests/flows/
    test_lockout_time.py), so they are not strategies. With `rotate_ids` every failure
    claims a new id, so only the kiosk-wide count binds; without, one id is targeted."""
    from kiosk.flows.clock import ManualClock

    best: tuple[int, int | None] = (0, None)
    for k in [*range(1, levels + 1), None]:
        clock = ManualClock()
        lock = Limits.in_memory(clock).lockout("budget", policy, keyed=rotate_ids)
        start, times = clock.monotonic(), list[float]()
        horizon = window_s * 3 + policy.memory_s * 2
        while clock.monotonic() - start < horizon:
            claimed = f"id{len(times)}" if rotate_ids else None
            clock.advance(lock.remaining_s(claimed))
            times.append(clock.monotonic())
            lock.failure(claimed)
            if k is not None and lock.lockouts >= k:
                clock.advance(policy.memory_s)
        most, j = 0, 0
        for i, t in enumerate(times):
            while t - times[j] >= window_s:
                j += 1
            most = max(most, i - j + 1)
        if most > best[0]:
            best = (most, k)
    return best
