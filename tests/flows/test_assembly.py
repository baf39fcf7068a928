"""The flows as the app wires them: one KioskFlows on the real cache and bank."""

from __future__ import annotations

import pytest

from kiosk.flows.assembly import FlowSettings, KioskFlows
from kiosk.flows.courier_view import CourierScreen, CourierView
from kiosk.flows.pickup import PickupScreen, PickupSettings
from tests.flows.conftest import World
from tests.flows.waiting import Views, eventually

pytestmark = pytest.mark.integration

CODE = "12345678"


def test_a_kiosk_day_in_one_assembly(world: World) -> None:
    world.add_parcel(CODE, "B02")
    world.add_courier("C1", pin="4711")
    views = Views()
    flows = KioskFlows(world.cache, world.bank.bank, views, FlowSettings(
        pickup=PickupSettings(poll_interval_s=0.01, idle_poll_interval_s=0.01),
        tick_s=0.01, remote_every_s=0.01, offline_every_s=0.01),
        accessible=["A03", "A04"], clock=world.clock)
    flows.start()
    try:
        views.wait_for(lambda v: v.screen is PickupScreen.idle and v.offline)
        flows.runner.call(flows.pickup.submit_scan, CODE).result(timeout=5)
        views.wait_for(lambda v: v.screen is PickupScreen.door_open)
        world.add_command("K1", "open_compartment", "C01")
        world.close("B02")
        views.wait_for(lambda v: v.screen is PickupScreen.done)
        assert eventually(lambda: bool(flows.remote.results))
        assert world.bank.unlocks() == ["B02", "C01"]
        world.open_by_hand("A01")
        assert eventually(lambda: flows.watch.forced == ["A01"])
        assert eventually(lambda: str(world.cache.compartment("A01").door) == "open")

        view = flows.courier_mode().result(timeout=5)
        assert isinstance(view, CourierView)
        courier = flows.runner.flow
        assert flows.runner.call(courier.login_pin, "C1", "4711").result(timeout=5).screen \
            is CourierScreen.menu
        flows.runner.call(courier.logout).result(timeout=5)
        assert eventually(lambda: flows.runner.flow is flows.pickup)
    finally:
        flows.stop()
    types = world.event_types()
    assert types.count("parcel.picked_up") == 1
    assert types.count("command.completed") == 1
    assert types.count("compartment.forced_open") == 1


def test_a_restart_does_not_reset_lockouts(world: World) -> None:
    world.add_courier("C1", pin="4711")
    first = KioskFlows(world.cache, world.bank.bank, lambda _v: None, clock=world.clock)
    for _ in range(5):
        view = first.pickup.submit_code("99999999")
    assert view.screen is PickupScreen.locked_out
    courier = first.modes.courier()
    for _ in range(5):
        courier.login_pin("C1", "0000")
    assert first.modes.courier_limiter.remaining_s("C1") > 0
    world.clock.advance(10)

    # The kiosk restarts (a crash, or a power cut someone provoked): same cache.
    second = KioskFlows(world.cache, world.bank.bank, lambda _v: None, clock=world.clock)
    view = second.pickup.submit_code("99999999")
    assert view.screen is PickupScreen.locked_out
    assert view.lockout_remaining_s == 20
    assert second.modes.courier_limiter.remaining_s("C1") == 50

    # A quiet hour later everything is forgotten, as before a restart.
    world.clock.advance(3600)
    third = KioskFlows(world.cache, world.bank.bank, lambda _v: None, clock=world.clock)
    assert third.pickup.submit_code("99999999").screen is not PickupScreen.locked_out
    assert third.modes.courier_limiter.remaining_s("C1") == 0


def test_a_restart_does_not_open_a_fresh_hour_of_remote_openings(world: World) -> None:
    from kiosk.flows.remote import RemoteSettings

    settings = FlowSettings(remote=RemoteSettings(max_opens_per_hour=2))
    first = KioskFlows(world.cache, world.bank.bank, lambda _v: None, settings,
                       clock=world.clock)
    for n, cid in enumerate(("A01", "A02"), 1):
        world.add_command(f"K{n}", "open_compartment", cid)
    for _ in range(4):
        first.remote.step()
        world.clock.advance(1)
    assert world.bank.unlocks() == ["A01", "A02"]

    second = KioskFlows(world.cache, world.bank.bank, lambda _v: None, settings,
                        clock=world.clock)
    world.add_command("K3", "open_compartment", "A03")
    for _ in range(3):
        second.remote.step()
    assert world.bank.unlocks() == ["A01", "A02"]  # the cap still counts the first two
    world.clock.advance(3600)
    third = KioskFlows(world.cache, world.bank.bank, lambda _v: None, settings,
                       clock=world.clock)
    world.add_command("K4", "open_compartment", "A04")
    for _ in range(3):
        third.remote.step()
    assert world.bank.unlocks()[-1] == "A04"
