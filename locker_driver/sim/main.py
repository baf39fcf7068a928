"""The simulator as a process: `expresspoint board sim` and `python -m locker_driver.sim`.

The first stdout line is the port the driver should open (a pty path or a socket://
URL). After that, each control command read on stdin (see `control.py`) is answered
with one stdout line; `--control PATH` also serves the same commands on a Unix socket.
End of stdin does not stop the simulator; SIGINT or SIGTERM does.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socketserver
import sys
import threading
from pathlib import Path

from locker_driver.protocols import PROTOCOLS
from locker_driver.sim.control import Controller
from locker_driver.sim.model import SimulatedBank
from locker_driver.sim.serve import PtyServer, TcpServer
from locker_driver.states import Polarity

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--protocol", choices=PROTOCOLS, default="cu16")
    parser.add_argument("--boards", type=int, default=1, help="number of boards (default 1)")
    parser.add_argument("--locks", type=int, default=None, help="locks per board")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--pty", action="store_true", help="serve on a pseudo-terminal")
    where.add_argument("--tcp", type=int, metavar="PORT", help="serve on 127.0.0.1:PORT (0: any)")
    parser.add_argument("--host", default="127.0.0.1", help="TCP address (default 127.0.0.1)")
    parser.add_argument("--link", help="with --pty: a symlink to the pty (survives replug)")
    parser.add_argument("--control", help="also accept control commands on this Unix socket")
    parser.add_argument("--polarity", choices=[p.value for p in Polarity],
                        default=Polarity.CLOSED_WHEN_SET.value)
    parser.add_argument("--latency", type=float, default=0.0, help="reply latency, seconds")
    parser.add_argument("--pace", action="store_true",
                        help="take the wire time of every byte at the protocol's baud rate")
    parser.add_argument("--seed", type=int, default=None, help="seed of the fault dice")
    parser.add_argument("--open", nargs="*", default=[], metavar="B:L",
                        help="doors that start open")
    parser.add_argument("--occupied", nargs="*", default=[], metavar="B:L",
                        help="compartments that start occupied")


def build_bank(args: argparse.Namespace) -> SimulatedBank:
    bank = SimulatedBank(
        args.protocol, args.boards, locks_per_board=args.locks, polarity=args.polarity,
        reply_latency_s=args.latency, seed=args.seed,
    )
    for spec in args.open:
        bank.force_open(*_pair(spec))
    for spec in args.occupied:
        bank.set_occupied(*_pair(spec))
    return bank


def _pair(spec: str) -> tuple[int, int]:
    board, _, lock = spec.partition(":")
    return int(board), int(lock)


class _ControlHandler(socketserver.StreamRequestHandler):
    controller: Controller

    def handle(self) -> None:
        for raw in self.rfile:
            answer = self.server.controller.execute(raw.decode(errors="replace"))  # type: ignore[attr-defined]
            self.wfile.write(answer.encode() + b"\n")
            self.wfile.flush()


def run(args: argparse.Namespace) -> int:
    bank = build_bank(args)
    if args.pty:
        pty = PtyServer(bank, link=args.link, pace=args.pace).start()
        port, stop = pty.port, pty.stop
        controller = Controller(bank, pty.unplug, pty.replug)
    else:
        tcp = TcpServer(bank, host=args.host, port=args.tcp, pace=args.pace).start()
        port, stop = tcp.port_url, tcp.stop
        controller = Controller(bank)
    control_server = None
    if args.control:
        Path(args.control).unlink(missing_ok=True)
        control_server = socketserver.ThreadingUnixStreamServer(args.control, _ControlHandler)
        control_server.daemon_threads = True
        control_server.controller = controller  # type: ignore[attr-defined]
        threading.Thread(target=control_server.serve_forever, daemon=True).start()
    done = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        done.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(port, flush=True)
    reader = threading.Thread(target=_stdin_loop, args=(controller,), daemon=True)
    reader.start()
    try:
        done.wait()
    finally:
        stop()
        if control_server is not None:
            control_server.shutdown()
            Path(args.control).unlink(missing_ok=True)
    return 0


def _stdin_loop(controller: Controller) -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        answer = controller.execute(line)
        try:
            print(answer, flush=True)
        except BrokenPipeError:
            os._exit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m locker_driver.sim", description="Simulated lock-board bank."
    )
    add_arguments(parser)
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return run(args)
