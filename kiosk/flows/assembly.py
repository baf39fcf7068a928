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

import logging
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from kiosk.flows.cache_store import CacheStore
from kiosk.flows.clock import Clock, SystemClock
from kiosk.flows.courier_view import CourierSettings
from kiosk.flows.modes import FlowModes
from kiosk.flows.occupancy import ClaimCheck
from kiosk.flows.pickup import PickupFlow
from kiosk.flows.pickup_view import PickupSettings
from kiosk.flows.ratelimit import Limits, LockoutKind, lockout_for
from kiosk.flows.recovery import StartupRecovery
from kiosk.flows.remote import RemoteExecutor, RemoteSettings
from kiosk.flows.runner import FlowRunner
from kiosk.flows.technician_view import TechnicianSettings
from kiosk.flows.watch import DoorWatch
from locker_driver import LockerBank, OpenConfirmer
from sync.cache import Cache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FlowSettings:
    pickup: PickupSettings = field(default_factory=PickupSettings)
    courier: CourierSettings = field(default_factory=CourierSettings)
    technician: TechnicianSettings = field(default_factory=TechnicianSettings)
    remote: RemoteSettings = field(default_factory=RemoteSettings)
    tick_s: float = 0.1  # flow ticks (timeouts, countdowns)
    remote_every_s: float = 2.0  # how often stored remote commands are looked at
    offline_every_s: float = 5.0  # how often the sync status is read for the badge
    checkpoint_every_s: float = 30.0  # kiosk time saved this often while a limit runs


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
        boot_id: str | None = None,
    ) -> None:
        """`boot_id`: this boot's id (default: the kernel's); tests pass their own to
        play a reboot."""
        self.settings = s = settings or FlowSettings()
        clock = clock or SystemClock()
        self.store = CacheStore(cache, accessible=accessible, other_lockers=other_lockers)
        self.watch = DoorWatch(self.store, clock)
        # Openings a killed run left unfinished, settled on the first polls that know
        # each door (docs/crash-safety.md).
        self.recovery = StartupRecovery(self.store, clock,
                                        left_open_alarm_s=s.pickup.left_open_alarm_s)
        # Doors the central service says are full on a rebuilt cache: settled by their
        # occupancy sensors on the first polls (kiosk/flows/occupancy.py).
        self.claims = ClaimCheck(self.store, clock.monotonic)
        self._bank = bank
        guarded = self.watch.guard(bank)
        # Lockouts and the remote-open cap run on kiosk time saved in the cache, so no
        # restart, reboot or clock change resets them (kiosk/flows/ratelimit.py).
        self.limits = Limits.open(self.store, clock, boot_id)
        self.pickup = PickupFlow(self.store, guarded, clock, OpenConfirmer, s.pickup,
                                 limiter=lockout_for(LockoutKind.pickup, s.pickup,
                                                     self.limits))
        self.modes = FlowModes(self.store, guarded, bank, clock, OpenConfirmer,
                               s.courier, s.technician, request_sync, self.limits)
        self.remote = RemoteExecutor(
            self.store, guarded, clock, OpenConfirmer, s.remote,
            customer_busy=lambda: self.pickup.busy_with_door,
            cap=self.limits.cap("remote_opens", s.remote.max_opens_per_hour),
            state_cap=self.limits.cap("remote_state_changes",
                                      s.remote.max_state_changes_per_hour))
        self.runner = FlowRunner(
            self.pickup, bank, on_view, tick_s=s.tick_s,
            observers=[self.watch.on_door_states, self.recovery.on_door_states,
                       self.claims.on_door_states], home=self.pickup,
            offline=lambda: not self.store.sync_status().online,
            offline_every_s=s.offline_every_s)
        self.runner.every(s.remote_every_s, self.remote.step)
        self.runner.every(s.checkpoint_every_s, self.limits.checkpoint)

    def start(self) -> None:
        self.recovery.load()
        # Queued before the runner starts, so it runs before any customer's call: a
        # rebuilt cache's claimed doors are settled by their sensors first.
        self.runner.call(self._first_look)
        self.runner.start()

    def _first_look(self) -> None:
        try:
            readings = self._bank.read_states()
        except OSError as exc:
            log.warning("first door read failed (%s); claimed doors wait for the polls", exc)
            return
        self.claims.on_door_states(readings)

    def stop(self, timeout: float = 5.0) -> None:
        self.runner.stop(timeout)

    def courier_mode(self) -> Future[Any]:
        """Switch to a fresh courier visit (FlowBusy while a customer is at a door)."""
        return self.runner.switch(self.modes.courier())

    def technician_mode(self) -> Future[Any]:
        return self.runner.switch(self.modes.technician())

    def pickup_mode(self) -> Future[Any]:
        return self.runner.switch(self.pickup)
