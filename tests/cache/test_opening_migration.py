"""Upgrading a cache of the release before door openings had their own table.

The earlier release told an opening's outcome and settlement only in audit text; a kiosk
upgraded in the field must carry every opening of its journal over, so the first start
after the upgrade settles exactly what it would have settled before.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from kiosk.flows.cache_store import CacheStore
from kiosk.flows.clock import ManualClock
from kiosk.flows.recovery import StartupRecovery
from sync.cache import ActorKind, Cache, EventType, OpeningOutcome, OpeningSettlement
from sync.cache.engine import make_engines
from sync.cache.migrate import downgrade, upgrade
from tests.cache.cachekit import LAYOUT

pytestmark = pytest.mark.integration

T = "2026-03-01 10:00:00"


def _old_file(path: Path) -> None:
    """A 0004 file as the earlier release wrote it: five openings of four kinds."""
    engines = make_engines(path)
    upgrade(engines, path, target="0004")
    with engines.writer.begin() as conn:
        run = conn.execute
        for cid in ("A01", "A02", "A03", "B01", "B02"):
            run(text("INSERT INTO compartment (id, board, channel, size, \"column\", row, "
                     "state, door, updated_at) VALUES (:c, 1, 1, 'M', 0, 0, 'free', "
                     "'unknown', :t)"), {"c": cid, "t": T})
        seq = 0

        def opening(intent: int, cid: str, reason: str, parcels: list[str],
                    actor: str = "customer") -> None:
            nonlocal seq
            seq += 1
            event = f"00000000-0000-4000-8000-{intent:012d}"
            run(text("INSERT INTO outbox (event_id, seq, type, occurred_at, compartment_id, "
                     "actor_kind, data, created_at, attempts) VALUES (:e, :s, "
                     "'compartment.opened', :t, :c, :a, :d, :t, 0)"),
                {"e": event, "s": seq, "t": T, "c": cid, "a": actor,
                 "d": json.dumps({"reason": reason, "parcel_ids": parcels})})
            run(text("INSERT INTO audit (id, at, kind, actor_kind, compartment_id, event_id, "
                     "detail) VALUES (:i, :t, 'door_open', :a, :c, :e, :d)"),
                {"i": intent, "t": T, "a": actor, "c": cid, "e": event,
                 "d": f"unlock requested: {reason}; parcels {parcels}"})

        def audit(intent: int, kind: str, detail: str) -> None:
            run(text("INSERT INTO audit (id, at, kind, actor_kind, detail) "
                     "VALUES (:i, :t, :k, 'system', :d)"),
                {"i": intent, "t": T, "k": kind, "d": detail})

        def closed(intent: int, cid: str) -> None:
            nonlocal seq
            seq += 1
            run(text("INSERT INTO outbox (event_id, seq, type, occurred_at, compartment_id, "
                     "actor_kind, data, created_at, attempts) VALUES (:e, :s, "
                     "'compartment.closed', :t, :c, 'customer', :d, :t, 0)"),
                {"e": f"10000000-0000-4000-8000-{intent:012d}", "s": seq, "t": T,
                 "c": cid, "d": json.dumps({"intent_id": intent, "open_s": 3.0})})

        opening(1, "A01", "pickup", ["P1"])  # opened, closed, settled before
        audit(2, "door_outcome", "intent 1: opened unlock sent")
        closed(1, "A01")
        audit(3, "note", "recovery: intent 1 settled: closed")
        opening(4, "A02", "deposit", ["P2"], actor="courier")  # opened, never closed
        audit(5, "door_outcome", "intent 4: already_open unlock outcome_unknown")
        opening(6, "A03", "remote command CMD-9: case", [], actor="operator")  # no outcome
        opening(7, "B01", "pickup", ["P3"])  # jammed
        audit(8, "door_outcome", "intent 7: jammed unlock sent")
        opening(9, "B02", "pickup", ["P4"])  # a word this release does not know
        audit(10, "door_outcome", "intent 9: superseded")
        run(text("UPDATE sync_state SET last_event_seq = :s"), {"s": seq})
    engines.dispose()


def test_openings_of_the_journal_are_carried_over(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    _old_file(path)
    with Cache.open(path) as cache:
        with cache.read() as s:
            rows = {r["intent_id"]: r for r in s.execute(
                text("SELECT * FROM door_opening")).mappings()}
        assert sorted(rows) == [1, 4, 6, 7, 9]
        assert rows[1]["outcome"] == "opened" and rows[1]["closed_at"] is not None
        assert rows[1]["settlement"] == "closed"
        assert rows[4]["outcome"] == "already_open" and rows[4]["closed_at"] is None
        assert json.loads(rows[4]["parcel_ids"]) == ["P2"]
        assert rows[4]["actor_kind"] == "courier" and rows[4]["reason"] == "deposit"
        assert rows[6]["outcome"] is None and rows[6]["command_id"] == "CMD-9"
        assert rows[7]["outcome"] == "jammed"
        assert rows[9]["outcome"] is None  # not guessed: an unknown outcome stays unknown

        unsettled = cache.unsettled_openings()
        assert [o.intent_id for o in unsettled] == [4, 6, 7, 9]
        assert unsettled[0].outcome is OpeningOutcome.ALREADY_OPEN
        assert unsettled[0].event_seq > 0


def test_the_first_start_after_the_upgrade_settles_as_before(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    _old_file(path)
    with Cache.open(path) as cache:
        recovery = StartupRecovery(CacheStore(cache), ManualClock())
        # The settled and the jammed openings are finished stories.
        assert sorted(u.intent_id for u in recovery.load()) == [4, 6, 9]
        cache.settle_opening(4, OpeningSettlement.CLOSED)
        assert [o.intent_id for o in cache.unsettled_openings()] == [6, 7, 9]


def test_the_new_table_can_be_rolled_back(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    _old_file(path)
    Cache.open(path).close()
    engines = make_engines(path)
    try:
        downgrade(engines, "0004")
        with engines.reader.connect() as conn:
            tables = {r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            assert "door_opening" not in tables
            assert conn.exec_driver_sql("SELECT count(*) FROM audit").scalar() == 10
    finally:
        engines.dispose()
    with Cache.open(path) as cache:  # and upgraded again, carried over again
        assert [o.intent_id for o in cache.unsettled_openings()] == [4, 6, 7, 9]


def test_a_new_opening_is_told_in_columns(tmp_path: Path) -> None:
    with Cache.open(tmp_path / "cache.db") as cache:
        cache.replace_layout(LAYOUT)
        intent = cache.record_open_intent("A02", ["P1"], ActorKind.OPERATOR, None, "remote",
                                          command_id="CMD-1")
        [opening] = cache.unsettled_openings()
        assert (opening.intent_id, opening.outcome, opening.closed_at) == (intent, None, None)
        cache.record_open_outcome(intent, OpeningOutcome.OPENED, "unlock sent")
        cache.record_event(EventType.COMPARTMENT_CLOSED, compartment_id="A02",
                           data={"intent_id": intent, "open_s": 2.0})
        [opening] = cache.unsettled_openings()
        assert opening.outcome is OpeningOutcome.OPENED and opening.closed_at is not None
        cache.settle_opening(intent, OpeningSettlement.CLOSED)
        assert cache.unsettled_openings() == []
        with pytest.raises(ValueError):
            cache.record_open_outcome(intent, "opened-ish")  # refused, never stored
