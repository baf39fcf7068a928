"""One registry of board protocols: every place that lists the families agrees with it.

The kiosk config, the CLI, the simulator, the benchmark and the installer all derive
their lists from `locker_driver.protocols`; this test fails the day one of them keeps a
copy of its own (a new family accepted by the driver but refused in kiosk.toml).
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.config import load_config
from locker_driver import PROTOCOLS, cli
from locker_driver.codec import CodecBase
from locker_driver.protocols import CODECS, DEFAULT_LOCKS, codec_for, describe_frame
from locker_driver.sim import SimulatedBank

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "config" / "example.toml"


def test_each_codec_declares_its_family_once() -> None:
    assert tuple(CODECS) == PROTOCOLS
    assert len(set(PROTOCOLS)) == len(PROTOCOLS)
    for name, codec in CODECS.items():
        assert isinstance(codec, CodecBase)
        assert codec.protocol == name and codec_for(name) is codec
        assert 1 <= codec.default_locks <= codec.max_locks
        assert len(codec.boards) >= 1 and codec.default_baudrate > 0
        assert codec.inter_transaction_chars > 0
        assert codec.default_poll_mode in ("per_board", "broadcast")
        if codec.default_poll_mode == "broadcast":
            assert codec.broadcast_status_request() is not None
        # The shared range checks speak the codec's own ranges.
        codec.status_request(codec.boards[-1])
        with pytest.raises(ValueError, match=codec.family):
            codec.status_request(codec.boards.stop)
        with pytest.raises(ValueError, match=codec.family):
            codec.unlock_request(codec.boards[0], codec.max_locks + 1)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_kiosk_toml_naming_the_protocol_is_accepted(tmp_path: Path, protocol: str) -> None:
    board = codec_for(protocol).boards[0]
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace('protocol = "cu16"', f'protocol = "{protocol}"', 1)
    text = text.replace("board = 0\n", f"board = {board}\n")
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    assert config.board.protocol == protocol
    assert config.bank_config().protocol == protocol


def test_the_simulator_and_the_cli_follow_the_registry() -> None:
    for protocol in PROTOCOLS:
        with SimulatedBank(protocol, 1) as sim:
            assert {b.locks for b in sim.boards.values()} == {DEFAULT_LOCKS[protocol]}
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    for command in ("scan", "status", "open", "sim"):
        action = next(
            a for a in _subparser(parser, "board", command)._actions if a.dest == "protocol"
        )
        assert tuple(action.choices or ()) == PROTOCOLS, command


def _subparser(parser: argparse.ArgumentParser, *path: str) -> argparse.ArgumentParser:
    for name in path:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[name]
    return parser


def test_the_benchmark_follows_the_registry() -> None:
    spec = importlib.util.spec_from_file_location("bench_board", REPO / "bench" / "board.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look their module up
    try:
        spec.loader.exec_module(bench)
    finally:
        del sys.modules[spec.name]
    assert tuple(bench.LOCKS) == PROTOCOLS
    assert all(bench.LOCKS[p] == DEFAULT_LOCKS[p] for p in PROTOCOLS)


def test_the_installer_follows_the_registry(tmp_path: Path) -> None:
    def install(protocol: str) -> subprocess.CompletedProcess[str]:
        # --purge without --uninstall is refused after every other option is checked,
        # so nothing is installed: only the protocol check is seen.
        return subprocess.run(
            [str(REPO / "scripts" / "install-appliance"), "--board-protocol", protocol,
             "--root", str(tmp_path), "--purge", "--python", sys.executable],
            capture_output=True, text=True, timeout=60, check=False,
        )

    for protocol in PROTOCOLS:
        run = install(protocol)
        assert "--purge only goes with --uninstall" in run.stderr, (protocol, run.stderr)
    run = install("modbus")
    assert f"--board-protocol: one of {', '.join(PROTOCOLS)}" in run.stderr
    assert list(tmp_path.iterdir()) == []
    listed = subprocess.run([sys.executable, "-m", "locker_driver.protocols"],
                            capture_output=True, text=True, check=True, timeout=60)
    assert tuple(listed.stdout.split()) == PROTOCOLS


def test_frames_are_described_for_the_frame_log() -> None:
    h = bytes.fromhex
    assert describe_frame("cu16", h("02 02 31 03 38"), sent=True) == "unlock board 0 lock 3"
    assert describe_frame("cu16", h("02 F0 32 03 27"), sent=True) == "status of every board"
    assert describe_frame("cu16", h("02 00 35 01 00 01 00 03 3C"), sent=False) == (
        "status of board 0: hook bits set on 1; item present in 1")
    assert describe_frame("8a", h("8A 01 01 11 9B"), sent=False) == (
        "unlock of board 1 lock 1 acknowledged, feedback contact set")
    assert describe_frame("cu48", h("02 00 00 65 07 00 00 00 00 C0 03 31"), sent=False) == (
        "status of board 0: hook bits set on 1, 2, 3, 47, 48")
    assert describe_frame("cu16", h("02 00 35 01 00 01 00 03 3D"), sent=False) == (
        "not a cu16 reply")  # a bad checksum is no status


@pytest.mark.parametrize("protocol", PROTOCOLS)
@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=24), sent=st.booleans())
def test_describing_any_bytes_never_raises(protocol: str, data: bytes, sent: bool) -> None:
    assert describe_frame(protocol, data, sent=sent)
