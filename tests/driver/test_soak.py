"""Soak: 10,000 transactions with 5 % of the replies faulty, over the real pyserial
path. Not one door state may be misreported and not one unlock may go out twice."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from locker_driver import BankConfig, DoorState, LockerBank, Timeouts, UnlockResult
from locker_driver.sim import FaultKind, SimulatedBank

from .conftest import FAST_RECONNECT, layout

pytestmark = [pytest.mark.unit, pytest.mark.slow]

# Small but ordered timeouts: a late reply (20 ms) comes after the reply timeout (15 ms)
# and before the late-reply guard has ended (15 + 10 ms).
SOAK_TIMEOUTS = Timeouts(
    reply_s=0.015, quiet_gap_s=0.004, inter_transaction_s=0.0, late_reply_guard_s=0.01
)


def soak(protocol: str, boards: int, transactions: int, fault_share: float, seed: int) -> dict:
    rng = random.Random(seed)
    sim = SimulatedBank(protocol, boards, seed=seed, late_reply_s=0.02)
    for kind in FaultKind:
        sim.faults.set_rate(kind, fault_share / len(FaultKind))
    config = BankConfig(
        port_url=sim.url, protocol=protocol, compartments=layout(sim, 8),
        timeouts=SOAK_TIMEOUTS, reconnect=FAST_RECONNECT,
    )
    ids = list(config.compartments)
    unlock_calls: Counter[tuple[int, int]] = Counter()
    results: Counter[str] = Counter()
    misreports: list[tuple[str, DoorState, DoorState]] = []
    readings_checked = unknown = 0
    with LockerBank.open(config) as bank:
        while sim.requests_seen < transactions:
            if rng.random() < 0.15:
                cid = rng.choice(ids)
                addr = config.compartments[cid]
                result = bank.unlock(cid)
                results[result.value] += 1
                unlock_calls[(addr.board, addr.lock)] += 1
            else:
                readings = bank.read_states()
                for cid, reading in readings.items():
                    addr = config.compartments[cid]
                    truth = sim.door_truth(addr.board, addr.lock)
                    readings_checked += 1
                    if reading.door is DoorState.UNKNOWN:
                        unknown += 1
                    elif reading.door is not truth:
                        misreports.append((cid, reading.door, truth))
            # Customers close doors now and then.
            for board, lock in list(unlock_calls):
                if sim.door_open(board, lock) and rng.random() < 0.3:
                    sim.close_door(board, lock)
    sim.close()
    fired = Counter(sim.unlock_frames)
    return {
        "misreports": misreports,
        "unlock_calls": unlock_calls,
        "fired": fired,
        "results": results,
        "faults": sum(sim.faults.fired.values()),
        "requests": sim.requests_seen,
        "readings": readings_checked,
        "unknown": unknown,
    }


def test_soak_cu16_10000_transactions_5_percent_faults() -> None:
    out = soak("cu16", boards=4, transactions=10_000, fault_share=0.05, seed=7)
    assert out["requests"] >= 10_000
    assert out["faults"] >= 300  # the faults really happened
    assert out["misreports"] == []
    # Every unlock call put exactly one frame on the wire: none lost, none repeated.
    assert out["fired"] == out["unlock_calls"]
    assert UnlockResult.NOT_SENT.value not in out["results"]
    # Faults cost readings (UNKNOWN) but few: a fault blanks at most one board's read.
    assert out["unknown"] < 0.1 * out["readings"]


@pytest.mark.parametrize("protocol", ["8a", "cu48"])
def test_soak_other_protocols(protocol: str) -> None:
    out = soak(protocol, boards=3, transactions=1_000, fault_share=0.05, seed=11)
    assert out["faults"] >= 20
    assert out["misreports"] == []
    assert out["fired"] == out["unlock_calls"]
    assert out["unknown"] < 0.15 * out["readings"]
