"""Remote commands: at most once, local limits, results as events."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from kiosk.flows.ports import CompartmentState, ParcelState
from kiosk.flows.remote import RemoteExecutor, RemoteSettings
from locker_driver import OpenConfirmer
from sync import cache as c
from tests.flows.conftest import World

pytestmark = pytest.mark.integration


def executor(world: World, busy: list[bool] | None = None, **settings) -> RemoteExecutor:
    flag = busy if busy is not None else [False]
    return RemoteExecutor(world.store, world.bank, world.clock, OpenConfirmer,
                          RemoteSettings(**settings), customer_busy=lambda: flag[0])


def command_status(world: World, command_id: str) -> tuple[str, str | None]:
    with world.cache.read() as s:
        cmd = s.get(c.Command, command_id)
        return str(cmd.status), cmd.detail


def results(world: World) -> list[tuple[str, str, str]]:
    return [(str(e.type), json.loads(e.data)["command_id"], json.loads(e.data)["detail"])
            for e in world.events() if str(e.type).startswith("command.")]


def test_remote_open_runs_once_and_reports_the_outcome(world: World) -> None:
    world.add_command("K1", "open_compartment", "B02")
    ex = executor(world)
    ex.step()
    assert ex.opening and world.bank.unlocks() == ["B02"]
    ex.step()
    assert not ex.opening
    assert command_status(world, "K1") == ("done", "opened")
    assert results(world) == [("command.completed", "K1", "opened")]
    for _ in range(3):
        ex.step()
    assert world.bank.unlocks() == ["B02"]  # never twice
    # A second executor (a restarted kiosk) does not run it again either.
    executor(world).step()
    assert world.bank.unlocks() == ["B02"]
    intent = world.audits("door_open")[0]
    assert intent.actor_kind == "operator" and "K1" in intent.detail


def test_remote_open_waits_while_a_customer_door_is_open(world: World) -> None:
    world.add_command("K1", "open_compartment", "A01")
    busy = [True]
    ex = executor(world, busy)
    ex.step()
    assert world.bank.unlocks() == [] and command_status(world, "K1")[0] == "pending"
    busy[0] = False
    ex.step()
    assert world.bank.unlocks() == ["A01"]


def test_remote_opens_are_capped_per_hour(world: World) -> None:
    for n, cid in enumerate(("A01", "A02", "A03"), 1):
        world.add_command(f"K{n}", "open_compartment", cid)
    ex = executor(world, max_opens_per_hour=2)
    for _ in range(6):
        ex.step()
    assert world.bank.unlocks() == ["A01", "A02"]
    status, detail = command_status(world, "K3")
    assert status == "failed" and "2 remote opens per hour" in detail
    world.clock.advance(3600)
    world.add_command("K4", "open_compartment", "A04",
                      expires_at=world.clock.now() + timedelta(hours=1))
    ex.step()
    assert world.bank.unlocks()[-1] == "A04"


def test_service_state_commands(world: World) -> None:
    world.add_parcel(None, "C02", state=ParcelState.STORED)
    world.add_command("K1", "set_out_of_service", "C02")
    ex = executor(world)
    ex.step()
    assert world.compartment_state("C02") is CompartmentState.OUT_OF_SERVICE
    world.clock.advance(1)
    world.add_command("K2", "set_in_service", "C02")
    ex.step()
    assert world.compartment_state("C02") is CompartmentState.OCCUPIED
    types = [t for t in world.event_types() if t.startswith(("compartment.", "command."))]
    assert types == ["compartment.out_of_service", "command.completed",
                     "compartment.in_service", "command.completed"]
    assert world.bank.unlocks() == []


def test_failures_are_reported_with_a_reason(world: World) -> None:
    world.add_command("K1", "open_compartment", "Z99")
    world.add_command("K2", "open_compartment", None)
    ex = executor(world, open_confirm_timeout_s=2)
    ex.step()
    assert [r[0] for r in results(world)] == ["command.failed", "command.failed"]
    assert "not in this locker's layout" in command_status(world, "K1")[1]
    world.bank.jam("A03")
    world.clock.advance(1)
    world.add_command("K3", "open_compartment", "A03")
    ex.step()
    world.clock.advance(2)
    ex.step()
    assert command_status(world, "K3") == ("failed", "door did not open")
    assert [r.ok for r in ex.results] == [False, False, False]


def test_unreachable_board_fails_the_open(world: World) -> None:
    world.add_command("K1", "open_compartment", "A01")
    world.bank.unplug()
    executor(world).step()
    assert command_status(world, "K1") == (
        "failed", "lock board unreachable: the unlock was not sent")


def test_expired_commands_and_resync_are_not_run_here(world: World) -> None:
    world.add_command("K1", "open_compartment", "A01",
                      expires_at=world.clock.now() + timedelta(seconds=30))
    world.add_command("K2", "resync")
    world.clock.advance(60)
    executor(world).step()
    assert world.bank.unlocks() == []
    assert command_status(world, "K2")[0] == "pending"  # the sync worker's job
