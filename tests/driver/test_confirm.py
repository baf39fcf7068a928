"""Open confirmation and door-event detection, driven by an explicit clock."""

from __future__ import annotations

import pytest

from locker_driver import (
    CompartmentReading,
    DoorEvent,
    DoorEventKind,
    DoorMonitor,
    DoorState,
    OpenConfirmer,
    OpenOutcome,
)

pytestmark = pytest.mark.unit

OPEN, CLOSED, UNKNOWN = DoorState.OPEN, DoorState.CLOSED, DoorState.UNKNOWN


def r(door: DoorState) -> CompartmentReading:
    return CompartmentReading(door, None)


class TestOpenConfirmer:
    def test_opened(self) -> None:
        c = OpenConfirmer(CLOSED, started_at=100.0, timeout_s=10)
        assert c.update(CLOSED, 100.5) is None
        assert c.update(OPEN, 101.0) is OpenOutcome.OPENED
        assert c.update(CLOSED, 102.0) is OpenOutcome.OPENED  # settled

    def test_already_open(self) -> None:
        assert OpenConfirmer(OPEN, 0.0, 10).update(OPEN, 0.5) is OpenOutcome.ALREADY_OPEN

    def test_jammed_after_timeout(self) -> None:
        c = OpenConfirmer(CLOSED, 0.0, 10)
        assert c.update(CLOSED, 9.9) is None
        assert c.update(CLOSED, 10.0) is OpenOutcome.JAMMED
        assert c.door_was_read

    def test_unreadable_door_is_not_a_success(self) -> None:
        c = OpenConfirmer(UNKNOWN, 0.0, 5)
        assert c.update(UNKNOWN, 1.0) is None
        assert c.update(UNKNOWN, 5.0) is OpenOutcome.JAMMED
        assert not c.door_was_read

    def test_unknown_before_then_open(self) -> None:
        assert OpenConfirmer(UNKNOWN, 0.0, 5).update(OPEN, 1.0) is OpenOutcome.OPENED


class TestDoorMonitor:
    def test_commanded_then_forced(self) -> None:
        m = DoorMonitor(command_window_s=15)
        assert m.update({"A01": r(CLOSED), "A02": r(CLOSED)}, 0.0) == []
        m.expect_open("A01", 1.0)
        assert m.update({"A01": r(OPEN), "A02": r(OPEN)}, 1.5) == [
            DoorEvent(DoorEventKind.OPENED, "A01", 1.5),
            DoorEvent(DoorEventKind.FORCED_OPEN, "A02", 1.5),
        ]
        assert m.update({"A01": r(CLOSED), "A02": r(OPEN)}, 30.0) == [
            DoorEvent(DoorEventKind.CLOSED, "A01", 30.0)
        ]
        assert m.open_since() == {"A02": 1.5}

    def test_a_command_is_used_once_and_expires(self) -> None:
        m = DoorMonitor(command_window_s=15)
        m.update({"A01": r(CLOSED)}, 0.0)
        m.expect_open("A01", 0.0)
        m.update({"A01": r(OPEN)}, 1.0)
        m.update({"A01": r(CLOSED)}, 2.0)
        events = m.update({"A01": r(OPEN)}, 3.0)
        assert [e.kind for e in events] == [DoorEventKind.FORCED_OPEN]
        m.update({"A01": r(CLOSED)}, 4.0)
        m.expect_open("A01", 5.0)
        events = m.update({"A01": r(OPEN)}, 21.0)  # 16 s later: too late to be ours
        assert [e.kind for e in events] == [DoorEventKind.FORCED_OPEN]

    def test_unknown_readings_keep_the_last_known_state(self) -> None:
        m = DoorMonitor()
        m.update({"A01": r(CLOSED)}, 0.0)
        assert m.update({"A01": r(UNKNOWN)}, 1.0) == []
        assert m.state("A01") is CLOSED
        events = m.update({"A01": r(OPEN)}, 2.0)
        assert [e.kind for e in events] == [DoorEventKind.FORCED_OPEN]

    def test_first_reading_open_is_not_an_alarm_but_a_commanded_one_counts(self) -> None:
        m = DoorMonitor()
        assert m.update({"A01": r(OPEN)}, 0.0) == []
        m.expect_open("A02", 0.0)
        assert m.update({"A02": r(OPEN)}, 0.5) == [DoorEvent(DoorEventKind.OPENED, "A02", 0.5)]
