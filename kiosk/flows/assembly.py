"""The kiosk's flows put together: one call for the app wiring.

    flows = KioskFlows(cache, bank, on_view=window.bridge.deliver,
                       settings=FlowSettings(pickup=PickupSettings(support_contact=...)),
                       accessible=[c.id for c in config.compartments() if c.accessible])
    flows.start()
    actions = RunnerActions(flows.runner, flows.pickup)
    flows.courier_mode()          # the courier entrance; back to pickup on logout
    flows.stop()

Unlocks from every flow go through the door watch (forced-open alarms, door states in
the cache for the heartbeat); remote commands run on the runner's worker and wait for a
customer's door; the offline badge follows the cache's sync status.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from contract.vocabulary import ActorKind, AuditKind
from kiosk.flows.cache_store import CacheStore
from kiosk.flows.clock import Clock, SystemClock
from kiosk.flows.courier_view import CourierSettings
from kiosk.flows.modes import FlowModes
from kiosk.flows.pickup import PickupFlow
from kiosk.flows.pickup_view import PickupSettings
from kiosk.flows.recovery import StartupRecovery
from kiosk.flows.remote import RemoteExecutor, RemoteSettings
from kiosk.flows.runner import FlowRunner
from kiosk.flows.technician_view import TechnicianSettings
from kiosk.flows.watch import DoorWatch
from locker_driver import LockerBank, OpenConfirmer
from sync.cache import Cache


@dataclass(frozen=True)
class FlowSettings:
    pickup: PickupSettings = field(default_factory=PickupSettings)
    courier: CourierSettings = field(default_factory=CourierSettings)
    technician: TechnicianSettings = field(default_factory=TechnicianSettings)
    remote: RemoteSettings = field(default_factory=RemoteSettings)
    tick_s: float = 0.1  # flow ticks (timeouts, countdowns)
    remote_every_s: float = 2.0  # how often stored remote commands are looked at
    offline_every_s: float = 5.0  # how often the sync status is read for the badge


class KioskFlows:
    def __init__(
        self,
        cache: Cache,
        bank: LockerBank,
        on_view: Callable[[Any], None],
        settings: FlowSettings | None = None,
        *,
        accessible: Iterable[str] = (),
        other_lockers: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        request_sync: Callable[[], None] | None = None,
    ) -> None:
        self.settings = s = settings or FlowSettings()
        clock = clock or SystemClock()
        self.store = CacheStore(cache, accessible=accessible, other_lockers=other_lockers)
        self.watch = DoorWatch(self.store, clock)
        # Openings a killed run left unfinished, settled on the first polls that know
        # each door (docs/crash-safety.md).
        self.recovery = StartupRecovery(cache, self.store, clock,
                                        left_open_alarm_s=s.pickup.left_open_alarm_s)
        guarded = self.watch.guard(bank)
        self.pickup = PickupFlow(self.store, guarded, clock, OpenConfirmer, s.pickup)
        self.modes = FlowModes(self.store, guarded, bank, clock, OpenConfirmer,
                               s.courier, s.technician, request_sync)
        self.remote = RemoteExecutor(self.store, guarded, clock, OpenConfirmer, s.remote,
                                     customer_busy=lambda: self.pickup.busy_with_door)
        self._restore_limits(cache, clock)
        self.runner = FlowRunner(
            self.pickup, bank, on_view, tick_s=s.tick_s,
            observers=[self.watch.on_door_states, self.recovery.on_door_states], home=self.pickup,
            offline=lambda: not self.store.sync_status().online,
            offline_every_s=s.offline_every_s)
        self.runner.every(s.remote_every_s, self.remote.step)

    def _restore_limits(self, cache: Cache, clock: Clock) -> None:
        """Wrong codes, failed logins and remote openings live in the audit trail;
        replaying the recent ones means a restart (or a power cut an attacker provokes)
        never resets a lockout or the hourly cap on remote openings."""
        s, now = self.settings, clock.now()

        def ages(kind: AuditKind, memory_s: float, actor: ActorKind | None = None,
                 with_event: bool = False) -> list[float]:
            since = now - timedelta(seconds=memory_s)
            times = cache.audit_times(kind, since, actor, with_event=with_event)
            return [(now - at).total_seconds() for at in times]

        # Only codes that matched nothing count (they carry a code.denied event); a
        # valid code shown again after its pickup is audited too, but is no attack.
        self.pickup.restore_failures(
            ages(AuditKind.CODE_DENIED, s.pickup.failure_memory_s, with_event=True))
        self.modes.courier_limiter.replay(
            ages(AuditKind.LOGIN_FAILED, s.courier.failure_memory_s, ActorKind.COURIER))
        self.modes.technician_limiter.replay(
            ages(AuditKind.LOGIN_FAILED, s.technician.failure_memory_s, ActorKind.TECHNICIAN))
        self.remote.restore_opens(ages(AuditKind.DOOR_OPEN, 3600, ActorKind.OPERATOR))

    def start(self) -> None:
        self.recovery.load()
        self.runner.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.runner.stop(timeout)

    def courier_mode(self) -> Future[Any]:
        """Switch to a fresh courier visit (FlowBusy while a customer is at a door)."""
        return self.runner.switch(self.modes.courier())

    def technician_mode(self) -> Future[Any]:
        return self.runner.switch(self.modes.technician())

    def pickup_mode(self) -> Future[Any]:
        return self.runner.switch(self.pickup)
