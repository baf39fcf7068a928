"""Customer pickup: code in, doors open one after another, doors closed, thank you."""

from __future__ import annotations

from kiosk.flows.pickup_view import MalformedReason, PickupScreen, PickupSettings, PickupView

__all__ = ["MalformedReason", "PickupScreen", "PickupSettings", "PickupView"]
