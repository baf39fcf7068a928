"""The kiosk process without a screen, for the crash harness: the real `KioskApp`
(cache, layout, `locker.started`, lock bank, flows, start-up recovery) driven by
commands on stdin, one answer line each.

    python tests/crash/kiosk_child.py CONFIG

Commands: `screen` (the current view), `scan TEXT` (a customer's QR or code),
`courier ID PIN` (courier login), `deposit BARCODE`, `logout`, `pending` (openings the
recovery still follows, as JSON),
`arm` (from now on the kill point named in $CRASH_AT is live), `fsize N|off` (from now
on no file of this process may grow past N bytes: a full disk, see RLIMIT_FSIZE),
`quit`.
Answers: `OK <screen> [<door>]` or `ERR <what>`. Every new view is printed as
`VIEW <screen> [<door>]`; `READY` once the flows run; `MARK <point>` just before the
process kills itself with SIGKILL at the kill point named in $CRASH_AT:

    before_unlock        the intent is written, the unlock frame has not left
    after_unlock         the board fired the lock; the outcome is not written
    after_outcome        the door is seen open and its outcome written, nothing else
    after_pickup_record  the door is open and the pickup is written
    before_closed_event  the door closed; compartment.closed not written
    after_closed_event   compartment.closed written (a deposit: not yet recorded)
    after_deposit_record the deposit is written
"""

from __future__ import annotations

import json
import logging
import os
import resource
import signal
import sys
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk import app as kiosk_app  # noqa: E402
from kiosk.app import KioskApp, KioskStartError  # noqa: E402
from kiosk.config import load_config  # noqa: E402
from kiosk.flows.cache_store import CacheStore  # noqa: E402

CRASH_AT = os.environ.get("CRASH_AT", "")
_armed = threading.Event()
_out = threading.Lock()


def say(line: str) -> None:
    with _out:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def kill_point(name: str) -> None:
    if name == CRASH_AT and _armed.is_set():
        say(f"MARK {name}")
        os.kill(os.getpid(), signal.SIGKILL)


class _HookedBank:
    """The real bank with the two unlock kill points around the frame."""

    def __init__(self, bank: Any) -> None:
        self._bank = bank

    def unlock(self, compartment_id: str) -> Any:
        kill_point("before_unlock")
        result = self._bank.unlock(compartment_id)
        kill_point("after_unlock")
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._bank, name)


def _install_hooks() -> None:
    real_open = kiosk_app.LockerBank.open

    class Bank:
        open = staticmethod(lambda *a, **k: _HookedBank(real_open(*a, **k)))

    kiosk_app.LockerBank = Bank  # type: ignore[misc, assignment]

    outcome, pickup = CacheStore.record_open_outcome, CacheStore.record_pickup
    deposit, event = CacheStore.record_deposit, CacheStore.record_event

    def record_open_outcome(self: CacheStore, *a: Any, **k: Any) -> None:
        outcome(self, *a, **k)
        kill_point("after_outcome")

    def record_pickup(self: CacheStore, *a: Any, **k: Any) -> None:
        pickup(self, *a, **k)
        kill_point("after_pickup_record")

    def record_deposit(self: CacheStore, *a: Any, **k: Any) -> None:
        deposit(self, *a, **k)
        kill_point("after_deposit_record")

    def record_event(self: CacheStore, event_type: str, **k: Any) -> None:
        closed = event_type == "compartment.closed"
        if closed:
            kill_point("before_closed_event")
        event(self, event_type, **k)
        if closed:
            kill_point("after_closed_event")

    CacheStore.record_open_outcome = record_open_outcome  # type: ignore[method-assign]
    CacheStore.record_pickup = record_pickup  # type: ignore[method-assign]
    CacheStore.record_deposit = record_deposit  # type: ignore[method-assign]
    CacheStore.record_event = record_event  # type: ignore[method-assign]


def _describe(view: Any) -> str:
    door = getattr(view, "door", None)
    label = getattr(door, "label", None) or getattr(door, "compartment_id", None)
    return f"{view.screen}" + (f" {label}" if label else "")


class _Printer:
    def deliver(self, view: Any) -> None:
        say(f"VIEW {_describe(view)}")


def main() -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    _install_hooks()
    app = KioskApp(load_config(sys.argv[1]))
    try:
        app.start(bridge=_Printer())
    except KioskStartError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    flows = app.flows
    assert flows is not None
    runner = flows.runner
    say("READY")

    def on_flow(name: str, *args: str) -> Any:
        return runner.call(getattr(runner.flow, name), *args).result(timeout=60)

    try:
        for raw in sys.stdin:
            words = raw.split()
            if not words:
                continue
            cmd, args = words[0], words[1:]
            try:
                if cmd == "quit":
                    break
                if cmd == "arm":
                    _armed.set()
                    say("OK armed")
                    continue
                if cmd == "fsize":
                    limit = resource.RLIM_INFINITY if args[0] == "off" else int(args[0])
                    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
                    say("OK fsize")
                    continue
                if cmd == "screen":
                    say(f"OK {_describe(runner.call(lambda: runner.flow.view()).result(60))}")
                    continue
                if cmd == "pending":
                    pending = runner.call(lambda: sorted(flows.recovery.pending)).result(60)
                    say("OK " + json.dumps(pending))
                    continue
                if cmd == "scan":
                    view = on_flow("submit_scan", args[0])
                elif cmd == "courier":
                    flows.courier_mode().result(timeout=60)
                    view = on_flow("login_pin", args[0], args[1])
                elif cmd == "deposit":
                    on_flow("start_deposit")
                    view = on_flow("scan_parcel", args[0])
                elif cmd == "logout":
                    view = on_flow("logout")
                else:
                    say(f"ERR unknown command {cmd!r}")
                    continue
                say(f"OK {_describe(view)}")
            except Exception as exc:  # the harness reads the answer; the child goes on
                say(f"ERR {type(exc).__name__}: {exc}")
    finally:
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
