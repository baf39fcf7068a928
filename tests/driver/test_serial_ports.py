"""The driver through real serial paths: a pty (pyserial's serialposix) and socket://
(the path of a Kerong BU Ethernet bridge), against the simulator running as a separate
process or in a background thread. Timeouts are generous: nothing here depends on how
fast the machine is."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from locker_driver import (
    DoorEventKind,
    DoorMonitor,
    DoorState,
    LockerBank,
    OpenConfirmer,
    OpenOutcome,
    PortBusy,
    PortUnavailable,
    ReconnectPolicy,
    Timeouts,
    UnlockResult,
)
from locker_driver.sim import SimulatedBank
from locker_driver.sim.process import SimProcess, SimProcessError
from locker_driver.sim.serve import PtyServer, serve_pty, serve_tcp

from .conftest import GENEROUS, config_for

pytestmark = pytest.mark.integration


def wait_outcome(bank: LockerBank, cid: str, before: DoorState) -> OpenOutcome:
    confirmer = OpenConfirmer(before, started_at=0.0, timeout_s=5.0)
    for tick in range(1, 10):
        outcome = confirmer.update(bank.read_states([cid])[cid].door, float(tick))
        if outcome:
            return outcome
    raise AssertionError("no outcome")


def test_simulator_process_on_a_pty() -> None:
    with SimProcess("cu16", boards=2) as sim:
        assert sim.port.startswith("/dev/")
        model = SimulatedBank("cu16", 2)  # only for the layout
        config = config_for(model, sim.port, timeouts=GENEROUS)
        monitor = DoorMonitor()
        with LockerBank.open(config) as bank:
            assert monitor.update(bank.read_states(), 0.0) == []
            monitor.expect_open("B1-L07", 1.0)
            assert bank.unlock("B1-L07") is UnlockResult.SENT
            assert wait_outcome(bank, "B1-L07", DoorState.CLOSED) is OpenOutcome.OPENED
            sim.command("open 0 2")  # somebody forces a door
            sim.command("occupy 1 7")
            readings = bank.read_states()
            events = {(e.kind, e.compartment_id) for e in monitor.update(readings, 2.0)}
            assert events == {
                (DoorEventKind.OPENED, "B1-L07"),
                (DoorEventKind.FORCED_OPEN, "B0-L02"),
            }
            assert readings["B1-L07"].occupied is True
            sim.command("close 1 7")
            assert bank.read_states(["B1-L07"])["B1-L07"].door is DoorState.CLOSED
            # A second owner of the same tty is refused.
            with pytest.raises(PortBusy):
                LockerBank.open(config)
        assert sim.state()["boards"]["1"]["fired"] == {"7": 1}
        model.close()


def test_simulator_process_on_tcp_like_a_bu_bridge() -> None:
    with SimProcess("8a", boards=2, tcp=True) as sim:
        assert sim.port.startswith("socket://127.0.0.1:")
        model = SimulatedBank("8a", 2)
        with LockerBank.open(config_for(model, sim.port, timeouts=GENEROUS)) as bank:
            sim.command("jam 2 4")
            assert bank.unlock("B2-L04") is UnlockResult.SENT
            assert wait_outcome(bank, "B2-L04", DoorState.CLOSED) is OpenOutcome.JAMMED
            assert bank.unlock("B1-L01") is UnlockResult.SENT
            assert bank.read_states(["B1-L01"])["B1-L01"].door is DoorState.OPEN
        model.close()


def test_faults_over_a_real_pty() -> None:
    with SimProcess("cu16", boards=2) as sim:
        model = SimulatedBank("cu16", 2)
        # Still hundreds of times the simulator's answer time, but silent boards cost less.
        timeouts = Timeouts(reply_s=1.0, quiet_gap_s=0.05, inter_transaction_s=0.0)
        with LockerBank.open(config_for(model, sim.port, timeouts=timeouts)) as bank:
            sim.command("open 1 3")
            for kind in ("split_reply", "echo", "garbage", "corrupt_checksum"):
                sim.command(f"inject {kind} 1 1")
                door = bank.read_states(["B1-L03"])["B1-L03"].door
                assert door is DoorState.OPEN, kind
            sim.command("inject no_reply 1 1")
            assert bank.read_states(["B1-L03"])["B1-L03"].door is DoorState.UNKNOWN
            sim.command("power 0 off")
            readings = bank.read_states()
            assert readings["B0-L01"].door is DoorState.UNKNOWN
            assert readings["B1-L03"].door is DoorState.OPEN
            sim.command("power 0 on")
            assert bank.read_states()["B0-L01"].door is DoorState.CLOSED
            assert any(r.note == "echo" for r in bank.frame_log())
        with pytest.raises(SimProcessError, match="unknown fault"):
            sim.command("inject lightning")
        model.close()


def test_usb_unplug_and_replug_behind_a_stable_link(tmp_path: Path) -> None:
    link = tmp_path / "usb-FTDI_FT232R-if00-port0"
    with SimProcess("cu48", boards=1, link=link) as sim:
        assert sim.port == str(link)
        model = SimulatedBank("cu48", 1)
        config = config_for(
            model, sim.port, timeouts=GENEROUS,
            reconnect=ReconnectPolicy(interval_s=0.0, attempts=5, cooldown_s=0.0),
        )
        with LockerBank.open(config) as bank:
            assert bank.read_states(["B0-L01"])["B0-L01"].door is DoorState.CLOSED
            sim.command("unplug")
            assert bank.read_states(["B0-L01"])["B0-L01"].door is DoorState.UNKNOWN
            report = bank.unlock_report("B0-L01")
            assert report.result is UnlockResult.NOT_SENT
            assert isinstance(report.error, PortUnavailable)
            sim.command("replug")
            assert bank.read_states(["B0-L01"])["B0-L01"].door is DoorState.CLOSED
            assert bank.port_status().reconnects == 1
        assert sim.state()["boards"]["0"]["fired"] == {}
        model.close()


def test_in_process_bank_served_on_a_pty_for_ui_tests() -> None:
    with SimulatedBank("cu16", 1) as model:
        port, stop = serve_pty(model)
        try:
            with LockerBank.open(config_for(model, port, timeouts=GENEROUS)) as bank:
                model.set_occupied(0, 2)
                assert bank.unlock("B0-L02") is UnlockResult.SENT
                assert model.door_open(0, 2)
                model.close_door(0, 2)
                reading = bank.read_states(["B0-L02"])["B0-L02"]
                assert (reading.door, reading.occupied) == (DoorState.CLOSED, True)
        finally:
            stop()


def test_paced_pty_delivers_the_same_answers() -> None:
    with SimulatedBank("8a", 2) as model, PtyServer(model, pace=True) as server:
        server.start()
        with LockerBank.open(config_for(model, server.port, timeouts=GENEROUS)) as bank:
            assert bank.unlock("B2-L24") is UnlockResult.SENT
            readings = bank.read_states()
            assert readings["B2-L24"].door is DoorState.OPEN
            assert readings["B1-L24"].door is DoorState.CLOSED
            assert all(s.last_latency_s and s.last_latency_s > 0.005 for s in bank.stats().values())


def test_in_process_bank_served_on_tcp() -> None:
    with SimulatedBank("cu48", 2) as model:
        url, stop = serve_tcp(model)
        try:
            with LockerBank.open(config_for(model, url, timeouts=GENEROUS)) as bank:
                assert bank.unlock("B1-L40") is UnlockResult.SENT
                assert bank.read_states(["B1-L40"])["B1-L40"].door is DoorState.OPEN
                found = bank.scan(range(0, 3), timeout_s=1.0)
                assert [b.board for b in found if b.answered] == [0, 1]
        finally:
            stop()


def test_control_socket(tmp_path: Path) -> None:
    control = tmp_path / "sim.sock"
    with SimProcess("cu16", boards=1, extra_args=["--control", str(control)]) as sim:
        sim.command("state")  # the process is up and answering
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(10)
            s.connect(str(control))
            s.sendall(b"open 0 5\nfired 0 5\nbogus\n")
            data = b""
            while data.count(b"\n") < 3:
                data += s.recv(4096)
        assert data.decode().splitlines() == [
            "ok", "ok 0", "error unknown command 'bogus'; try 'help'"
        ]
        assert sim.state()["boards"]["0"]["open"] == [5]
