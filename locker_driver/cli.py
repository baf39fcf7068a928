"""`expresspoint board ...`: the simulator, and bench commands against a real bus.

    expresspoint board sim --protocol cu16 --boards 2 --pty
    expresspoint board scan   --port URL --protocol cu16 [--json]
    expresspoint board status --port URL --protocol cu16 --board 0 [--board 1] [--json]
    expresspoint board open   --port URL --protocol cu16 --board 0 --lock 3 [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from typing import Any

from locker_driver.bank import LockerBank
from locker_driver.config import BankConfig, Timeouts
from locker_driver.confirm import OpenConfirmer
from locker_driver.errors import DriverError
from locker_driver.protocols import DEFAULT_LOCKS, PROTOCOLS, codec_for
from locker_driver.sim import main as sim_main
from locker_driver.states import DoorState, LockAddress, OpenOutcome, Polarity, UnlockResult

POLL_INTERVAL_S = 0.25


def register(subparsers: argparse._SubParsersAction) -> None:
    board = subparsers.add_parser("board", help="lock boards: simulator, scan, status, open")
    sub = board.add_subparsers(dest="board_command", metavar="ACTION", required=True)

    sim = sub.add_parser("sim", help="run a simulated board bank on a pty or TCP port",
                         description=sim_main.__doc__,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    sim_main.add_arguments(sim)
    sim.set_defaults(func=sim_main.run)

    scan = sub.add_parser("scan", help="which board addresses answer, with latency")
    _bus_arguments(scan)
    scan.add_argument("--timeout", type=float, default=0.3, help="per address, seconds")
    scan.add_argument("--address", type=int, action="append",
                      help="probe only this board address (repeatable; default: all)")
    scan.set_defaults(func=_scan)

    status = sub.add_parser("status", help="door/occupancy state of every lock of boards")
    _bus_arguments(status)
    status.add_argument("--board", type=int, action="append", required=True)
    status.add_argument("--locks", type=int, help="locks per board (default per protocol)")
    status.set_defaults(func=_status)

    open_ = sub.add_parser("open", help="fire one lock once and watch its door")
    _bus_arguments(open_)
    open_.add_argument("--board", type=int, required=True)
    open_.add_argument("--lock", type=int, required=True)
    open_.add_argument("--confirm-timeout", type=float, default=10.0,
                       help="seconds to wait for the door to read open (0: do not watch)")
    open_.set_defaults(func=_open)


def _bus_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", required=True,
                        help="pyserial URL: /dev/serial/by-id/..., socket://host:port, a pty")
    parser.add_argument("--protocol", choices=PROTOCOLS, required=True)
    parser.add_argument("--baudrate", type=int, help="default: the protocol's")
    parser.add_argument("--polarity", choices=[p.value for p in Polarity],
                        default=Polarity.CLOSED_WHEN_SET.value)
    parser.add_argument("--reply-timeout", type=float, default=1.5, help="seconds")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _config(args: argparse.Namespace, addresses: list[LockAddress]) -> BankConfig:
    return BankConfig(
        port_url=args.port,
        protocol=args.protocol,
        compartments={f"{a.board}:{a.lock}": a for a in addresses},
        polarity=args.polarity,
        baudrate=args.baudrate,
        timeouts=Timeouts(reply_s=args.reply_timeout),
        status_retries=1,
    )


def _emit(args: argparse.Namespace, data: Any, human: str) -> None:
    print(json.dumps(data, indent=2, default=str) if args.json else human)


def _fail(args: argparse.Namespace, exc: Exception) -> int:
    if args.json:
        print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
    else:
        print(f"error: {exc}", file=sys.stderr)
    return 1


def _scan(args: argparse.Namespace) -> int:
    codec = codec_for(args.protocol)
    try:
        config = _config(args, [LockAddress(codec.boards[0], 1)])
        with LockerBank.open(config) as bank:
            found = [b for b in bank.scan(args.address, timeout_s=args.timeout) if b.answered]
    except DriverError as exc:
        return _fail(args, exc)
    lines = [f"{len(found)} board(s) answer on {args.port} ({args.protocol}):"]
    lines += [f"  board {b.board}: {b.locks} lock bits, {1000 * (b.latency_s or 0):.1f} ms"
              for b in found]
    _emit(args, [asdict(b) for b in found], "\n".join(lines))
    return 0


def _status(args: argparse.Namespace) -> int:
    locks = args.locks or DEFAULT_LOCKS[args.protocol]
    addresses = [LockAddress(b, lock) for b in args.board for lock in range(1, locks + 1)]
    try:
        with LockerBank.open(_config(args, addresses)) as bank:
            readings = bank.read_states()
            errors = {b: s.last_error for b, s in bank.stats().items()
                      if s.consecutive_failures and s.last_error}
    except DriverError as exc:
        return _fail(args, exc)
    data = [{"board": a.board, "lock": a.lock, "door": readings[f"{a.board}:{a.lock}"].door.value,
             "occupied": readings[f"{a.board}:{a.lock}"].occupied} for a in addresses]
    lines = ["board lock door     occupied"]
    for row in data:
        occ = "-" if row["occupied"] is None else ("yes" if row["occupied"] else "no")
        lines.append(f"{row['board']:>5} {row['lock']:>4} {row['door']:<8} {occ}")
    lines += [f"unknown: {message}" for message in errors.values()]
    report = {"locks": data, "errors": {str(b): m for b, m in errors.items()}}
    _emit(args, report, "\n".join(lines))
    unknown = any(r["door"] == DoorState.UNKNOWN.value for r in data)
    return 1 if unknown else 0


def _open(args: argparse.Namespace) -> int:
    address = LockAddress(args.board, args.lock)
    cid = f"{address.board}:{address.lock}"
    try:
        with LockerBank.open(_config(args, [address])) as bank:
            before = bank.read_states([cid])[cid].door
            started = time.monotonic()
            report = bank.unlock_report(cid)
            outcome: OpenOutcome | None = None
            if report.result is not UnlockResult.NOT_SENT and args.confirm_timeout > 0:
                confirmer = OpenConfirmer(before, started, args.confirm_timeout)
                while outcome is None:
                    door = bank.read_states([cid])[cid].door
                    outcome = confirmer.update(door, time.monotonic())
                    if outcome is None:
                        time.sleep(POLL_INTERVAL_S)
    except DriverError as exc:
        return _fail(args, exc)
    data = {
        "board": address.board, "lock": address.lock, "door_before": before.value,
        "unlock": report.result.value, "error": str(report.error) if report.error else None,
        "outcome": outcome.value if outcome else None,
    }
    human = f"board {address.board} lock {address.lock}: unlock {report.result.value}"
    if report.error:
        human += f" ({report.error})"
    if outcome:
        human += f", door {outcome.value}"
    _emit(args, data, human)
    return 0 if outcome in (OpenOutcome.OPENED, OpenOutcome.ALREADY_OPEN) else 1
