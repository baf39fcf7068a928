"""The start-up recovery's rules one by one, on a real cache file, for the cases the
process harness does not reach: a cancelled deposit, a collection cut short, a board
that does not answer at start, a second start, remote commands left running."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.flows.cache_store import CacheStore
from kiosk.flows.clock import ManualClock
from kiosk.flows.recovery import Settlement, StartupRecovery
from locker_driver import CompartmentReading, DoorState
from sync import cache as c
from tests.cache.cachekit import LAYOUT, add_parcel

pytestmark = pytest.mark.unit


def Reading(door: str, occupied: bool | None = None) -> CompartmentReading:  # noqa: N802
    """A poll's reading of one door, as the driver hands it over."""
    return CompartmentReading(DoorState(door), occupied)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[c.Cache]:
    with c.Cache.open(tmp_path / "cache.db") as cache:
        cache.replace_layout(LAYOUT)
        yield cache


def _start(cache: c.Cache, clock: ManualClock | None = None) -> StartupRecovery:
    recovery = StartupRecovery(CacheStore(cache), clock or ManualClock(),
                               left_open_alarm_s=180.0)
    recovery.load()
    return recovery


def _events(cache: c.Cache, type: c.EventType) -> list[c.OutboxEvent]:
    from sqlmodel import select

    with cache.read() as s:
        return list(s.exec(select(c.OutboxEvent).where(c.OutboxEvent.type == type)))


def _alarms(cache: c.Cache) -> list[str]:
    return [a.detail for a in cache.recent_audit(1000) if a.kind == c.AuditKind.ALARM]


def test_a_cancelled_deposit_is_not_recorded_after_a_restart(cache: c.Cache) -> None:
    add_parcel(cache, "P1", None, state=c.ParcelState.EXPECTED, compartment_id=None)
    intent = cache.record_open_intent("A02", ["P1"], c.ActorKind.COURIER, "C1", "deposit")
    cache.record_open_outcome(intent, "opened")
    cache.record_event(c.EventType.PARCEL_DEPOSIT_FAILED, parcel_id="P1",
                       actor_kind=c.ActorKind.COURIER, actor_id="C1",
                       data={"reason": "cancelled by courier"})
    recovery = _start(cache)
    recovery.on_door_states({"A02": Reading("closed")})
    assert recovery.report.settled == {intent: Settlement.CLOSED}
    assert cache.parcel("P1").state == c.ParcelState.EXPECTED  # type: ignore[union-attr]
    assert cache.compartment("A02").state == c.CompartmentState.FREE
    assert len(_events(cache, c.EventType.COMPARTMENT_CLOSED)) == 1


def test_a_collection_cut_short_is_left_to_the_courier_and_raised(cache: c.Cache) -> None:
    add_parcel(cache, "P1", None, state=c.ParcelState.EXPIRED, compartment_id="A02")
    intent = cache.record_open_intent("A02", ["P1"], c.ActorKind.COURIER, "C1", "collect")
    cache.record_open_outcome(intent, "opened")
    recovery = _start(cache)
    recovery.on_door_states({"A02": Reading("closed")})
    assert recovery.report.settled == {intent: Settlement.COLLECT_INTERRUPTED}
    assert cache.parcel("P1").state == c.ParcelState.EXPIRED  # type: ignore[union-attr]
    assert any("collection of ['P1'] cut short" in a for a in _alarms(cache))


def test_nothing_is_decided_while_the_door_reads_unknown(cache: c.Cache) -> None:
    add_parcel(cache, "P1", None, compartment_id="A02")
    intent = cache.record_open_intent("A02", ["P1"], c.ActorKind.CUSTOMER, None, "pickup")
    recovery = _start(cache)
    recovery.on_door_states({"A02": Reading("unknown")})
    assert list(recovery.pending) == ["A02"]
    recovery.on_door_states({"A02": Reading("open")})  # the board is back: it opened
    assert cache.parcel("P1").state == c.ParcelState.PICKED_UP  # type: ignore[union-attr]
    recovery.on_door_states({"A02": Reading("closed")})
    assert recovery.report.settled == {intent: Settlement.PICKED_UP}
    assert recovery.pending == {}


def test_an_unconfirmed_opening_is_settled_once_and_checked_against_occupancy(
        cache: c.Cache) -> None:
    add_parcel(cache, "P1", None, compartment_id="A02")
    intent = cache.record_open_intent("A02", ["P1"], c.ActorKind.CUSTOMER, None, "pickup")
    recovery = _start(cache)
    recovery.on_door_states({"A02": Reading("closed", occupied=False)})
    assert recovery.report.settled == {intent: Settlement.UNCONFIRMED}
    assert cache.parcel("P1").state == c.ParcelState.STORED  # type: ignore[union-attr]
    assert any("reads empty but the cache says occupied" in a for a in _alarms(cache))
    again = _start(cache)  # the next start finds nothing left to settle
    assert again.pending == {}
    again.on_door_states({"A02": Reading("closed")})
    assert again.report.settled == {}


def test_remote_commands_left_running_are_finished_never_rerun(cache: c.Cache) -> None:
    with cache.write() as s:
        for cid in ("CMD-1", "CMD-2", "CMD-3"):
            s.add(c.Command(command_id=cid, type="open_compartment", compartment_id="A03",
                            reason="case", status=c.LocalCommandStatus.RUNNING,
                            received_at=cache.clock()))
    # CMD-1 died before its intent; CMD-2's door was seen open; CMD-3's door is in doubt.
    two = cache.record_open_intent("B01", [], c.ActorKind.OPERATOR, None,
                                   "remote command CMD-2: case", command_id="CMD-2")
    cache.record_open_outcome(two, "opened")
    three = cache.record_open_intent("A03", [], c.ActorKind.OPERATOR, None,
                                     "remote command CMD-3: case", command_id="CMD-3")
    recovery = _start(cache)
    done = {e.data for e in _events(cache, c.EventType.COMMAND_COMPLETED)}
    failed = {e.data for e in _events(cache, c.EventType.COMMAND_FAILED)}
    assert any("CMD-2" in d for d in done) and any("CMD-1" in d for d in failed)
    assert not any("CMD-3" in d for d in done | failed)  # waits for its door
    recovery.on_door_states({"A03": Reading("open"), "B01": Reading("closed")})
    assert any("CMD-3" in e.data for e in _events(cache, c.EventType.COMMAND_COMPLETED))
    assert list(recovery.pending) == ["A03"]  # followed to its close
    recovery.on_door_states({"A03": Reading("closed")})
    assert recovery.report.settled == {two: Settlement.CLOSED, three: Settlement.CLOSED}
    with cache.read() as s:
        from sqlmodel import select

        statuses = {cmd.status for cmd in s.exec(select(c.Command))}
    assert statuses <= {c.LocalCommandStatus.DONE, c.LocalCommandStatus.FAILED}


def test_a_followed_door_left_open_raises_the_alarm_once(cache: c.Cache) -> None:
    add_parcel(cache, "P1", None, compartment_id="A02")
    intent = cache.record_open_intent("A02", ["P1"], c.ActorKind.CUSTOMER, None, "pickup")
    cache.record_open_outcome(intent, "opened")
    clock = ManualClock()
    recovery = _start(cache, clock)
    for _ in range(5):  # a poll a minute
        recovery.on_door_states({"A02": Reading("open")})
        clock.advance(60)
    alarms = _events(cache, c.EventType.COMPARTMENT_LEFT_OPEN)
    assert len(alarms) == 1 and json.loads(alarms[0].data)["after_restart"] is True
    assert cache.parcel("P1").state == c.ParcelState.PICKED_UP  # type: ignore[union-attr]
    recovery.on_door_states({"A02": Reading("closed")})
    assert recovery.report.settled == {intent: Settlement.PICKED_UP}
