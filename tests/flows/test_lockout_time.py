"""Lockouts and the remote-open cap against restarts, reboots and clocks that jump.

A "restart" is a new KioskFlows on the same cache file. Within one boot the monotonic
clock goes on; a reboot starts it again (a new boot id) and may bring any wall clock: a
board without a real-time clock that boots offline restores an older time.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.flows.assembly import FlowSettings, KioskFlows
from kiosk.flows.clock import ManualClock
from kiosk.flows.pickup import PickupScreen, PickupSettings
from kiosk.flows.remote import RemoteSettings
from tests.flows.conftest import World

pytestmark = pytest.mark.integration

WRONG = "99999999"
SETTINGS = FlowSettings(pickup=PickupSettings(free_attempts=3, lockout_base_s=600,
                                              lockout_max_s=900),
                        remote=RemoteSettings(max_opens_per_hour=2))


def kiosk(world: World, clock: ManualClock, boot: str) -> KioskFlows:
    return KioskFlows(world.cache, world.bank.bank, lambda _v: None, SETTINGS, clock=clock,
                      boot_id=boot)


def reboot(clock: ManualClock, shift_s: float) -> ManualClock:
    """The clock after a reboot: monotonic from near zero, the wall clock moved."""
    return ManualClock(start=clock.now() + timedelta(seconds=shift_s), monotonic_start=3.0)


@pytest.mark.parametrize("shift_s", [-600, +600, -86400, +86400 * 30])
@pytest.mark.parametrize("rebooted", [False, True])
def test_no_clock_jump_or_restart_shortens_a_lockout(world: World, shift_s: float,
                                                     rebooted: bool) -> None:
    first = kiosk(world, world.clock, "boot-1")
    for _ in range(3):
        view = first.pickup.submit_code(WRONG)
    assert (view.screen, view.lockout_remaining_s) == (PickupScreen.locked_out, 600)
    world.clock.advance(100)
    first.limits.checkpoint()  # what the runner does every 30 s
    if rebooted:
        clock = reboot(world.clock, shift_s)
        second = kiosk(world, clock, "boot-2")
    else:
        # Same boot, the process restarted after someone set the date.
        clock = world.clock
        second = kiosk(world, clock, "boot-1")
        clock.set_date(shift_s)
    view = second.pickup.submit_code(WRONG)
    assert (view.screen, view.lockout_remaining_s) == (PickupScreen.locked_out, 500)
    clock.advance(499)
    assert second.pickup.submit_code(WRONG).screen is PickupScreen.locked_out
    clock.advance(1)
    assert second.pickup.submit_code(WRONG).screen is PickupScreen.unknown_code


def test_a_power_cut_before_the_checkpoint_lengthens_a_lockout_never_shortens_it(
        world: World) -> None:
    first = kiosk(world, world.clock, "boot-1")
    for _ in range(3):
        first.pickup.submit_code(WRONG)
    world.clock.advance(300)  # no checkpoint: the power goes before the next one
    second = kiosk(world, reboot(world.clock, -600), "boot-2")
    assert second.pickup.submit_code(WRONG).lockout_remaining_s == 600


@pytest.mark.parametrize("shift_s", [-600, +600, +7200])
@pytest.mark.parametrize("rebooted", [False, True])
def test_no_clock_jump_or_restart_reopens_the_remote_open_cap(
        world: World, shift_s: float, rebooted: bool) -> None:
    first = kiosk(world, world.clock, "boot-1")
    for n, cid in enumerate(("A01", "A02"), 1):
        world.add_command(f"K{n}", "open_compartment", cid)
    for _ in range(4):
        first.remote.step()
        world.clock.advance(1)
    assert world.bank.unlocks() == ["A01", "A02"]
    if rebooted:
        clock = reboot(world.clock, shift_s)
        second = kiosk(world, clock, "boot-2")
    else:
        clock = world.clock
        clock.set_date(shift_s)
        second = kiosk(world, clock, "boot-1")
    world.add_command("K3", "open_compartment", "A03", expires_at=clock.now() + timedelta(
        hours=3))
    for _ in range(3):
        second.remote.step()
    assert world.bank.unlocks() == ["A01", "A02"]
    assert "local limit" in (second.remote.results[-1].detail if second.remote.results
                             else "")


def test_a_damaged_lockout_record_locks_instead_of_forgetting(world: World) -> None:
    for damaged in ("{not json", "[]", '{"wide": {"failures": "many"}}', '{"wide": {}}'):
        world.cache.save_state("lockout:pickup", damaged)
        flows = kiosk(world, world.clock, "boot-1")
        view = flows.pickup.submit_code(WRONG)
        assert (view.screen, view.lockout_remaining_s) == (PickupScreen.locked_out, 900)
