"""A locker for flow tests: a cache, a lock bank and a clock moved by hand."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

import pytest

from kiosk.flows.clock import ManualClock
from kiosk.flows.pickup import PickupFlow, PickupSettings, PickupView
from kiosk.flows.ports import (
    Compartment,
    CompartmentState,
    DoorState,
    LockerProfile,
    Parcel,
    ParcelState,
)
from sync.codes import KdfParams, hash_code, new_salt
from tests.flows.memworld import MemBank, MemStore, SimpleConfirmer

# Small scrypt cost: the flows hash the same way, tests just do it faster.
TEST_KDF = KdfParams(n=1024)
LOCKER_ID = "L-MAIN"
COLUMNS = ("A", "B", "C")
SIZES = ("S", "M", "M", "L")


class World:
    def __init__(self) -> None:
        self.clock = ManualClock()
        self.profile = LockerProfile(LOCKER_ID, "Main Street", new_salt(), TEST_KDF)
        self.store = MemStore(self.profile)
        for col, name in enumerate(COLUMNS):
            for row, size in enumerate(SIZES):
                cid = f"{name}{row + 1:02d}"
                self.store.compartments_by_id[cid] = Compartment(
                    cid, col, row, size, CompartmentState.free, accessible=row >= 2)
        self.bank = MemBank(list(self.store.compartments_by_id))
        self.bank.store = self.store
        self._ids = itertools.count(1)

    def add_parcel(self, code: str | None, cid: str | None, *,
                   state: ParcelState = ParcelState.stored, size: str = "M",
                   deadline: datetime | None = None, barcode: str | None = None) -> str:
        pid = f"P{next(self._ids):04d}"
        self.store.parcels[pid] = Parcel(pid, state, size, cid, deadline, barcode)
        if code is not None:
            self.store.hashes[pid] = hash_code(code, self.profile.code_salt, self.profile.kdf)
        if cid is not None and state is ParcelState.stored:
            self.store._set_comp(cid, CompartmentState.occupied)
        return pid

    def pickup(self, **settings: Any) -> PickupFlow:
        return PickupFlow(self.store, self.bank, self.clock, SimpleConfirmer,
                          PickupSettings(**settings))

    def poll(self, flow: Any) -> Any:
        return flow.on_door_states(self.bank.read_states())

    def close(self, cid: str) -> None:
        self.bank.doors[cid] = DoorState.closed

    def open_by_hand(self, cid: str) -> None:
        self.bank.doors[cid] = DoorState.open

    def run(self, flow: Any, seconds: float, step: float = 0.25) -> Any:
        """Let time pass the way the runner does: poll the doors and tick."""
        view = flow.view()
        for _ in range(int(round(seconds / step))):
            self.clock.advance(step)
            self.poll(flow)
            view = flow.tick()
        return view

    def event_types(self) -> list[str]:
        return [e.type for e in self.store.events]

    def parcel_state(self, pid: str) -> ParcelState:
        return self.store.parcels[pid].state

    def compartment_state(self, cid: str) -> CompartmentState:
        return self.store.compartments_by_id[cid].state


@pytest.fixture
def world() -> World:
    return World()


def screen(view: PickupView) -> str:
    return str(view.screen)
