"""Hypothesis against the wrong-code budget: random interleavings of right, wrong, old
and foreign codes, waits, restarts and reboots with the wall clock moved both ways.

Two kiosks on their own real caches and simulated banks get the same customers. One is
restarted and rebooted with clocks set back and forward; the other runs undisturbed for
the same kiosk time (a reboot's downtime counts as none: kiosk time stands still while
the kiosk is off). Every answer must be the same on both, so no restart and no clock
change ever buys an attempt, and the undisturbed kiosk never lets more wrong codes
through in an hour than the policy's worst case.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract.codes import qr_payload
from kiosk.flows.assembly import FlowSettings, KioskFlows
from kiosk.flows.clock import ManualClock
from kiosk.flows.pickup import PickupScreen, PickupSettings
from kiosk.flows.ports import ParcelState
from kiosk.flows.ratelimit import LockoutPolicy, attack_budget
from tests.flows.conftest import World

pytestmark = pytest.mark.integration

PICKUP = PickupSettings(free_attempts=3, lockout_base_s=60, lockout_max_s=600,
                        failure_memory_s=1800)
SETTINGS = FlowSettings(pickup=PICKUP)
WORST_HOUR = attack_budget(LockoutPolicy.of(PICKUP), 3600)[0]
RIGHT = [f"7000000{n}" for n in range(4)]
OLD = "55556666"
CHECKED = {PickupScreen.unknown_code, PickupScreen.wrong_locker}


@dataclass
class Kiosk:
    world: World
    clock: ManualClock
    boot: int = 0
    flows: KioskFlows = field(init=False)
    checked_at: list[float] = field(default_factory=list)  # kiosk time of wrong codes

    def __post_init__(self) -> None:
        self.start()

    def start(self) -> None:
        self.flows = KioskFlows(self.world.cache, self.world.bank.bank, lambda _v: None,
                                SETTINGS, clock=self.clock, boot_id=f"boot-{self.boot}")

    def submit(self, text: str, scan: bool) -> tuple[PickupScreen, int | None]:
        pickup = self.flows.pickup
        view = pickup.submit_scan(text) if scan else pickup.submit_code(text)
        if view.screen in CHECKED:
            self.checked_at.append(self.flows.limits.ratchet.now())
        if view.screen is PickupScreen.door_opening:
            # The customer takes the parcel and closes the door; read the real board
            # until it says so (each read is a bus transaction, no sleeping).
            cid = view.door.label
            self._poll_until(PickupScreen.door_open)
            self.world.close(cid)
            self._poll_until(PickupScreen.done)
            pickup.cancel()
        return view.screen, view.lockout_remaining_s

    def _poll_until(self, screen: PickupScreen, reads: int = 200) -> None:
        pickup = self.flows.pickup
        for _ in range(reads):
            if pickup.on_door_states(self.world.bank.read_states()).screen is screen:
                return
        raise AssertionError(f"the door never reached {screen}")


def new_world(root: Path, name: str) -> World:
    world = World(root / name / "cache.db")
    for code, cid in zip(RIGHT, ("A01", "A02", "B01", "B02"), strict=True):
        world.add_parcel(code, cid)
    world.add_parcel(OLD, "C01", state=ParcelState.PICKED_UP)
    return world


def _text(kind: str, arg: int | str) -> tuple[str, bool]:
    """What the customer shows, and whether it is scanned."""
    if kind == "wrong":
        return f"{arg:08d}", False
    if kind == "old":
        return OLD, False
    if kind == "foreign":
        return qr_payload("L-ELSEWHERE", str(arg)), True
    return RIGHT[int(arg)], False


ACTIONS = st.one_of(
    st.tuples(st.just("wrong"), st.integers(10_000_000, 69_999_999)),
    st.tuples(st.just("old"), st.just(0)),
    st.tuples(st.just("foreign"), st.sampled_from(RIGHT)),
    st.tuples(st.just("right"), st.integers(0, len(RIGHT) - 1)),
    st.tuples(st.just("wait"), st.integers(0, 1500)),
    st.tuples(st.just("restart"), st.integers(0, 900), st.integers(-7200, 7200)),
    st.tuples(st.just("reboot"), st.integers(0, 86400), st.integers(-7200, 7200)),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ACTIONS, min_size=5, max_size=40))
def test_no_restart_or_clock_change_buys_an_attempt(actions: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        a_world, b_world = new_world(Path(tmp), "a"), new_world(Path(tmp), "b")
        try:
            a, b = Kiosk(a_world, a_world.clock), Kiosk(b_world, b_world.clock)
            for action in actions:
                kind = action[0]
                if kind in ("wrong", "old", "foreign", "right"):
                    text, scan = _text(kind, action[1])
                    assert a.submit(text, scan) == b.submit(text, scan), action
                elif kind == "wait":
                    a.clock.advance(action[1])
                    b.clock.advance(action[1])
                elif kind == "restart":  # same boot: monotonic time goes on
                    a.clock.advance(action[1])
                    b.clock.advance(action[1])
                    a.clock.set_date(action[2])
                    a.start()
                else:  # reboot: the kiosk was off; its time stood still
                    a.flows.limits.checkpoint()
                    a.boot += 1
                    a.clock = ManualClock(
                        start=a.clock.now() + timedelta(seconds=action[1] + action[2]),
                        monotonic_start=float(action[1] % 50))
                    a.start()
            times = b.checked_at
            for i, t in enumerate(times):
                within = [u for u in times[i:] if u - t < 3600]
                assert len(within) <= WORST_HOUR
        finally:
            for w in (a_world, b_world):
                w.bank.shutdown()
                w.cache.close()
