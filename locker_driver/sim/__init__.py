"""The simulated lock-board bank: same bytes as the hardware, stateful, with fault knobs.

- In-process: `SimulatedBank(...).url` is a `locksim://` pyserial URL (fast unit tests).
- On a pty or TCP port in a background thread: `serve_pty(bank)` / `serve_tcp(bank)`.
- As a separate process: `expresspoint board sim ...`, or `SimProcess` from tests.
"""

from locker_driver.sim.faults import FaultKind, FaultPlan
from locker_driver.sim.model import Emission, SimulatedBank
from locker_driver.sim.process import SimProcess, SimProcessError
from locker_driver.sim.serve import PtyServer, TcpServer, serve_pty, serve_tcp

__all__ = [
    "Emission",
    "FaultKind",
    "FaultPlan",
    "PtyServer",
    "SimProcess",
    "SimProcessError",
    "SimulatedBank",
    "TcpServer",
    "serve_pty",
    "serve_tcp",
]
