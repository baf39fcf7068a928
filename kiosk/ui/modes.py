"""Which flow the kiosk is serving: customers, a courier visit or a technician.

One FlowRunner drives one flow at a time. A courier or technician visit gets a fresh
flow from its factory (a flow that logged out stays logged out) and the customer flow
comes back when the visit ends. Calls go to the flow on the runner's worker thread;
nothing here touches Qt.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)


class Mode(StrEnum):
    customer = "customer"
    courier = "courier"
    technician = "technician"


class ModeUnavailable(RuntimeError):
    """This kiosk was set up without a flow for the requested mode."""


class KioskModes:
    def __init__(
        self,
        runner: Any,
        pickup: Any,
        courier_factory: Callable[[], Any] | None = None,
        technician_factory: Callable[[], Any] | None = None,
    ) -> None:
        self._runner = runner
        self._pickup = pickup
        self._factories: dict[Mode, Callable[[], Any] | None] = {
            Mode.courier: courier_factory,
            Mode.technician: technician_factory,
        }
        self._lock = threading.Lock()
        self._mode = Mode.customer
        self._flow: Any = pickup

    @property
    def mode(self) -> Mode:
        with self._lock:
            return self._mode

    @property
    def flow(self) -> Any:
        with self._lock:
            return self._flow

    @classmethod
    def for_flows(cls, flows: Any) -> KioskModes:
        """From `kiosk.flows.assembly.KioskFlows`: its runner, pickup flow and the visit
        factories that keep PIN lockouts across visits."""
        return cls(flows.runner, flows.pickup, flows.modes.courier, flows.modes.technician)

    def available(self, mode: Mode) -> bool:
        return mode is Mode.customer or self._factories.get(mode) is not None

    def enter(self, mode: Mode) -> None:
        """Start a courier or technician visit (or go back to customers)."""
        if mode is Mode.customer:
            self.to_customer()
            return
        factory = self._factories.get(mode)
        if factory is None:
            raise ModeUnavailable(f"this kiosk has no {mode} mode configured")
        flow = factory()
        with self._lock:
            self._mode, self._flow = mode, flow
        log.info("kiosk switches to %s mode", mode)
        future = self._runner.switch(flow)
        if hasattr(future, "add_done_callback"):
            future.add_done_callback(lambda f: self._switched(f, flow))

    def _switched(self, future: Any, flow: Any) -> None:
        # The runner refuses while a customer's door is open (FlowBusy): stay a customer
        # kiosk; the staff member tries again once the door has closed.
        if future.exception() is not None:
            log.warning("could not switch to the visit: %s", future.exception())
            with self._lock:
                if self._flow is flow:
                    self._mode, self._flow = Mode.customer, self._pickup

    def to_customer(self) -> None:
        with self._lock:
            if self._mode is Mode.customer:
                return
            self._mode, self._flow = Mode.customer, self._pickup
        log.info("kiosk switches back to customer mode")
        self._runner.switch(self._pickup)
        self._runner.call(self._pickup.cancel)

    def call(self, name: str, *args: Any) -> None:
        """Run `flow.<name>(*args)` on the runner's thread, on the flow shown now."""
        flow = self.flow
        self._runner.call(getattr(flow, name), *args)

    def submit_scan(self, text: str, screen: str = "") -> None:
        """Route a scanned code to the flow on screen: a badge, a parcel label, a pickup
        code. `screen` is the screen id of the last view shown."""
        mode = self.mode
        if mode is Mode.customer:
            self.call("submit_scan", text)
        elif mode is Mode.courier:
            if screen in ("login", "login_failed"):
                self.call("login_badge", text)
            elif screen in ("menu", "deposit_scan", "deposit_refused", "no_compartment",
                            "check_result", "collect_done", "collect_list"):
                self.call("read_label", text)
        # Technicians test the scanner on the camera test page; codes do nothing there.
