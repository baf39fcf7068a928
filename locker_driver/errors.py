"""Typed errors of the lock-board driver. Each message says what to check next."""

from __future__ import annotations


class DriverError(Exception):
    """Base of every error the driver raises on purpose."""


class ConfigError(DriverError, ValueError):
    """A bank configuration value is wrong; the message names the key."""


class UnknownCompartment(DriverError, KeyError):
    """A compartment id that is not in the bank's configuration."""

    def __init__(self, compartment_id: str) -> None:
        super().__init__(compartment_id)
        self.compartment_id = compartment_id

    def __str__(self) -> str:
        return (
            f"compartment {self.compartment_id!r} is not in the lock-bank configuration; "
            "check the compartment layout"
        )


class BankClosed(DriverError):
    """The bank (and its bus worker) was closed; open a new one."""


class PortError(DriverError):
    """The serial port cannot be used."""

    def __init__(self, port_url: str, message: str) -> None:
        super().__init__(f"{port_url}: {message}")
        self.port_url = port_url


class PortUnavailable(PortError):
    """The port does not exist, cannot be opened, or disappeared (USB unplug)."""


class PortBusy(PortError):
    """Another process (or another bank) holds the port."""


class BoardError(DriverError):
    """A board did not give a usable answer."""

    def __init__(self, board: int | None, message: str) -> None:
        super().__init__(message if board is None else f"board {board}: {message}")
        self.board = board
        self.detail = message


class BoardNotAnswering(BoardError):
    """No valid reply from the board (silent, or another address answered)."""


class BoardTimeout(BoardNotAnswering):
    """Nothing usable arrived within the reply timeout."""


class WrongAddressReply(BoardNotAnswering):
    """A valid frame arrived, but from another board address than the one asked."""


class FrameError(BoardError):
    """Bytes arrived but do not form a valid reply (garbage, truncated, bad checksum)."""


class ChecksumError(FrameError):
    """A frame's checksum does not match its bytes."""


class LineNoisy(FrameError):
    """Bytes kept arriving until the deadline and none of them answered the request.

    A loose ground, a missing termination, a second master on the bus or a board
    chattering in its bootloader: the transaction was ended at its deadline.
    """

    ADVICE = (
        "the line is noisy: check the A/B wiring, the ground and the bus termination, "
        "that no second master (another kiosk, a configuration tool) shares the bus, "
        "and that no board is stuck in its bootloader"
    )


class WrongReply(DriverError):
    """A well-formed frame that does not answer the request in flight.

    Internal to the bus: such frames are logged and skipped while it keeps waiting.
    """

    def __init__(self, message: str, board: int | None = None) -> None:
        super().__init__(message)
        self.board = board
