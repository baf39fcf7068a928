"""`expresspoint board scan|status|open` against the simulator on TCP, human and JSON."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator

import pytest

from locker_driver import cli
from locker_driver.sim import SimulatedBank
from locker_driver.sim.serve import serve_tcp

pytestmark = pytest.mark.integration


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="expresspoint")
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return int(args.func(args))


@pytest.fixture
def sim() -> Iterator[tuple[SimulatedBank, str]]:
    with SimulatedBank("cu16", 2) as bank:
        url, stop = serve_tcp(bank)
        try:
            yield bank, url
        finally:
            stop()


def test_scan_json(sim: tuple[SimulatedBank, str], capsys: pytest.CaptureFixture[str]) -> None:
    _, url = sim
    argv = ["board", "scan", "--port", url, "--protocol", "cu16", "--timeout", "1.0", "--json"]
    assert run([*argv, "--address", "0", "--address", "1", "--address", "2"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [(b["board"], b["answered"], b["locks"]) for b in found] == [
        (0, True, 16), (1, True, 16)
    ]


def test_status_human(sim: tuple[SimulatedBank, str], capsys: pytest.CaptureFixture[str]) -> None:
    bank, url = sim
    bank.force_open(1, 2)
    bank.set_occupied(1, 3)
    assert run(["board", "status", "--port", url, "--protocol", "cu16", "--board", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["board", "lock", "door", "occupied"]
    assert lines[2].split() == ["1", "2", "open", "no"]
    assert lines[3].split() == ["1", "3", "closed", "yes"]
    assert len(lines) == 17


def test_open_confirms_and_reports(
    sim: tuple[SimulatedBank, str], capsys: pytest.CaptureFixture[str]
) -> None:
    bank, url = sim
    argv = ["board", "open", "--port", url, "--protocol", "cu16", "--board", "0", "--lock", "9"]
    assert run([*argv, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["door_before"], out["unlock"], out["outcome"]) == ("closed", "sent", "opened")
    bank.close_door(0, 9)
    bank.jam(0, 9)
    assert run([*argv, "--confirm-timeout", "0.5"]) == 1
    assert capsys.readouterr().out.strip() == "board 0 lock 9: unlock sent, door jammed"
    assert bank.fired_count(0, 9) == 2


def test_port_errors_are_reported_not_raised(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["board", "status", "--port", "/dev/serial/by-id/nothing", "--protocol", "8a",
                "--board", "1", "--json"])
    assert code == 1
    out = json.loads(capsys.readouterr().out)
    assert out["error"] == "PortUnavailable"
    assert "check the USB cable" in out["message"]


def test_status_says_why_a_board_is_unknown(
    sim: tuple[SimulatedBank, str], capsys: pytest.CaptureFixture[str]
) -> None:
    bank, url = sim
    bank.power(1, False)
    argv = ["board", "status", "--port", url, "--protocol", "cu16", "--board", "0", "--board",
            "1", "--reply-timeout", "0.3", "--json"]
    assert run(argv) == 1
    out = json.loads(capsys.readouterr().out)
    doors = {(row["board"], row["door"]) for row in out["locks"]}
    assert doors == {(0, "closed"), (1, "unknown")}
    assert "check the board's power" in out["errors"]["1"]
