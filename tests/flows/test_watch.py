"""Doors watched between flows: forced openings, door states kept in the cache."""

from __future__ import annotations

import pytest

from kiosk.flows.pickup import PickupFlow, PickupScreen, PickupSettings
from kiosk.flows.watch import DoorWatch
from locker_driver import OpenConfirmer
from tests.flows.conftest import World

pytestmark = pytest.mark.integration

CODE = "12345678"


def watched(world: World) -> tuple[DoorWatch, PickupFlow]:
    watch = DoorWatch(world.store, world.clock)
    flow = PickupFlow(world.store, watch.guard(world.bank), world.clock, OpenConfirmer,
                      PickupSettings())
    return watch, flow


def poll(world: World, watch: DoorWatch, flow: PickupFlow) -> None:
    readings = world.bank.read_states()
    watch.on_door_states(readings)
    flow.on_door_states(readings)


def test_a_door_opened_without_a_command_raises_the_alarm(world: World) -> None:
    watch, flow = watched(world)
    poll(world, watch, flow)
    world.open_by_hand("B04")
    world.clock.advance(1)
    poll(world, watch, flow)
    assert watch.forced == ["B04"]
    assert world.event_types() == ["compartment.forced_open"]
    assert len(world.audits("alarm")) == 1


def test_doors_the_kiosk_opens_are_not_forced(world: World) -> None:
    world.add_parcel(CODE, "A02")
    watch, flow = watched(world)
    poll(world, watch, flow)
    flow.submit_scan(CODE)
    world.clock.advance(0.25)
    poll(world, watch, flow)
    assert flow.view().screen is PickupScreen.door_open
    assert watch.forced == []
    assert "compartment.forced_open" not in world.event_types()


def test_door_states_reach_the_cache_for_the_heartbeat(world: World) -> None:
    watch, flow = watched(world)
    poll(world, watch, flow)
    assert str(world.cache.compartment("A01").door) == "closed"
    world.open_by_hand("A01")
    poll(world, watch, flow)
    assert str(world.cache.compartment("A01").door) == "open"
    world.bank.power(False)  # a silent board changes nothing in the cache
    poll(world, watch, flow)
    assert str(world.cache.compartment("A01").door) == "open"
