"""A flood of remote commands costs the kiosk a bounded amount of work per step, service
changes are capped like openings, and no door leaves service while a customer's door
is open."""

from __future__ import annotations

import pytest

from kiosk.flows.ports import CompartmentState
from tests.flows.conftest import World
from tests.flows.test_remote import command_status, executor, results

pytestmark = pytest.mark.integration


def test_one_step_looks_at_a_bounded_number_of_commands(world: World) -> None:
    for n in range(40):
        world.add_command(f"K{n:02d}", "set_in_service", "A01")
    ex = executor(world, commands_per_step=5, max_state_changes_per_hour=1000)
    ex.step()
    assert len(results(world)) == 5  # the rest waits: the runner serves customers between
    for _ in range(7):
        ex.step()
    assert len(results(world)) == 40


def test_service_changes_are_capped_per_hour(world: World) -> None:
    doors = [c for c in world.ids][:12]
    for n, cid in enumerate(doors):
        world.add_command(f"K{n:02d}", "set_out_of_service", cid)
    ex = executor(world, max_state_changes_per_hour=4, commands_per_step=100)
    ex.step()
    out = [cid for cid in doors
           if world.compartment_state(cid) is CompartmentState.OUT_OF_SERVICE]
    assert len(out) == 4
    status, detail = command_status(world, "K11")
    assert status == "failed" and "4 remote service changes per hour" in detail


def test_no_door_leaves_service_while_a_customer_door_is_open(world: World) -> None:
    world.add_command("K1", "set_out_of_service", "B02")
    busy = [True]
    ex = executor(world, busy)
    ex.step()
    assert world.compartment_state("B02") is CompartmentState.FREE
    assert command_status(world, "K1")[0] == "pending"
    busy[0] = False
    ex.step()
    assert world.compartment_state("B02") is CompartmentState.OUT_OF_SERVICE
