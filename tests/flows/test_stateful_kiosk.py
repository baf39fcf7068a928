"""The kiosk under random interleavings (hypothesis rule-based state machine).

The real flows as the app assembles them (`KioskFlows`), on the real cache (a SQLite
file) and the real lock bank driving simulated CU16 boards (occupancy sensors) over a
pseudo-terminal. The machine plays everyone at once: customers typing and scanning
right, wrong, old, foreign and garbage codes, a courier depositing, a technician
opening doors with right and wrong PINs, the sync worker
bringing parcels stored, cancelled and expired and remote commands, thieves forcing
doors, jammed locks, time passing, and restarts with the wall clock moved either way.

After every step it checks what must always hold:
- no unlock frame reaches a board except for a stored parcel's code, a courier's
  deposit, a technician's login, or a remote command within the hourly cap;
- every frame's intent was committed to the cache before the board saw the frame;
- compartment states follow from the parcels inside, and agree with the occupancy
  sensor where no one broke in;
- the wrong codes checked in any hour never exceed what the lockout policy allows;
- no event is lost or duplicated (ids unique, seqs increasing, nothing disappears).

Bounded for the default run; EXPRESSPOINT_STATEFUL_EXAMPLES=200 for a soak.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import itertools
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from contract import wire
from contract.codes import hash_code, make_pin_record
from kiosk.flows.assembly import FlowSettings, KioskFlows
from kiosk.flows.clock import ManualClock
from kiosk.flows.courier_view import CourierScreen
from kiosk.flows.pickup import PickupScreen, PickupSettings
from kiosk.flows.ratelimit import LockoutPolicy
from kiosk.flows.remote import RemoteSettings
from kiosk.flows.technician_view import TechnicianScreen, TechnicianSettings
from locker_driver import LockerBank, Timeouts
from sync import cache as c
from sync.cache.sync_store import SyncStore
from tests.flows.conftest import COLUMNS, LOCKER_ID, SIZES, TEST_KDF, World

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SOAK = int(os.environ.get("EXPRESSPOINT_STATEFUL_EXAMPLES", "0"))
COURIER, PIN = "C1", "4711"
TECHNICIAN, TECH_PIN = "T1", "908172"
TECH_RECORD = make_pin_record(TECH_PIN, TEST_KDF)
PICKUP = PickupSettings()
REMOTE = RemoteSettings()
INSIDE = {c.ParcelState.STORED, c.ParcelState.EXPIRED, c.ParcelState.CANCELLED}
HOUR = 3600.0


def most_checks_per_hour(policy: LockoutPolicy) -> int:
    """The most wrong codes the policy lets be checked within one hour, at best pace."""
    elapsed, checks, level = 0.0, policy.free_attempts, 0
    while True:
        elapsed += policy.length_s(level)
        level += 1
        if elapsed > HOUR:
            return checks
        checks += policy.attempts_after_lockout


BUDGET = most_checks_per_hour(LockoutPolicy.of(PICKUP))

# Invariants that fail on a known hole whose fix has not landed yet, with the hole.
# The state machine skips them; the strict test at the end of this file makes the
# smallest sequence that shows the hole, and fails the day the hole is fixed, so the
# entry is removed then.
HOLE_PULLED_STORED = (
    "a cache rebuilt from the central service (a replaced disk) leaves the doors of the "
    "parcels it pulls 'stored' free while their sensors read full"
)
# Seen once in a long sequence (restarts, remote openings, a cancelling pull, two
# deposits), not yet reduced to a sequence that always shows it: a deposit opened a
# door whose sensor read full. The compartment-state rule is meant to close it.
HOLE_DEPOSIT_INTO_FULL = (
    "a deposit can open a door whose occupancy sensor reads full, after a pull changed "
    "the state of the parcel inside"
)
# The fix of both (one rule for compartment states, pulls that only claim a door's
# contents) comes with the cache's door claims; once that module is on main these
# entries and this check go (the strict test below then passes as a plain test).
RULE_LANDED = importlib.util.find_spec("sync.cache.claims") is not None
KNOWN_HOLES: dict[str, str] = {} if RULE_LANDED else {
    "compartments_follow_their_parcels": HOLE_PULLED_STORED,
    "compartments_agree_with_the_sensors": HOLE_PULLED_STORED,
    "deposits_skip_full_doors": HOLE_DEPOSIT_INTO_FULL,
}


def _layout(ids: list[str]) -> list[c.CompartmentSpec]:
    """The layout World builds, again (a new card gets it from the kiosk's config)."""
    specs = [
        c.CompartmentSpec(f"{name}{row:02d}", 1, col * len(SIZES) + row, size, col, row)
        for col, name in enumerate(COLUMNS)
        for row, size in enumerate(SIZES, start=1)
    ]
    assert [s.id for s in specs] == ids
    return specs


def most_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


class FrameWitness(list[tuple[int, int]]):
    """The simulator's list of unlock frames, noting at each frame (on the simulator's
    own thread, the moment the board gets it) how many opening intents the cache file
    holds committed."""

    def __init__(self, count_intents: Callable[[], int]) -> None:
        super().__init__()
        self.count_intents = count_intents
        self.intents_at_frame: list[int] = []

    def append(self, frame: tuple[int, int]) -> None:
        self.intents_at_frame.append(self.count_intents())
        super().append(frame)


class KioskMachine(RuleBasedStateMachine):
    tolerated: frozenset[str] = frozenset(KNOWN_HOLES)

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="xp-stateful-"))
        self.db = self.dir / "cache.db"
        self.world = World(self.db, "cu16")
        self._patient_bus()
        self.world.add_courier(COURIER, pin=PIN)
        self.clock = self.world.clock
        self.boot = 1
        self.flows = self._assemble()
        self.sim = self.world.bank.sim
        self.frames = FrameWitness(self._committed_intents)
        self.sim.unlock_frames = self.frames
        self.ids = self.world.ids
        self.specs = _layout(self.ids)
        self.profile = wire.LockerProfile(
            locker_id=LOCKER_ID, name="Main Street", address="", timezone="UTC",
            code_salt=self.world.salt, code_kdf=wire.CodeKdf.from_params(TEST_KDF),
            layout_version=1,
        )
        self.frame_base = 0  # frames sent before the last disk swap
        self.serial = itertools.count(1)
        # What the central service announced: parcel id -> (code, barcode, version).
        self.announced: dict[str, tuple[str, str, int]] = {}
        self.old_codes: list[str] = []
        # The physical world, as the machine (everyone in it) knows it.
        self.tampered: set[str] = set()  # forced open or jammed: the sensor may disagree
        self.jammed: set[str] = set()
        # Unlocks the current step may cause, and what the checks remember.
        self.allowed: set[str] = set()
        self.checked_frames = 0
        self.elapsed = 0.0  # real seconds passed, whatever the wall clock says
        self.denied_at: list[float] = []
        self.remote_at: list[float] = []
        self.events_seen = 0
        self.last_seq = 0

    # -- the kiosk ----------------------------------------------------------------------

    def _assemble(self) -> KioskFlows:
        flows = KioskFlows(
            self.world.cache, self.world.bank.bank, lambda _view: None,
            FlowSettings(pickup=PICKUP, remote=REMOTE, technician=TechnicianSettings(
                technicians=((TECHNICIAN, TECH_RECORD),), scan_addresses=(1,),
                scan_timeout_s=0.05)),
            clock=self.clock, boot_id=f"boot-{self.boot}",
        )
        flows.recovery.load()
        return flows

    def _patient_bus(self) -> None:
        """The bank again on the same pty, with timeouts no machine load can reach: a
        reply late under load must not change what a step does (the driver's own tests
        attack its deadlines)."""
        sim_locker = self.world.bank
        config = dataclasses.replace(
            sim_locker.bank.config,
            timeouts=Timeouts(reply_s=2.0, quiet_gap_s=0.003, late_reply_guard_s=0.01,
                              inter_transaction_s=0.0),
        )
        sim_locker.bank.close()
        sim_locker.bank = LockerBank.open(config)

    def _committed_intents(self) -> int:
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10)
        try:
            (count,) = conn.execute(
                "SELECT COUNT(*) FROM audit WHERE kind = 'door_open'"
            ).fetchone()
            return int(count)
        finally:
            conn.close()

    def _poll(self, flow: Any = None) -> Any:
        readings = self.world.bank.read_states()
        # Every observer the app's runner shows each poll to (door watch, recovery, ...).
        for observe in self.flows.runner._observers:
            observe(readings)
        return (flow or self.flows.pickup).on_door_states(readings)

    def _pass(self, seconds: float, flow: Any = None) -> None:
        step = max(1.0, seconds / 8)
        left = seconds
        while left > 0:
            chunk = min(step, left)
            self.clock.advance(chunk)
            self.elapsed += chunk
            left -= chunk
            self._poll(flow)
            (flow or self.flows.pickup).tick()

    def _parcels(self) -> list[Any]:
        from sqlmodel import select

        with self.world.cache.read() as s:
            return list(s.exec(select(c.Parcel)))

    def _stored_with(self, code: str) -> set[str]:
        digest = hash_code(code, self.world.salt, TEST_KDF)
        return {
            p.compartment_id
            for p in self._parcels()
            if p.pickup_code_hash == digest and p.state == c.ParcelState.STORED
            and p.compartment_id
        }

    def _wire_parcel(self, parcel_id: str, state: wire.ParcelState,
                     compartment: str | None) -> wire.Parcel:
        code, barcode, version = self.announced[parcel_id]
        return wire.Parcel(
            parcel_id=parcel_id, order_ref=f"ORD-{parcel_id}", state=state, size="S",
            compartment_id=compartment, barcode=barcode,
            pickup_code_hash=hash_code(code, self.world.salt, TEST_KDF),
            pickup_deadline=self.clock.now() + timedelta(days=3), version=version,
        )

    def _pull(self, parcel_id: str, state: wire.ParcelState, compartment: str | None) -> None:
        """What the sync worker does with one parcel of a pulled page."""
        code, barcode, version = self.announced[parcel_id]
        self.announced[parcel_id] = (code, barcode, version + 1)
        parcel = self._wire_parcel(parcel_id, state, compartment)
        page = wire.ParcelPage(parcels=[parcel], next_cursor=f"c{next(self.serial)}",
                               has_more=False)
        SyncStore(self.world.cache).apply_parcels(page)

    def _open_doors(self) -> list[str]:
        return [cid for cid in self.ids if self.world.bank.is_open(cid)]

    def _sensor(self, cid: str) -> bool:
        board, lock = self.world.bank.board, self.world.bank.address[cid].lock
        return bool(self.sim.boards[board].occupied[lock - 1])

    def _new_code(self) -> str:
        return f"{next(self.serial) * 7919 % 10**8:08d}"

    # -- rules: the sync worker --------------------------------------------------------

    @initialize()
    def a_first_pull(self) -> None:
        self.announce()

    @rule()
    def announce(self) -> None:
        pid = f"P{next(self.serial):04d}"
        self.announced[pid] = (self._new_code(), f"LBL-{pid}", 0)
        self._pull(pid, wire.ParcelState.EXPECTED, None)

    @precondition(lambda self: not self._open_doors())
    @rule()
    def the_disk_is_replaced(self) -> None:
        """The SD card dies and a blank one goes in: the cache is built again from what
        the central service knows (every parcel as the kiosk last reported it), while
        the parcels stay where they physically are."""
        known = [p for p in self._parcels() if p.parcel_id in self.announced]
        self.world.cache.close()
        for leftover in self.dir.glob("cache.db*"):
            leftover.unlink()
        self.world.cache = c.Cache.open(self.db, clock=self.clock.now)
        self.world.cache.replace_layout(self.specs)
        sync = SyncStore(self.world.cache)
        sync.apply_profile(self.profile, self.clock.now())
        self.world.add_courier(COURIER, pin=PIN)
        parcels = []
        for p in known:
            code, barcode, version = self.announced[p.parcel_id]
            self.announced[p.parcel_id] = (code, barcode, version + 1)
            parcels.append(self._wire_parcel(p.parcel_id, wire.ParcelState(p.state.value),
                                             p.compartment_id))
        sync.apply_parcels(wire.ParcelPage(parcels=parcels, next_cursor="c-rebuilt",
                                           has_more=False))
        # What the old card held is gone: the checks start again on the new one.
        self.frame_base = len(self.frames)
        self.frames.intents_at_frame = [0] * len(self.frames)
        self.events_seen = 0
        self.flows = self._assemble()
        self._poll()

    @rule(data=st.data(), state=st.sampled_from([wire.ParcelState.CANCELLED,
                                                 wire.ParcelState.EXPIRED]))
    def pull_cancelled_or_expired(self, data: st.DataObject, state: wire.ParcelState) -> None:
        stored = [p for p in self._parcels() if p.state == c.ParcelState.STORED
                  and p.parcel_id in self.announced]
        if not stored:
            return
        parcel = data.draw(st.sampled_from(sorted(stored, key=lambda p: p.parcel_id)))
        self.old_codes.append(self.announced[parcel.parcel_id][0])
        self._pull(parcel.parcel_id, state, parcel.compartment_id)

    @rule(data=st.data())
    def remote_open_command(self, data: st.DataObject) -> None:
        cid = data.draw(st.sampled_from(self.ids))
        command = wire.Command(
            command_id=str(uuid.uuid4()), type=wire.CommandType.OPEN_COMPARTMENT,
            compartment_id=cid, reason="support case",
            expires_at=self.clock.now() + timedelta(hours=1),
        )
        SyncStore(self.world.cache).store_commands([command], self.clock.now())
        self.run_remote_commands()

    @rule()
    def run_remote_commands(self) -> None:
        before = len(self.frames)
        within_cap = most_in_window(self.remote_at + [self.elapsed], HOUR) <= (
            REMOTE.max_opens_per_hour
        )
        if within_cap:
            # Any command the central service sent and the kiosk has not run yet.
            self.allowed |= {cmd.compartment_id for cmd in self.world.cache.pending_commands()
                             if cmd.compartment_id}
        self.flows.remote.step()  # one command a step: the others wait their turn
        for _frame in self.frames[before:]:
            self.remote_at.append(self.elapsed)
        self._poll()

    # -- rules: customers ---------------------------------------------------------------

    @rule(kind=st.sampled_from(["right", "right", "old", "foreign", "wrong", "garbage"]),
          scanned=st.booleans(), data=st.data())
    def customer_enters_a_code(self, kind: str, scanned: bool, data: st.DataObject) -> None:
        pickup = self.flows.pickup
        rights = sorted({code for pid, (code, _b, _v) in self.announced.items()
                         if self._stored_with(code)})
        if kind == "right" and rights:
            code = data.draw(st.sampled_from(rights))
        elif kind == "old" and self.old_codes:
            code = data.draw(st.sampled_from(self.old_codes))
        elif kind == "foreign":
            inner = data.draw(st.sampled_from(rights)) if rights else self._new_code()
            code = f"XP1:L-ELSEWHERE:{inner}"
        elif kind == "garbage":
            code = data.draw(st.text(max_size=40))
        else:
            code = data.draw(st.from_regex(r"\A[0-9]{8}\Z"))
        if code.isdigit() and len(code) == 8:
            self.allowed |= self._stored_with(code)
        denied_before = self._count("code.denied")
        before = len(self.frames)
        view = pickup.submit_scan(code) if scanned else pickup.submit_code(code)
        self._poll()
        for _ in range(self._count("code.denied") - denied_before):
            self.denied_at.append(self.elapsed)
        if len(self.frames) > before and view.screen is not PickupScreen.locked_out:
            # The customer takes what is behind each door that opened.
            for lock_frame in self.frames[before:]:
                cid = self._cid_of(lock_frame)
                if self.world.bank.is_open(cid):
                    self.world.bank.set_occupied(cid, False)

    @rule(count=st.integers(1, 12), pause=st.sampled_from([0, 1, 10, 40]), data=st.data())
    def a_guesser_tries_codes(self, count: int, pause: int, data: st.DataObject) -> None:
        """Code after code at the keypad, as fast as the screens allow."""
        for _ in range(count):
            code = data.draw(st.from_regex(r"\A[0-9]{8}\Z"))
            self.allowed |= self._stored_with(code)  # a lucky guess is a right code
            denied_before = self._count("code.denied")
            self.flows.pickup.submit_code(code)
            for _ in range(self._count("code.denied") - denied_before):
                self.denied_at.append(self.elapsed)
            if pause:
                self._pass(pause)

    # -- rules: the courier -------------------------------------------------------------

    @precondition(lambda self: not self.flows.pickup.busy_with_door)
    @rule(data=st.data())
    def courier_deposits(self, data: st.DataObject) -> None:
        expected = [p for p in self._parcels() if p.state == c.ParcelState.EXPECTED]
        if not expected:
            return
        self._deposit(data.draw(st.sampled_from(sorted(expected, key=lambda p: p.parcel_id))))

    def _deposit(self, parcel: Any) -> None:
        courier = self.flows.modes.courier()
        assert courier.login_pin(COURIER, PIN).screen is CourierScreen.menu
        courier.start_deposit()
        # Any free door may be the one the kiosk picks: all of them are allowed, and the
        # sensor check below says whether the one it picked was really empty.
        self.allowed |= {cid for cid in self.ids if not self._inside(cid)}
        before = len(self.frames)
        view = courier.scan_parcel(parcel.barcode)
        if view.screen is CourierScreen.deposit_fallback:
            view = courier.accept_larger()
        for lock_frame in self.frames[before:]:
            cid = self._cid_of(lock_frame)
            if "deposits_skip_full_doors" not in self.tolerated:
                assert not self._sensor(cid), f"a deposit opened {cid}, whose sensor reads full"
        self._poll(courier)
        for cid in [self._cid_of(f) for f in self.frames[before:]]:
            if self.world.bank.is_open(cid):
                self.world.bank.set_occupied(cid, True)
                self.world.bank.close(cid)
        self._poll(courier)
        courier.logout()
        self._poll()

    # -- rules: the technician ----------------------------------------------------------

    @precondition(lambda self: not self.flows.pickup.busy_with_door)
    @rule(right_pin=st.booleans(), data=st.data())
    def technician_opens_a_door(self, right_pin: bool, data: st.DataObject) -> None:
        cid = data.draw(st.sampled_from(self.ids))
        tech = self.flows.modes.technician()
        view = tech.login(TECHNICIAN, TECH_PIN if right_pin else "000000")
        if view.screen is not TechnicianScreen.map:
            return
        self._poll(tech)
        view = tech.open_one(cid)
        if view.screen is TechnicianScreen.confirm:
            self.allowed.add(cid)  # a technician logged in with the right PIN
            tech.confirm()
            for _ in range(4):
                self._poll(tech)
                tech.tick()
        tech.logout()
        self._poll()

    # -- rules: the physical world ------------------------------------------------------

    @rule(data=st.data())
    def someone_closes_a_door(self, data: st.DataObject) -> None:
        open_doors = self._open_doors()
        if not open_doors:
            return
        self.world.bank.close(data.draw(st.sampled_from(open_doors)))
        self._poll()

    @rule(data=st.data())
    def a_thief_forces_a_door(self, data: st.DataObject) -> None:
        cid = data.draw(st.sampled_from(self.ids))
        self.tampered.add(cid)
        self.world.bank.open_by_hand(cid)
        self._poll()

    @rule(data=st.data(), jammed=st.booleans())
    def a_lock_jams(self, data: st.DataObject, jammed: bool) -> None:
        cid = data.draw(st.sampled_from(self.ids))
        self.tampered.add(cid)
        self.world.bank.jam(cid, jammed)

    @rule(seconds=st.sampled_from([1, 5, 31, 120, 900, 3700]))
    def time_passes(self, seconds: int) -> None:
        self._pass(seconds)

    @rule(shift=st.sampled_from([-3600, -600, 0, 600, 7200]), reboot=st.booleans())
    def restart(self, shift: int, reboot: bool) -> None:
        """The kiosk process dies and starts again; on a reboot without a real-time
        clock the wall clock comes back wrong, either way."""
        # (The flows run no thread here: the machine drives them step by step.)
        self.world.cache.close()
        if reboot:
            # A new boot: the monotonic clock starts again near zero.
            self.boot += 1
            self.clock = ManualClock(start=self.clock.now(), monotonic_start=5.0 * self.boot)
            self.world.clock = self.clock
        if shift:
            self.clock.set_date(shift)
        self.world.cache = c.Cache.open(self.db, clock=self.clock.now)
        self.flows = self._assemble()
        self._poll()

    # -- the checks ---------------------------------------------------------------------

    def _cid_of(self, frame: tuple[int, int]) -> str:
        return self.world.bank._cid.get(frame[1], f"?{frame[1]}")

    def _inside(self, cid: str) -> bool:
        return any(p.compartment_id == cid and p.state in INSIDE for p in self._parcels())

    def _outbox(self) -> list[Any]:
        from sqlmodel import col, select

        with self.world.cache.read() as s:
            return list(s.exec(select(c.OutboxEvent).order_by(col(c.OutboxEvent.seq))))

    def _count(self, event_type: str) -> int:
        return sum(1 for e in self._outbox() if str(e.type) == event_type)

    @invariant()
    def every_unlock_had_a_reason(self) -> None:
        new = self.frames[self.checked_frames:]
        self.checked_frames = len(self.frames)
        allowed, self.allowed = self.allowed, set()
        for lock_frame in new:
            cid = self._cid_of(lock_frame)
            assert cid in allowed, f"{cid} was unlocked with no code, deposit or command"

    @invariant()
    def every_intent_was_committed_before_its_frame(self) -> None:
        for index, intents in enumerate(self.frames.intents_at_frame[self.frame_base:]):
            assert intents >= index + 1, f"unlock frame {index + 1} left before its intent"

    @invariant()
    def compartments_follow_their_parcels(self) -> None:
        if "compartments_follow_their_parcels" in self.tolerated:
            return
        parcels = self._parcels()
        for comp in self.world.cache.compartments():
            inside = [p.parcel_id for p in parcels
                      if p.compartment_id == comp.id and p.state in INSIDE]
            if inside:
                assert comp.state not in (c.CompartmentState.FREE,
                                          c.CompartmentState.RESERVED), (comp.id, comp.state,
                                                                         inside)
            else:
                assert comp.state != c.CompartmentState.OCCUPIED, (comp.id, "occupied, empty")

    @invariant()
    def compartments_agree_with_the_sensors(self) -> None:
        if "compartments_agree_with_the_sensors" in self.tolerated:
            return
        for comp in self.world.cache.compartments():
            if comp.id in self.tampered or self.world.bank.is_open(comp.id):
                continue
            if self._sensor(comp.id):
                assert comp.state != c.CompartmentState.FREE, (
                    f"{comp.id} is free in the cache while its sensor reads full")

    @invariant()
    def the_wrong_code_budget_holds(self) -> None:
        assert most_in_window(self.denied_at, HOUR) <= BUDGET, (
            f"more than {BUDGET} wrong codes checked within an hour, at seconds "
            f"{[round(t) for t in self.denied_at]}")

    @invariant()
    def the_remote_open_cap_holds(self) -> None:
        assert most_in_window(self.remote_at, HOUR) <= REMOTE.max_opens_per_hour

    @invariant()
    def no_event_lost_or_duplicated(self) -> None:
        events = self._outbox()
        ids = [e.event_id for e in events]
        assert len(ids) == len(set(ids)), "an event id appears twice"
        seqs = [e.seq for e in events]
        assert seqs == sorted(set(seqs)), "event seqs are not strictly increasing"
        assert len(events) >= self.events_seen, "events disappeared from the outbox"
        self.events_seen = len(events)
        opened = sum(1 for e in events if str(e.type) == "compartment.opened")
        assert opened == self._committed_intents(), "an opening without its event"
        assert opened >= len(self.frames) - self.frame_base, "a frame without its event"

    def teardown(self) -> None:
        try:
            self.world.bank.shutdown()
            self.world.cache.close()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


KioskMachine.TestCase.settings = settings(
    max_examples=SOAK or 8,
    stateful_step_count=40 if not SOAK else 80,
    deadline=None,
    derandomize=not SOAK,
    suppress_health_check=list(HealthCheck),
)
test_kiosk_under_random_interleavings = KioskMachine.TestCase


class StrictMachine(KioskMachine):
    tolerated: frozenset[str] = frozenset()


@pytest.mark.xfail(not RULE_LANDED, strict=True, reason=HOLE_PULLED_STORED)
def test_a_rebuilt_cache_puts_pulled_parcels_back_in_their_doors() -> None:
    machine = StrictMachine()
    try:
        machine.a_first_pull()
        (expected,) = machine._parcels()
        machine._deposit(expected)
        machine.compartments_follow_their_parcels()
        machine.compartments_agree_with_the_sensors()
        machine.the_disk_is_replaced()
        machine.compartments_follow_their_parcels()
        machine.compartments_agree_with_the_sensors()
    finally:
        machine.teardown()

