"""The runner: calls on its own thread, views delivered as they change, board loss."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from kiosk.flows.pickup import PickupScreen
from kiosk.flows.runner import FlowRunner, RunnerStopped
from sync import cache as c
from tests.flows.conftest import World
from tests.flows.waiting import Views, eventually

pytestmark = pytest.mark.integration

CODE = "12345678"


@pytest.fixture
def running(world: World) -> Any:
    views = Views()
    flow = world.pickup(poll_interval_s=0.01, idle_poll_interval_s=0.01)
    runner = FlowRunner(flow, world.bank, views, tick_s=0.01,
                        read_errors=(ConnectionError,))
    runner.start()
    yield runner, flow, views
    runner.stop()


def test_a_pickup_runs_on_the_worker_and_every_screen_reaches_the_ui(
        world: World, running: Any) -> None:
    runner, flow, views = running
    world.add_parcel(CODE, "B01")
    view = runner.call(flow.submit_scan, CODE).result(timeout=5)
    assert view.screen in (PickupScreen.door_opening, PickupScreen.door_open)
    views.wait_for(lambda v: v.screen is PickupScreen.door_open)
    world.close("B01")
    views.wait_for(lambda v: v.screen is PickupScreen.done)
    screens = [v.screen for v in views.seen]
    # The "working" states were published while the call was still running.
    assert PickupScreen.checking in screens and PickupScreen.door_opening in screens
    assert views.threads == {"flow-runner"}
    assert all(a != b for a, b in zip(views.seen, views.seen[1:], strict=False))


def test_losing_the_board_shows_out_of_service_and_recovers(world: World, running: Any
                                                              ) -> None:
    runner, flow, views = running
    world.bank.power(False)
    views.wait_for(lambda v: v.screen is PickupScreen.out_of_service)
    world.bank.power(True)
    views.seen.clear()
    views.wait_for(lambda v: v.screen is PickupScreen.idle)


def test_a_failing_call_reports_its_error_and_the_runner_goes_on(running: Any) -> None:
    runner, flow, views = running

    def broken() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError):
        runner.call(broken).result(timeout=5)
    assert runner.call(flow.start_code_entry).result(timeout=5).screen is \
        PickupScreen.code_entry


def test_calls_after_stop_fail_cleanly(world: World) -> None:
    runner = FlowRunner(world.pickup(), world.bank, lambda v: None, tick_s=0.01)
    runner.start()
    runner.stop()
    with pytest.raises(RunnerStopped):
        runner.call(runner.flow.view).result(timeout=5)


def test_remote_open_waits_for_the_customer_door_and_forced_doors_are_caught(
        world: World) -> None:
    from kiosk.flows.pickup import PickupFlow, PickupSettings
    from kiosk.flows.remote import RemoteExecutor
    from kiosk.flows.watch import DoorWatch
    from locker_driver import OpenConfirmer

    watch = DoorWatch(world.store, world.clock)
    bank = watch.guard(world.bank)
    flow = PickupFlow(world.store, bank, world.clock, OpenConfirmer,
                      PickupSettings(poll_interval_s=0.01, idle_poll_interval_s=0.01))
    remote = RemoteExecutor(world.store, bank, world.clock, OpenConfirmer,
                            customer_busy=lambda: flow.busy_with_door)
    views = Views()
    runner = FlowRunner(flow, world.bank, views, tick_s=0.01, observers=[watch.on_door_states])
    runner.every(0.01, remote.step)
    world.add_parcel(CODE, "A01")
    runner.start()
    try:
        runner.call(flow.submit_scan, CODE).result(timeout=5)
        views.wait_for(lambda v: v.screen is PickupScreen.door_open)
        world.add_command("K1", "open_compartment", "C03")
        # While the customer's door stands open the command stays pending.
        for _ in range(5):
            runner.call(lambda: None).result(timeout=5)
        assert world.bank.unlocks() == ["A01"]
        world.close("A01")
        views.wait_for(lambda v: v.screen is PickupScreen.done)
        assert eventually(lambda: bool(remote.results))
        assert remote.results[0].ok
        assert world.bank.unlocks() == ["A01", "C03"]
        world.open_by_hand("B01")
        assert eventually(lambda: watch.forced == ["B01"])
    finally:
        runner.stop()


def test_a_cache_failure_mid_check_never_leaves_the_customer_waiting(
        world: World, running: Any) -> None:
    runner, flow, views = running
    with world.cache.write() as s:
        s.exec(text("DROP TABLE parcel"))
    with pytest.raises(Exception, match="parcel"):
        runner.call(flow.submit_scan, CODE).result(timeout=5)
    views.wait_for(lambda v: v.screen is PickupScreen.out_of_service)


def test_a_courier_visit_switches_in_and_the_kiosk_returns_home_after_it(
        world: World) -> None:
    from kiosk.flows.courier_view import CourierScreen, CourierView
    from kiosk.flows.modes import FlowModes
    from kiosk.flows.runner import FlowBusy
    from locker_driver import OpenConfirmer

    world.add_courier("C1", pin="4711")
    world.add_parcel(CODE, "A01")
    pickup = world.pickup(poll_interval_s=0.01, idle_poll_interval_s=0.01)
    modes = FlowModes(world.store, world.bank, world.bank.bank, world.clock, OpenConfirmer)
    views = Views()
    runner = FlowRunner(pickup, world.bank, views, tick_s=0.01, home=pickup)
    runner.start()
    try:
        runner.call(pickup.submit_scan, CODE).result(timeout=5)
        views.wait_for(lambda v: v.screen is PickupScreen.door_open)
        with pytest.raises(FlowBusy):  # never away from a customer's open door
            runner.switch(modes.courier()).result(timeout=5)
        world.close("A01")
        views.wait_for(lambda v: v.screen is PickupScreen.done)
        courier = modes.courier()
        assert isinstance(runner.switch(courier).result(timeout=5), CourierView)
        view = runner.call(courier.login_pin, "C1", "4711").result(timeout=5)
        assert view.screen is CourierScreen.menu
        views.seen.clear()
        runner.call(courier.logout).result(timeout=5)
        views.wait_for(lambda v: v.screen is PickupScreen.done)  # home again
        assert runner.flow is pickup
    finally:
        runner.stop()


def test_a_courier_lockout_outlives_the_visit(world: World) -> None:
    from kiosk.flows.courier_view import CourierScreen, CourierSettings
    from kiosk.flows.modes import FlowModes
    from locker_driver import OpenConfirmer

    world.add_courier("C1", pin="4711")
    modes = FlowModes(world.store, world.bank, world.bank.bank, world.clock, OpenConfirmer,
                      courier_settings=CourierSettings(free_attempts=2))
    assert modes.courier().login_pin("C1", "0000").screen is CourierScreen.login_failed
    assert modes.courier().login_pin("C1", "0000").screen is CourierScreen.locked_out
    assert modes.courier().login_pin("C1", "4711").screen is CourierScreen.locked_out


def test_the_offline_badge_follows_the_sync_status_across_flows(world: World) -> None:
    from kiosk.flows.modes import FlowModes
    from locker_driver import OpenConfirmer

    pickup = world.pickup()
    modes = FlowModes(world.store, world.bank, world.bank.bank, world.clock, OpenConfirmer)
    views = Views()
    runner = FlowRunner(pickup, world.bank, views, tick_s=0.01, home=pickup,
                        offline=lambda: not world.store.sync_status().online,
                        offline_every_s=0.01)
    runner.start()
    try:
        views.wait_for(lambda v: v.offline)  # never synced yet
        view = runner.switch(modes.courier()).result(timeout=5)
        assert view.offline
        with world.cache.write() as s:
            st = s.get(c.models.SyncState, 1)
            st.last_success_at = world.clock.now()
            s.add(st)
        views.seen.clear()
        views.wait_for(lambda v: not v.offline)
    finally:
        runner.stop()


def test_scans_go_to_the_active_flow_which_decides_what_they_mean(world: World) -> None:
    """One owner of the active flow (the runner): the UI's modes only ask it, a scan
    reaches whichever flow is active when it is handled, and the end of a visit sends
    the kiosk home from one place."""
    from kiosk.flows.courier_view import CourierScreen
    from kiosk.flows.modes import FlowModes
    from kiosk.flows.views import FlowKind
    from kiosk.ui.modes import KioskModes
    from locker_driver import OpenConfirmer

    world.add_courier("C1", badge="BADGE:C1")
    pid = world.add_parcel(None, None, state=c.ParcelState.EXPECTED, barcode="XP-LBL-1")
    pickup = world.pickup(poll_interval_s=0.01, idle_poll_interval_s=0.01)
    flows = FlowModes(world.store, world.bank, world.bank.bank, world.clock, OpenConfirmer)
    views = Views()
    runner = FlowRunner(pickup, world.bank, views, tick_s=0.01, home=pickup)
    modes = KioskModes(runner, pickup, flows.courier, flows.technician)
    runner.start()
    try:
        assert modes.mode is FlowKind.pickup
        modes.enter(FlowKind.courier)
        modes.submit_scan("BADGE:C1")  # queued behind the switch: the courier flow reads it
        views.wait_for(lambda v: v.screen is CourierScreen.menu)
        assert modes.mode is FlowKind.courier
        modes.submit_scan("XP-LBL-1")  # the same call, now a parcel label to deposit
        views.wait_for(lambda v: v.screen is CourierScreen.deposit_open)
        world.close(views.seen[-1].door.label)
        assert eventually(lambda: world.parcel_state(pid) is c.ParcelState.STORED, 30)
        modes.call("logout")
        views.wait_for(lambda v: v.screen is PickupScreen.idle)
        assert eventually(lambda: modes.mode is FlowKind.pickup)
        modes.submit_scan("XP-LBL-1")  # a label is no pickup code: the customer flow says so
        views.wait_for(lambda v: v.screen is PickupScreen.malformed_code)
    finally:
        runner.stop()
