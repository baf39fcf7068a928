"""Which flow the kiosk is serving: customers, a courier visit or a technician.

The FlowRunner is the one owner of the active flow; this is the UI's handle on it. A
courier or technician visit gets a fresh flow from its factory (a flow that logged out
stays logged out), and the runner itself goes back to the customer flow when a visit's
view says it has ended. Calls go to the active flow on the runner's worker thread, so a
scan reaches whichever flow is active when it is handled, and that flow decides what
the code means. Nothing here touches Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kiosk.flows.views import FlowKind

log = logging.getLogger(__name__)


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
        self._factories: dict[FlowKind, Callable[[], Any] | None] = {
            FlowKind.courier: courier_factory,
            FlowKind.technician: technician_factory,
        }

    @property
    def mode(self) -> FlowKind:
        """The kind of the flow the runner drives now."""
        return FlowKind(self._runner.flow.kind)

    @classmethod
    def for_flows(cls, flows: Any) -> KioskModes:
        """From `kiosk.flows.assembly.KioskFlows`: its runner, pickup flow and the visit
        factories that keep PIN lockouts across visits."""
        return cls(flows.runner, flows.pickup, flows.modes.courier, flows.modes.technician)

    def available(self, mode: FlowKind) -> bool:
        return mode is FlowKind.pickup or self._factories.get(mode) is not None

    def enter(self, mode: FlowKind) -> None:
        """Start a courier or technician visit (or go back to customers). The runner
        refuses while a customer's door is open (FlowBusy): the kiosk stays a customer
        kiosk and the staff member tries again once the door has closed."""
        if mode is FlowKind.pickup:
            self.to_customer()
            return
        factory = self._factories.get(mode)
        if factory is None:
            raise ModeUnavailable(f"this kiosk has no {mode} mode configured")
        log.info("kiosk switches to %s mode", mode)
        future = self._runner.switch(factory())
        future.add_done_callback(_log_refusal)

    def to_customer(self) -> None:
        """Back to the customer screens (a staff member walked away from a login)."""
        if self._runner.flow is self._pickup:
            return
        log.info("kiosk switches back to customer mode")
        self._runner.switch(self._pickup)
        self._runner.call(self._pickup.cancel)

    def call(self, name: str, *args: Any) -> None:
        """Run `<active flow>.<name>(*args)` on the runner's thread."""
        self._runner.call_flow(name, *args)

    def submit_scan(self, text: str) -> None:
        """A scanned code (badge, parcel label, pickup code): the active flow decides
        what it means."""
        self._runner.call_flow("submit_scan", text)


def _log_refusal(future: Any) -> None:
    if future.exception() is not None:
        log.warning("could not switch to the visit: %s", future.exception())
