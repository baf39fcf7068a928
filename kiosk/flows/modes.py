"""Making the courier and technician flows a kiosk switches to, with lockouts that
outlive each visit.

The pickup flow lives as long as the kiosk; a courier or technician flow is made fresh
for every visit (no state of the last courier leaks into the next), but the PIN/badge
lockouts are kept here, so logging out or walking away never resets a lockout.

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
from kiosk.flows.ratelimit import Limits, LockoutKind, lockout_for
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
    limits: Limits | None = None  # the kiosk's saved limits; None: kept in memory

    def __post_init__(self) -> None:
        limits = self.limits or Limits.in_memory(self.clock)
        self.courier_limiter = lockout_for(LockoutKind.courier, self.courier_settings, limits)
        self.technician_limiter = lockout_for(LockoutKind.technician,
                                              self.technician_settings, limits)

    def courier(self) -> CourierFlow:
        return CourierFlow(self.store, self.bank, self.clock, self.confirmers,
                           self.courier_settings, limiter=self.courier_limiter)

    def technician(self) -> TechnicianFlow:
        return TechnicianFlow(self.store, self.bank, self.diagnostics, self.clock,
                              self.confirmers, self.technician_settings,
                              limiter=self.technician_limiter,
                              request_sync=self.request_sync)
