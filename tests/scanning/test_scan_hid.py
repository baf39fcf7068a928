"""Keyboard-wedge scanners: the timing rules, and the /dev/input reader on real
`struct input_event` bytes."""

from __future__ import annotations

import os
import queue
import struct
import time
from pathlib import Path

import pytest

from kiosk.scanning import (
    EvdevScannerSource,
    HidLineAssembler,
    LineKind,
    ScanResult,
    SourceStatus,
    Symbology,
    split_aim_identifier,
)
from kiosk.scanning.evdev_reader import EV_KEY, EVENT_FORMAT, KEYMAP

from .conftest import FakeClock, wait_until


def type_keys(assembler: HidLineAssembler, text: str, start: float, gap: float) -> list:
    out = []
    for i, ch in enumerate(text):
        out += assembler.feed(ch, start + i * gap)
    return out


# --- the assembler (pure, explicit times) ----------------------------------------------


@pytest.mark.unit
def test_scanner_burst_with_enter_is_a_scan() -> None:
    asm = HidLineAssembler(max_gap_s=0.05)
    assert type_keys(asm, "XP1:L1:12345678", start=10.0, gap=0.004) == []
    assert asm.pending == 15
    (line,) = asm.feed("\n", 10.07)
    assert (line.kind, line.text) == (LineKind.SCAN, "XP1:L1:12345678")
    assert line.started_at == 10.0 and asm.pending == 0


@pytest.mark.unit
def test_person_typing_the_same_text_is_not_a_scan() -> None:
    asm = HidLineAssembler(max_gap_s=0.05)
    lines = type_keys(asm, "1234", start=10.0, gap=0.15) + asm.feed("\n", 10.6)
    assert [(line.kind, line.text) for line in lines] == [
        (LineKind.TYPED, "1"),
        (LineKind.TYPED, "2"),
        (LineKind.TYPED, "3"),
        (LineKind.TYPED, "4"),
        (LineKind.TYPED, "\n"),
    ]
    assert all(line.kind is not LineKind.SCAN for line in lines)


@pytest.mark.unit
def test_a_short_fast_burst_is_typing_and_poll_releases_a_lone_key() -> None:
    clock = FakeClock(50.0)
    asm = HidLineAssembler(max_gap_s=0.05, min_length=4, clock=clock)
    assert asm.feed("7") == []
    clock.advance(0.03)
    assert asm.poll() == []  # still deciding
    clock.advance(0.03)
    assert [(x.kind, x.text) for x in asm.poll()] == [(LineKind.TYPED, "7")]
    # Three quick keys then Enter: too short to be a code.
    lines = type_keys(asm, "123", start=clock.now, gap=0.01)
    lines += asm.feed("\r", clock.now + 0.03)
    assert [(x.kind, x.text) for x in lines] == [(LineKind.TYPED, "123\n")]


@pytest.mark.unit
def test_typing_just_before_a_scan_is_kept_apart() -> None:
    asm = HidLineAssembler(max_gap_s=0.05)
    lines = asm.feed("9", 1.0)
    lines += type_keys(asm, "PKG-0001", start=1.5, gap=0.005)
    lines += asm.feed("\n", 1.55)
    assert [(x.kind, x.text) for x in lines] == [
        (LineKind.TYPED, "9"),
        (LineKind.SCAN, "PKG-0001"),
    ]


@pytest.mark.unit
def test_a_pause_inside_a_burst_splits_it() -> None:
    asm = HidLineAssembler(max_gap_s=0.05)
    lines = type_keys(asm, "ABCD", 1.0, 0.005) + type_keys(asm, "EFGH", 1.2, 0.005)
    lines += asm.feed("\n", 1.22)
    # The first half never got its Enter: it is not reported as a code.
    assert [(x.kind, x.text) for x in lines] == [
        (LineKind.TYPED, "ABCD"),
        (LineKind.SCAN, "EFGH"),
    ]


@pytest.mark.unit
def test_scanner_without_enter_suffix() -> None:
    asm = HidLineAssembler(max_gap_s=0.05, require_terminator=False)
    assert type_keys(asm, "0012345678", 3.0, 0.003) == []
    (line,) = asm.poll(3.2)
    assert (line.kind, line.text) == (LineKind.SCAN, "0012345678")


@pytest.mark.unit
def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        HidLineAssembler(max_gap_s=0)
    with pytest.raises(ValueError):
        HidLineAssembler(min_length=0)


@pytest.mark.unit
def test_aim_identifier_split() -> None:
    assert split_aim_identifier("]Q1XP1:L1:1") == (Symbology.QR, "XP1:L1:1")
    assert split_aim_identifier("]C0ABC") == (Symbology.CODE_128, "ABC")
    assert split_aim_identifier("]d2PKG") == (Symbology.DATA_MATRIX, "PKG")
    assert split_aim_identifier("]Z1ABC") == (Symbology.UNKNOWN, "]Z1ABC")
    assert split_aim_identifier("AB") == (Symbology.UNKNOWN, "AB")


# --- the /dev/input reader -------------------------------------------------------------

CODES = {chars[0]: code for code, chars in KEYMAP.items() if chars[0] != "\n"}
SHIFTED = {chars[1]: code for code, chars in KEYMAP.items() if chars[1] != chars[0]}
LEFTSHIFT, ENTER = 42, 28


def key_events(text: str, start: float, gap: float) -> bytes:
    """The bytes a keyboard device node yields when `text` is typed (US layout)."""
    out = bytearray()
    t = start

    def event(code: int, value: int) -> None:
        sec = int(t)
        out.extend(struct.pack(EVENT_FORMAT, sec, int((t - sec) * 1e6), EV_KEY, code, value))
        out.extend(struct.pack(EVENT_FORMAT, sec, int((t - sec) * 1e6), 0, 0, 0))  # SYN

    for ch in text:
        if ch == "\n":
            event(ENTER, 1)
            event(ENTER, 0)
        elif ch in CODES:
            event(CODES[ch], 1)
            event(CODES[ch], 0)
        else:
            event(LEFTSHIFT, 1)
            event(SHIFTED[ch], 1)
            event(SHIFTED[ch], 0)
            event(LEFTSHIFT, 0)
        t += gap
    return bytes(out)


class FakeEventNode:
    """A FIFO where the kernel's event node would be; `plug()` holds it open for writing
    (as the kernel does while the device exists), `unplug()` closes and removes it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = -1

    def plug(self) -> None:
        os.mkfifo(self.path)
        self.fd = os.open(self.path, os.O_RDWR | os.O_NONBLOCK)

    def write(self, data: bytes) -> None:
        os.write(self.fd, data)

    def unplug(self) -> None:
        self.path.unlink()
        os.close(self.fd)
        self.fd = -1


@pytest.mark.integration
def test_evdev_reader_reports_scans_and_passes_typing_on(tmp_path: Path) -> None:
    node = FakeEventNode(tmp_path / "usb-Scanner-event-kbd")
    node.plug()
    scans: queue.Queue[ScanResult] = queue.Queue()
    typed: list[str] = []
    reader = EvdevScannerSource(
        str(node.path), scans.put, grab=False, on_typed=lambda line: typed.append(line.text)
    )
    reader.start()
    try:
        wait_until(lambda: reader.state.status is SourceStatus.RUNNING, what="RUNNING")
        now = time.time()
        node.write(key_events("XP1:LOCKER-42:12345678\n", start=now, gap=0.003))
        result = scans.get(timeout=3)
        assert result.text == "XP1:LOCKER-42:12345678"  # shifted ':' and capitals
        assert (result.symbology, result.source) == (Symbology.UNKNOWN, f"hid:{node.path}")
        # A person at a keyboard plugged into the same port: slow keys, not a scan.
        node.write(key_events("42\n", start=time.time(), gap=0.2))
        wait_until(lambda: "".join(typed) == "42\n", what="typed keys released")
        assert scans.empty()
    finally:
        reader.stop()
        node.unplug()


@pytest.mark.integration
def test_evdev_reader_survives_unplug_and_replug(tmp_path: Path) -> None:
    node = FakeEventNode(tmp_path / "event7")
    node.plug()
    scans: queue.Queue[ScanResult] = queue.Queue()
    reader = EvdevScannerSource(
        str(node.path), scans.put, grab=False, aim_prefix=True, reconnect_s=0.05
    )
    reader.start()
    try:
        wait_until(lambda: reader.state.status is SourceStatus.RUNNING, what="RUNNING")
        node.unplug()
        wait_until(lambda: reader.state.status is SourceStatus.DISCONNECTED, what="DISCONNECTED")
        node.plug()
        wait_until(lambda: reader.state.status is SourceStatus.RUNNING, what="RUNNING again")
        node.write(key_events("]C0JD0146000032785\n", start=time.time(), gap=0.002))
        result = scans.get(timeout=3)
        assert (result.symbology, result.text) == (Symbology.CODE_128, "JD0146000032785")
    finally:
        reader.stop()
        node.unplug()


@pytest.mark.integration
def test_evdev_reader_keeps_reading_when_the_device_cannot_be_grabbed(tmp_path, caplog) -> None:
    node = FakeEventNode(tmp_path / "event9")  # a FIFO refuses EVIOCGRAB like a busy node
    node.plug()
    scans: queue.Queue[ScanResult] = queue.Queue()
    reader = EvdevScannerSource(str(node.path), scans.put, grab=True)
    reader.start()
    try:
        wait_until(lambda: reader.state.status is SourceStatus.RUNNING, what="RUNNING")
        node.write(key_events("PKG-0042\n", start=time.time(), gap=0.002))
        assert scans.get(timeout=3).text == "PKG-0042"
    finally:
        reader.stop()
        node.unplug()
    assert "cannot grab the device" in caplog.text
