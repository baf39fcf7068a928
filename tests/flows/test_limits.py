"""Lockout arithmetic and size fallback, on their own."""

from __future__ import annotations

import pytest

from kiosk.flows.clock import ManualClock
from kiosk.flows.courier_view import CourierSettings
from kiosk.flows.placement import Placement
from kiosk.flows.ratelimit import Limits, LockoutPolicy

pytestmark = pytest.mark.unit


def test_lockouts_grow_are_capped_and_a_quiet_hour_forgets_them() -> None:
    clock = ManualClock()
    limiter = Limits.in_memory(clock).lockout("t", LockoutPolicy(
        free_attempts=2, attempts_after_lockout=1, base_s=10, factor=3, max_s=50,
        memory_s=600))
    assert limiter.failure().lockout_s is None
    assert limiter.failure().lockout_s == 10
    lengths = []
    for _ in range(3):
        clock.advance(limiter.remaining_s())
        lengths.append(limiter.failure().lockout_s)
    assert lengths == [30, 50, 50]
    clock.advance(600)
    assert limiter.remaining_s() == 0
    assert limiter.failure().lockout_s is None  # forgotten: the full allowance again
    assert limiter.lockouts == 0


def test_a_success_clears_the_run_but_not_the_level() -> None:
    clock = ManualClock()
    limiter = Limits.in_memory(clock).lockout("t", LockoutPolicy(
        free_attempts=2, attempts_after_lockout=2, base_s=10, factor=2))
    limiter.failure()
    assert limiter.failure().lockout_s == 10
    clock.advance(10)
    limiter.success()
    limiter.failure()
    assert limiter.failure().lockout_s == 20


@pytest.mark.parametrize("policy", [
    {"free_attempts": 0}, {"attempts_after_lockout": 0}, {"base_s": 0}, {"factor": 0.5},
    {"base_s": 100, "max_s": 10}, {"max_s": 7200, "memory_s": 3600},
    {"kiosk_wide_factor": 0}, {"alarm_after": 0},
])
def test_impossible_policies_are_refused(policy: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        LockoutPolicy(**policy)  # type: ignore[arg-type]


@pytest.mark.parametrize(("size", "larger_than", "sizes"), [
    ("S", None, ["S", "M", "L", "XL"]),
    ("M", None, ["M", "L", "XL"]),
    ("S", "M", ["L", "XL"]),  # did not fit in an M: strictly larger
    ("XL", "XL", []),
    (None, None, ["S", "M", "L", "XL"]),
    ("BIKE", None, ["BIKE"]),  # an operator's own size: its own compartments only
    ("BIKE", "BIKE", []),
])
def test_sizes_tried_in_order(size: str | None, larger_than: str | None,
                              sizes: list[str]) -> None:
    placement = Placement(store=None, settings=CourierSettings())  # type: ignore[arg-type]
    assert placement.sizes(size, larger_than) == sizes
