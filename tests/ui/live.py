"""A whole kiosk for UI tests: the real cache on a SQLite file, the simulated lock bank
served on a real pseudo-terminal and driven by the real driver, the pickup flow on its
FlowRunner thread, and the Qt window. Only the flow's clock is held by hand, so timeouts
are reached by advancing it rather than by sleeping.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from contract.codes import KdfParams, hash_code, hash_secret, make_pin_record, new_salt
from kiosk.flows.assembly import FlowSettings, KioskFlows
from kiosk.flows.clock import ManualClock
from kiosk.flows.courier import CourierSettings
from kiosk.flows.pickup import PickupSettings
from kiosk.flows.ports import ParcelState
from kiosk.flows.technician import TechnicianSettings
from kiosk.ui.actions import RunnerActions
from kiosk.ui.app import build_main_window
from kiosk.ui.bridge import ViewBridge
from kiosk.ui.main_window import MainWindow
from kiosk.ui.modes import KioskModes
from kiosk.ui.settings import UiSettings
from locker_driver import (
    BankConfig,
    LockAddress,
    LockerBank,
    ReconnectPolicy,
    Timeouts,
)
from locker_driver.sim.model import SimulatedBank
from locker_driver.sim.serve import PtyServer
from sync import cache as c

# A small scrypt cost keeps the tests quick; the flow hashes exactly as in production.
TEST_KDF = KdfParams(n=1024)
LOCKER_ID = "L-MAIN"
SUPPORT = "+1 555 0100"
COLUMNS = ("A", "B", "C")
SIZES = ("S", "M", "M", "L")
COURIER_ID, COURIER_PIN, COURIER_BADGE = "1001", "2468", "XPB-1001-TEST"
TECH_ID, TECH_PIN = "T01", "908172"


# How long a live test waits at most for the flow runner's thread: it returns as soon as
# the screen is there, so a generous bound costs nothing and keeps a loaded box (two
# test workers, other processes) from failing a test that only waited its turn.
WAIT_MS = 30_000


class LiveKiosk:
    def __init__(self, tmp_path: Path, frame_source: Any = None, *, protocol: str = "8a",
                 **flow_settings: Any) -> None:
        """`protocol`: "8a" acknowledges unlocks; "cu16" reports occupancy sensors."""
        self.clock = ManualClock()
        self.salt = new_salt()
        self.cache = c.Cache.open(tmp_path / "cache.db", clock=self.clock.now)
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
        self.other_lockers: dict[str, str] = {"L-0042": "Central Station, hall B"}

        # The simulated board answers on a pty; the real driver opens the pty path.
        self.sim = SimulatedBank(protocol, 1)
        self.board = next(iter(self.sim.boards))
        self.pty = PtyServer(self.sim).start()
        self.lock = {spec.id: LockAddress(self.board, n) for n, spec in enumerate(specs, 1)}
        self.bank = LockerBank.open(BankConfig(
            port_url=self.pty.port, protocol=protocol, compartments=self.lock,
            timeouts=Timeouts(reply_s=0.2, quiet_gap_s=0.005, late_reply_guard_s=0.01,
                              inter_transaction_s=0.0),
            reconnect=ReconnectPolicy(interval_s=0.05, attempts=1, cooldown_s=0.0),
        ))
        settings = {"support_contact": SUPPORT, "poll_interval_s": 0.05,
                    "idle_poll_interval_s": 0.1, **flow_settings}
        tech_record = make_pin_record(TECH_PIN, TEST_KDF)
        self.sync_requests: list[bool] = []
        self.bridge = ViewBridge()
        # The flows wired exactly as the app wires them, on the hand-held clock.
        self.flows = KioskFlows(
            self.cache, self.bank, self.bridge.deliver,
            FlowSettings(
                pickup=PickupSettings(**settings),
                courier=CourierSettings(poll_interval_s=0.05, idle_poll_interval_s=0.1),
                technician=TechnicianSettings(
                    technicians=((TECH_ID, tech_record),), poll_interval_s=0.05,
                    idle_poll_interval_s=0.1, scan_addresses=(self.board,),
                    scan_timeout_s=0.2),
                tick_s=0.05,
            ),
            other_lockers=self.other_lockers, clock=self.clock,
            request_sync=lambda: self.sync_requests.append(True),
        )
        self.flow = self.flows.pickup
        self.runner = self.flows.runner
        self.actions = RunnerActions(self.runner, self.flow)
        self.modes = KioskModes.for_flows(self.flows)
        (tmp_path / "usb").mkdir(exist_ok=True)  # a mounted USB stick for "export"
        self.window: MainWindow = build_main_window(
            self.actions,
            UiSettings(fullscreen=False, hide_cursor=False, technician_ids=(TECH_ID,),
                       export_dir=str(tmp_path / "usb")),
            frame_source=frame_source, bridge=self.bridge, modes=self.modes,
        )
        with self.cache.write() as s:
            s.add(c.Courier(courier_id=COURIER_ID, name="Demo Courier", active=True,
                            pin_hash=hash_secret(COURIER_PIN, self.salt, TEST_KDF),
                            badge_hash=hash_secret(COURIER_BADGE, self.salt, TEST_KDF)))
        self._next_parcel = 1

    def start(self) -> LiveKiosk:
        self.flows.start()
        return self

    def stop(self) -> None:
        self.flows.stop()
        self.bank.close()
        self.pty.unplug()
        self.cache.close()

    # -- the world -----------------------------------------------------------------
    def announce(self, barcode: str, size: str = "M") -> str:
        """A parcel the central service announced for this locker (to be deposited)."""
        pid = f"P{self._next_parcel:04d}"
        self._next_parcel += 1
        with self.cache.write() as s:
            s.add(c.Parcel(parcel_id=pid, order_ref=f"ORD-{pid}", state=c.ParcelState.EXPECTED,
                           size=size, barcode=barcode, version=1))
        return pid

    def add_parcel(self, code: str, cid: str, state: ParcelState = ParcelState.STORED,
                   **extra: Any) -> str:
        pid = f"P{self._next_parcel:04d}"
        self._next_parcel += 1
        with self.cache.write() as s:
            s.add(c.Parcel(
                parcel_id=pid, order_ref=f"ORD-{pid}", state=c.ParcelState(state),
                size="M", compartment_id=cid, pickup_code_hash=hash_code(code, self.salt,
                                                                         TEST_KDF),
                version=1, **extra,
            ))
            if state is ParcelState.STORED:
                comp = s.get(c.Compartment, cid)
                comp.state = c.CompartmentState.OCCUPIED
                s.add(comp)
        return pid

    def close_door(self, cid: str) -> None:
        self.sim.close_door(self.board, self.lock[cid].lock)

    def door_is_open(self, cid: str) -> bool:
        return self.sim.door_open(self.board, self.lock[cid].lock)

    def jam(self, cid: str) -> None:
        self.sim.jam(self.board, self.lock[cid].lock, True)

    def parcel_state(self, pid: str) -> str:
        row = self.cache.parcel(pid)
        assert row is not None
        return str(row.state)

