"""A locker for flow tests: the real cache on a SQLite file, a lock bank, and a clock
moved by hand."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from contract.codes import KdfParams, hash_code, hash_secret, new_salt
from kiosk.flows.cache_store import CacheStore
from kiosk.flows.clock import ManualClock
from kiosk.flows.pickup import PickupFlow, PickupSettings, PickupView
from kiosk.flows.ports import CompartmentState, ParcelState
from locker_driver import OpenConfirmer
from sync import cache as c
from tests.flows.simlocker import SimLocker

# Small scrypt cost: the flows hash the same way, tests just do it faster.
TEST_KDF = KdfParams(n=1024)
LOCKER_ID = "L-MAIN"
COLUMNS = ("A", "B", "C")
SIZES = ("S", "M", "M", "L")
ACCESSIBLE_ROWS = (3, 4)  # rows are numbered from 1 at the top


class World:
    def __init__(self, path: Path, protocol: str = "8a") -> None:
        self.clock = ManualClock()
        self.salt = new_salt()
        self.cache = c.Cache.open(path, clock=self.clock.now)
        with self.cache.write() as s:
            st = s.get(c.models.SyncState, 1) or c.models.SyncState(id=1)
            st.locker_id, st.locker_name, st.code_salt = LOCKER_ID, "Main Street", self.salt
            st.code_kdf = json.dumps(TEST_KDF.as_profile())
            s.add(st)
        specs = [
            c.CompartmentSpec(f"{name}{row:02d}", 1, col * len(SIZES) + row, size, col, row)
            for col, name in enumerate(COLUMNS)
            for row, size in enumerate(SIZES, start=1)
        ]
        self.cache.replace_layout(specs)
        self.ids = [spec.id for spec in specs]
        accessible = [s.id for s in specs if s.row in ACCESSIBLE_ROWS]
        self.other_lockers: dict[str, str] = {}
        self.store = CacheStore(self.cache, accessible=accessible,
                                other_lockers=self.other_lockers)
        self.bank = SimLocker(self.ids, path.with_name("ttyLOCK0"), protocol)
        self.intents_at_unlock: list[int] = []
        self.bank.on_unlock = lambda cid: self.intents_at_unlock.append(
            len(self.audits("door_open")))
        self._ids = itertools.count(1)

    # -- arranging ---------------------------------------------------------------------

    def add_parcel(self, code: str | None, cid: str | None, *,
                   state: ParcelState = ParcelState.STORED, size: str = "M",
                   deadline: datetime | None = None, barcode: str | None = None,
                   accessible: bool = False) -> str:
        pid = f"P{next(self._ids):04d}"
        with self.cache.write() as s:
            s.add(c.Parcel(
                parcel_id=pid, order_ref=f"ORD-{pid}", state=c.ParcelState(state),
                size=size, compartment_id=cid, pickup_deadline=deadline, barcode=barcode,
                accessible=accessible,
                pickup_code_hash=hash_code(code, self.salt, TEST_KDF) if code else None,
                version=1,
            ))
            if cid is not None and state in (ParcelState.STORED, ParcelState.EXPIRED,
                                             ParcelState.CANCELLED):
                comp = s.get(c.Compartment, cid)
                comp.state = c.CompartmentState.OCCUPIED
                s.add(comp)
        return pid

    def add_courier(self, courier_id: str, pin: str | None = None, badge: str | None = None,
                    *, active: bool = True) -> None:
        with self.cache.write() as s:
            s.add(c.Courier(
                courier_id=courier_id, name=f"Courier {courier_id}", active=active,
                pin_hash=hash_secret(pin, self.salt, TEST_KDF) if pin else None,
                badge_hash=hash_secret(badge, self.salt, TEST_KDF) if badge else None,
            ))

    def add_command(self, command_id: str, type: str, compartment_id: str | None = None,
                    expires_at: datetime | None = None) -> None:
        with self.cache.write() as s:
            s.add(c.Command(command_id=command_id, type=type, compartment_id=compartment_id,
                            reason="support case", expires_at=expires_at,
                            received_at=self.clock.now()))

    def set_compartment(self, cid: str, state: CompartmentState) -> None:
        with self.cache.write() as s:
            comp = s.get(c.Compartment, cid)
            comp.state = c.CompartmentState(state)
            s.add(comp)

    def pickup(self, **settings: Any) -> PickupFlow:
        return PickupFlow(self.store, self.bank, self.clock, OpenConfirmer,
                          PickupSettings(**settings))

    # -- acting ------------------------------------------------------------------------

    def poll(self, flow: Any) -> Any:
        return flow.on_door_states(self.bank.read_states())

    def close(self, cid: str) -> None:
        self.bank.close(cid)

    def open_by_hand(self, cid: str) -> None:
        self.bank.open_by_hand(cid)

    def run(self, flow: Any, seconds: float, step: float = 0.25) -> Any:
        """Let time pass the way the runner does: poll the doors and tick."""
        view = flow.view()
        for _ in range(int(round(seconds / step))):
            self.clock.advance(step)
            self.poll(flow)
            view = flow.tick()
        return view

    # -- looking -----------------------------------------------------------------------

    def events(self) -> list[c.OutboxEvent]:
        with self.cache.read() as s:
            return list(s.exec(select(c.OutboxEvent).order_by(col(c.OutboxEvent.seq))))

    def event_types(self) -> list[str]:
        return [str(e.type) for e in self.events()]

    def event_data(self, event_type: str) -> list[dict[str, Any]]:
        return [json.loads(e.data) for e in self.events() if str(e.type) == event_type]

    def audits(self, kind: str | None = None) -> list[c.AuditEntry]:
        rows = list(reversed(self.cache.recent_audit(10_000)))
        return [r for r in rows if kind is None or str(r.kind) == kind]

    def everything_written(self) -> str:
        return repr(self.events()) + repr(self.audits())

    def open_reasons(self) -> list[str]:
        return [d["reason"] for d in self.event_data("compartment.opened")]

    def parcel_state(self, pid: str) -> ParcelState:
        row = self.cache.parcel(pid)
        assert row is not None
        return row.state

    def compartment_state(self, cid: str) -> CompartmentState:
        return self.cache.compartment(cid).state


@pytest.fixture
def world(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[World]:
    """Parametrize indirectly with a board protocol ("cu16" has occupancy sensors)."""
    w = World(tmp_path / "cache.db", getattr(request, "param", "8a"))
    yield w
    w.bank.shutdown()
    w.cache.close()


def screen(view: PickupView) -> str:
    return str(view.screen)


def courier_flow(world: World, *, limiter: Any = None, **settings: Any) -> Any:
    from kiosk.flows.courier import CourierFlow, CourierSettings

    return CourierFlow(world.store, world.bank, world.clock, OpenConfirmer,
                       CourierSettings(**settings), limiter=limiter)


def technician_flow(world: World, *, limiter: Any = None, **settings: Any) -> Any:
    from kiosk.flows.technician import TechnicianFlow, TechnicianSettings

    return TechnicianFlow(world.store, world.bank, world.bank.bank, world.clock,
                          OpenConfirmer, TechnicianSettings(**settings), limiter=limiter)
