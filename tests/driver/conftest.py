"""Helpers for driver tests: a simulated bank reached through the real pyserial path.

In-process tests use the `locksim://` URL with small timeouts: replies become readable
at their due time whenever the driver next reads, so results do not depend on how fast
the machine is. Tests over a real pty or socket use generous timeouts instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from locker_driver import BankConfig, LockAddress, LockerBank, ReconnectPolicy, Timeouts
from locker_driver.sim import SimulatedBank

FAST = Timeouts(reply_s=0.03, quiet_gap_s=0.004, inter_transaction_s=0.0, late_reply_guard_s=0.02)
FAST_RECONNECT = ReconnectPolicy(interval_s=0.0, attempts=3, cooldown_s=0.0)
# For real ptys, sockets and processes: far above any scheduling hiccup.
GENEROUS = Timeouts(reply_s=2.0, quiet_gap_s=0.05, inter_transaction_s=0.0, late_reply_guard_s=0.1)


def layout(sim: SimulatedBank, locks: int | None = None) -> dict[str, LockAddress]:
    """Compartment ids like "B0-L03" for every (or the first `locks`) lock of every board."""
    out = {}
    for board in sim.boards.values():
        for lock in range(1, (locks or board.locks) + 1):
            out[f"B{board.address}-L{lock:02d}"] = LockAddress(board.address, lock)
    return out


def config_for(
    sim: SimulatedBank, port_url: str | None = None, *, locks: int | None = None, **kwargs: object
) -> BankConfig:
    kwargs.setdefault("timeouts", FAST)
    kwargs.setdefault("reconnect", FAST_RECONNECT)
    kwargs.setdefault("polarity", sim.polarity)
    return BankConfig(
        port_url=port_url or sim.url,
        protocol=sim.protocol,
        compartments=layout(sim, locks),
        **kwargs,  # type: ignore[arg-type]
    )


BankFactory = Callable[..., tuple[SimulatedBank, LockerBank]]


@pytest.fixture
def make_bank() -> Iterator[BankFactory]:
    """make_bank(protocol, boards, **sim_kwargs, config=dict(...)) -> (sim, bank)."""
    opened: list[tuple[SimulatedBank, LockerBank]] = []

    def factory(
        protocol: str = "cu16", boards: int = 1, *, config: dict | None = None, **sim_kwargs: object
    ) -> tuple[SimulatedBank, LockerBank]:
        sim_kwargs.setdefault("seed", 1)
        sim = SimulatedBank(protocol, boards, **sim_kwargs)  # type: ignore[arg-type]
        bank = LockerBank.open(config_for(sim, **(config or {})))
        opened.append((sim, bank))
        return sim, bank

    yield factory
    for sim, bank in opened:
        bank.close()
        sim.close()
