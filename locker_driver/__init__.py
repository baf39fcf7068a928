"""Lock-board driver: codecs, the serial bus, the bank API and the simulated board.

Knows bytes and boards, never parcels or orders. The kiosk uses `LockerBank` (unlock,
read_states, scan, stats, frame_log) with a `BankConfig`, and drives `OpenConfirmer`
and `DoorMonitor` from its own timers. The simulated board lives in `locker_driver.sim`.
"""

from locker_driver.bank import BoardInfo, LockerBank, UnlockReport
from locker_driver.codec import BoardStatus
from locker_driver.config import BankConfig, ReconnectPolicy, Timeouts
from locker_driver.confirm import DoorEvent, DoorEventKind, DoorMonitor, OpenConfirmer
from locker_driver.errors import (
    BankClosed,
    BoardError,
    BoardNotAnswering,
    BoardTimeout,
    ChecksumError,
    ConfigError,
    DriverError,
    FrameError,
    LineNoisy,
    PortBusy,
    PortError,
    PortUnavailable,
    UnknownCompartment,
    WrongAddressReply,
)
from locker_driver.port import PortStatus
from locker_driver.protocols import PROTOCOLS
from locker_driver.records import BoardStats, FrameDirection, FrameRecord
from locker_driver.states import (
    CompartmentReading,
    DoorState,
    LockAddress,
    OpenOutcome,
    Polarity,
    UnlockResult,
)

__all__ = [
    "PROTOCOLS",
    "BankClosed",
    "BankConfig",
    "BoardError",
    "BoardInfo",
    "BoardNotAnswering",
    "BoardStats",
    "BoardStatus",
    "BoardTimeout",
    "ChecksumError",
    "CompartmentReading",
    "ConfigError",
    "DoorEvent",
    "DoorEventKind",
    "DoorMonitor",
    "DoorState",
    "DriverError",
    "FrameDirection",
    "FrameError",
    "FrameRecord",
    "LineNoisy",
    "LockAddress",
    "LockerBank",
    "OpenConfirmer",
    "OpenOutcome",
    "Polarity",
    "PortBusy",
    "PortError",
    "PortStatus",
    "PortUnavailable",
    "ReconnectPolicy",
    "Timeouts",
    "UnknownCompartment",
    "UnlockReport",
    "UnlockResult",
    "WrongAddressReply",
]
