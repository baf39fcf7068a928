"""The simulator's control language: one command per line, one answer line each.

Used on the simulator process's stdin and on its optional Unix control socket.
Answers are `ok`, `ok <json>` or `error <what went wrong>`.

    close B L            close door L of board B by hand
    open B L             open door L by hand, without a command (forced open)
    jam B L [off]        the lock fires but the door stays shut
    occupy B L [off]     the infrared sensor sees (or no longer sees) a parcel
    stuck B L open|closed|off   the hook sensor reads a fixed value
    power B on|off       board B loses / regains power (no replies, no firing)
    fault KIND RATE      apply a fault to a share of replies (0-1)
    inject KIND [COUNT [BOARD]]  apply a fault to the next COUNT replies
    clear                remove every fault rate and injection
    latency SECONDS      reply latency of every board
    unplug | replug      the serial adapter disappears / comes back (pty with --link)
    state                doors, occupancy, jams, stuck sensors and fire counts (JSON)
    fired B L            how many times lock L of board B fired
    help

Fault kinds: no_reply, late_reply, split_reply, truncated_reply, corrupt_checksum,
wrong_address, echo, garbage.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable

from locker_driver.sim.faults import FaultKind
from locker_driver.sim.model import SimulatedBank

HELP = __doc__ or ""


class ControlError(ValueError):
    pass


class Controller:
    def __init__(
        self,
        bank: SimulatedBank,
        unplug: Callable[[], None] | None = None,
        replug: Callable[[], None] | None = None,
    ) -> None:
        self.bank = bank
        self._unplug = unplug or bank.unplug
        self._replug = replug or bank.replug

    def execute(self, line: str) -> str:
        try:
            words = shlex.split(line)
        except ValueError as exc:
            return f"error {exc}"
        if not words:
            return "error empty command; try 'help'"
        try:
            return self._run(words[0].lower(), words[1:])
        except (ControlError, ValueError) as exc:
            return f"error {exc}"

    def _run(self, cmd: str, args: list[str]) -> str:
        bank = self.bank
        if cmd == "help":
            return "ok " + json.dumps(HELP.strip())
        if cmd in ("close", "open", "jam", "unjam", "occupy", "stuck", "fired"):
            board, lock = _board_lock(args)
            rest = args[2:]
            if cmd == "close":
                bank.close_door(board, lock)
            elif cmd == "open":
                bank.force_open(board, lock)
            elif cmd == "jam":
                bank.jam(board, lock, not _off(rest))
            elif cmd == "unjam":
                bank.jam(board, lock, False)
            elif cmd == "occupy":
                bank.set_occupied(board, lock, not _off(rest))
            elif cmd == "stuck":
                if not rest:
                    raise ControlError("stuck B L open|closed|off")
                bank.stick_sensor(board, lock, None if rest[0] == "off" else rest[0])
            else:
                return f"ok {bank.fired_count(board, lock)}"
            return "ok"
        if cmd == "power":
            if len(args) != 2 or args[1] not in ("on", "off"):
                raise ControlError("power B on|off")
            bank.power(int(args[0]), args[1] == "on")
            return "ok"
        if cmd == "fault":
            if len(args) != 2:
                raise ControlError("fault KIND RATE")
            bank.faults.set_rate(_kind(args[0]), float(args[1]))
            return "ok"
        if cmd == "inject":
            if not 1 <= len(args) <= 3:
                raise ControlError("inject KIND [COUNT [BOARD]]")
            count = int(args[1]) if len(args) > 1 else 1
            only_board = int(args[2]) if len(args) > 2 else None
            bank.faults.inject(_kind(args[0]), count, only_board)
            return "ok"
        if cmd == "clear":
            bank.faults.clear()
            return "ok"
        if cmd == "latency":
            if len(args) != 1:
                raise ControlError("latency SECONDS")
            bank.reply_latency_s = float(args[0])
            return "ok"
        if cmd == "unplug":
            self._unplug()
            return "ok"
        if cmd == "replug":
            self._replug()
            return "ok"
        if cmd == "state":
            return "ok " + json.dumps(bank.snapshot(), separators=(",", ":"))
        raise ControlError(f"unknown command {cmd!r}; try 'help'")


def _board_lock(args: list[str]) -> tuple[int, int]:
    if len(args) < 2:
        raise ControlError("needs a board and a lock number, e.g. 'close 0 3'")
    try:
        return int(args[0]), int(args[1])
    except ValueError:
        raise ControlError(f"board and lock must be numbers, got {args[:2]}") from None


def _off(rest: list[str]) -> bool:
    return bool(rest) and rest[0].lower() in ("off", "0", "no", "false")


def _kind(name: str) -> FaultKind:
    try:
        return FaultKind(name)
    except ValueError:
        kinds = ", ".join(k.value for k in FaultKind)
        raise ControlError(f"unknown fault {name!r}; one of {kinds}") from None
