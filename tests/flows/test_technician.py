"""Technician diagnostics on the real cache and the simulated boards."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from contract.codes import KdfParams, make_pin_record
from kiosk.flows.ports import CompartmentState, ParcelState
from kiosk.flows.technician_view import OpenAction, TechnicianScreen
from tests.flows.conftest import World, technician_flow

pytestmark = pytest.mark.integration

PIN = "908172"
RECORD = make_pin_record(PIN, KdfParams(n=1024))


@pytest.fixture
def tech(world: World):
    flow = technician_flow(world, technicians=(("T1", RECORD),), scan_addresses=(1, 2, 3),
                           scan_timeout_s=0.05, software_version="1.2.3",
                           config_summary=(("locker", "L-MAIN"),))
    view = flow.login("T1", PIN)
    assert view.screen is TechnicianScreen.map
    world.poll(flow)
    return flow


def test_wrong_pin_is_refused_audited_locks_out_and_alarms(world: World) -> None:
    flow = technician_flow(world, technicians=(("T1", RECORD),), free_attempts=2,
                           lockout_base_s=30)
    view = flow.login("T1", "000000")
    assert (view.screen, view.attempts_left) == (TechnicianScreen.login_failed, 1)
    view = flow.login("T9", PIN)  # unknown id: its own count
    assert (view.screen, view.attempts_left) == (TechnicianScreen.login_failed, 1)
    view = flow.login("T1", "111111")
    assert (view.screen, view.lockout_remaining_s) == (TechnicianScreen.locked_out, 30)
    assert flow.login("T1", PIN).screen is TechnicianScreen.locked_out
    assert len(world.audits("login_failed")) == 3
    # The first lockout reaches the central service as an alarm.
    assert world.event_types() == ["security.alarm"]
    alarm = world.event_data("security.alarm")[0]
    assert (alarm["subject"], alarm["denied"]) == ("technician_login", 3)
    world.clock.advance(30)
    flow.tick()
    assert flow.login("T1", PIN).screen is TechnicianScreen.map
    assert world.event_types() == ["security.alarm", "technician.login"]


def test_live_map_shows_every_door_with_its_states(world: World, tech) -> None:
    world.add_parcel(None, "B02", state=ParcelState.STORED)
    world.open_by_hand("C04")
    view = tech.show_map()
    world.poll(tech)
    view = tech.view()
    cells = {c.door.label: c for c in view.cells}
    assert len(cells) == 12
    assert (cells["B02"].state, cells["B02"].door_state) == ("occupied", "closed")
    assert cells["C04"].door_state == "open"
    assert (cells["C04"].door.column, cells["C04"].door.row) == (2, 3)
    assert (view.software_version, view.config_summary) == ("1.2.3", (("locker", "L-MAIN"),))


def test_opening_a_column_asks_first_then_opens_one_after_another(world: World, tech
                                                                  ) -> None:
    world.bank.jam("B03")
    view = tech.open_column(1)
    assert (view.screen, view.action) == (TechnicianScreen.confirm, OpenAction.column)
    assert [d.label for d in view.targets] == ["B01", "B02", "B03", "B04"]
    assert world.bank.unlocks() == []  # nothing before the confirm
    view = tech.confirm()
    assert view.screen is TechnicianScreen.opening
    assert world.bank.unlocks() == ["B01"]  # one at a time
    view = world.run(tech, 6, step=0.5)
    assert view.screen is TechnicianScreen.opened
    assert [(r.door.label, r.outcome) for r in view.results] == [
        ("B01", "opened"), ("B02", "opened"), ("B03", "jammed"), ("B04", "opened")]
    assert world.bank.unlocks() == ["B01", "B02", "B03", "B04"]
    intents = [a for a in world.audits("door_open")]
    assert {a.actor_id for a in intents} == {"T1"} and len(intents) == 4
    assert any("open column" in a.detail for a in world.audits("note"))


def test_open_one_and_cancel_a_confirm(world: World, tech) -> None:
    assert tech.open_all().screen is TechnicianScreen.confirm
    assert len(tech.view().targets) == 12
    assert tech.cancel().screen is TechnicianScreen.map
    tech.open_one("A03")
    tech.confirm()
    view = world.poll(tech)
    assert (view.screen, [(r.door.label, r.outcome) for r in view.results]) == (
        TechnicianScreen.opened, [("A03", "opened")])


def test_the_confirm_names_the_parcels_behind_the_doors(world: World, tech) -> None:
    stored = world.add_parcel(None, "B02", state=ParcelState.STORED)
    old = world.add_parcel(None, "B04", state=ParcelState.EXPIRED)
    view = tech.open_column(1)
    assert view.screen is TechnicianScreen.confirm
    assert sorted((h.door.label, h.parcel_id, h.state) for h in view.held) == [
        ("B02", stored, "stored"), ("B04", old, "expired")]
    tech.cancel()
    assert tech.open_one("B01").held == ()  # an empty door: nothing to say
    tech.confirm()
    world.poll(tech)
    assert world.parcel_state(stored) is ParcelState.STORED


def test_out_of_service_and_back_with_events_and_audit(world: World, tech) -> None:
    world.add_parcel(None, "A02", state=ParcelState.STORED)
    tech.set_out_of_service("A02")
    assert world.compartment_state("A02") is CompartmentState.OUT_OF_SERVICE
    cells = {c.door.label: c for c in tech.view().cells}
    assert cells["A02"].state == "out_of_service"
    tech.set_in_service("A02")
    assert world.compartment_state("A02") is CompartmentState.OCCUPIED  # parcel inside
    world.set_compartment("A01", CompartmentState.FAULT)
    tech.set_in_service("A01")
    assert world.compartment_state("A01") is CompartmentState.FREE
    assert world.event_types()[-2:] == ["compartment.out_of_service",
                                        "compartment.in_service"]
    assert all(e.actor_id == "T1" for e in world.events()[-2:])


def test_bus_scan_and_frame_log(world: World, tech) -> None:
    view = tech.scan_bus()
    assert view.screen is TechnicianScreen.bus_scan
    rows = {r.board: r for r in view.boards}
    assert rows[1].answered and rows[1].latency_ms is not None and rows[1].locks == 24
    assert not any(r.answered for r in view.boards if r.board != 1)
    assert view.port_connected
    view = tech.show_frames()
    assert view.screen is TechnicianScreen.frame_log
    assert {f.direction for f in view.frames} == {"tx", "rx"}
    assert all(f.hex for f in view.frames)


def test_sync_status_and_sync_now(world: World) -> None:
    asked: list[bool] = []
    from kiosk.flows.technician import TechnicianFlow, TechnicianSettings
    from locker_driver import OpenConfirmer

    flow = TechnicianFlow(world.store, world.bank, world.bank.bank, world.clock,
                          OpenConfirmer, TechnicianSettings(technicians=(("T1", RECORD),)),
                          request_sync=lambda: asked.append(True))
    flow.login("T1", PIN)
    world.add_parcel("12345678", "A01")
    view = flow.show_sync()
    assert view.screen is TechnicianScreen.sync_status
    assert view.sync is not None and view.sync.outbox_depth == 1  # technician.login
    assert not view.sync.online
    assert flow.sync_now().sync_requested and asked == [True]


def test_export_writes_the_audit_trail_and_logs(world: World, tech, tmp_path: Path) -> None:
    log_file = tmp_path / "kiosk.log"
    log_file.write_text("started\n")
    tech.settings = replace(tech.settings, log_files=(str(log_file),))
    tech.open_one("A01")
    tech.confirm()
    world.poll(tech)
    (tmp_path / "usb").mkdir()  # the stick is mounted
    view = tech.export(str(tmp_path / "usb"))
    assert view.screen is TechnicianScreen.export_done
    folder = Path(view.export_path)
    rows = [json.loads(line) for line in (folder / "audit.jsonl").read_text().splitlines()]
    assert any(r["kind"] == "door_open" and r["actor_id"] == "T1" for r in rows)
    assert (folder / "kiosk.log").read_text() == "started\n"
    assert json.loads((folder / "sync_status.json").read_text())["outbox_depth"] >= 1
    assert (folder / "frames.jsonl").read_text()
    assert any("exported" in a.detail for a in world.audits("note"))


def test_export_to_an_unwritable_place_says_why(world: World, tech, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    view = tech.export(str(blocker))
    assert view.screen is TechnicianScreen.export_failed
    assert "not-a-dir" in view.export_error


def test_export_without_a_stick_fails_instead_of_filling_the_kiosk_disk(
        world: World, tech, tmp_path: Path) -> None:
    view = tech.export(str(tmp_path / "media" / "usb"))  # nothing mounted there
    assert view.screen is TechnicianScreen.export_failed
    assert not (tmp_path / "media").exists()


def test_session_ends_on_inactivity(world: World, tech) -> None:
    world.clock.advance(tech.settings.session_timeout_s - 5)
    assert tech.tick().timeout_remaining_s == 5
    world.clock.advance(5)
    assert tech.tick().screen is TechnicianScreen.logged_out


def test_stopping_an_open_all_after_the_current_door(world: World, tech) -> None:
    world.bank.jam("A01")  # the first door keeps the sequence waiting for its outcome
    tech.open_all()
    view = tech.confirm()
    assert (view.screen, len(view.results)) == (TechnicianScreen.opening, 12)
    view = tech.cancel()
    assert [r.outcome for r in view.results] == ["pending"]
    view = world.run(tech, tech.settings.open_confirm_timeout_s)
    assert view.screen is TechnicianScreen.opened
    assert [(r.door.label, r.outcome) for r in view.results] == [("A01", "jammed")]
    assert world.bank.unlocks() == ["A01"]


def test_a_bus_scan_waits_for_an_open_door_and_runs_when_it_closes(world: World, tech
                                                                  ) -> None:
    world.bank.open_by_hand("B03")
    world.poll(tech)
    view = tech.scan_bus()
    assert view.screen is TechnicianScreen.bus_scan
    assert ([d.label for d in view.scan_waiting], view.boards) == (["B03"], ())
    assert not any("bus scan" in a.detail for a in world.audits("note"))
    world.close("B03")
    view = world.poll(tech)
    assert view.scan_waiting == ()
    assert {r.board for r in view.boards if r.answered} == {1}
    assert any("bus scan" in a.detail for a in world.audits("note"))
