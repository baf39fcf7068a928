"""Making the courier and technician flows a kiosk switches to, with lockouts that
outlive each visit.

The pickup flow lives as long as the kiosk; a courier or technician flow is made fresh
for every visit (no state of the last courier leaks into the next), but the PIN/badge
rate limiters are kept here, so logging out or walking away never resets a lockout.

    modes = FlowModes(store, bank, diagnostics, clock, OpenConfirmer, ...)
    runner = FlowRunner(pickup, bank, on_view, home=pickup)
    runner.switch(modes.courier())      # the courier entrance on the idle screen
    # the runner returns to `home` by itself when the visit ends (screen logged_out)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.flows.clock import Clock
from kiosk.flows.courier import CourierFlow
from kiosk.flows.courier_view import CourierSettings
from kiosk.flows.ports import Bank, BankDiagnostics, ConfirmerFactory, Store
from kiosk.flows.ratelimit import LockoutPolicy, RateLimiter
from kiosk.flows.technician import TechnicianFlow
from kiosk.flows.technician_view import TechnicianSettings


@dataclass
class FlowModes:
    store: Store
    bank: Bank
    diagnostics: BankDiagnostics
    clock: Clock
    confirmers: ConfirmerFactory
    courier_settings: CourierSettings = field(default_factory=CourierSettings)
    technician_settings: TechnicianSettings = field(default_factory=TechnicianSettings)
    request_sync: Callable[[], None] | None = None

    def __post_init__(self) -> None:
        c, t = self.courier_settings, self.technician_settings
        self.courier_limiter = RateLimiter(self.clock, LockoutPolicy(
            free_attempts=c.free_attempts, base_s=c.lockout_base_s, factor=c.lockout_factor,
            max_s=c.lockout_max_s, memory_s=c.failure_memory_s))
        self.technician_limiter = RateLimiter(self.clock, LockoutPolicy(
            free_attempts=t.free_attempts, base_s=t.lockout_base_s, factor=t.lockout_factor,
            max_s=t.lockout_max_s, memory_s=t.failure_memory_s))

    def courier(self) -> CourierFlow:
        return CourierFlow(self.store, self.bank, self.clock, self.confirmers,
                           self.courier_settings, limiter=self.courier_limiter)

    def technician(self) -> TechnicianFlow:
        return TechnicianFlow(self.store, self.bank, self.diagnostics, self.clock,
                              self.confirmers, self.technician_settings,
                              limiter=self.technician_limiter,
                              request_sync=self.request_sync)
