"""Runs a flow on its own worker thread: calls one at a time, ticks, door polls.

Board and database calls can block for hundreds of milliseconds, so the UI never calls
a flow directly: it posts the call here and renders each new view when `on_view` fires
(on this worker thread; the Qt layer forwards it through a queued signal). Nothing in
the caller's thread ever sleeps or blocks.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from functools import partial
from typing import Any, Protocol

from kiosk.flows.ports import DoorReading, DoorState
from kiosk.flows.views import FlowKind, FlowView

log = logging.getLogger(__name__)


class RunnableFlow(Protocol):
    """What the runner drives. Every flow of this package has these."""

    on_change: Callable[[], None] | None
    kind: FlowKind

    def view(self) -> FlowView: ...

    def submit_scan(self, text: str) -> Any:
        """A scanned code: the flow decides what it means where it is."""
        ...

    def tick(self) -> Any: ...

    def on_door_states(self, readings: Mapping[str, DoorReading]) -> Any: ...

    def poll_interval_s(self) -> float: ...

    def set_board_available(self, ok: bool) -> Any: ...

    def set_offline(self, offline: bool) -> Any: ...


class DoorSource(Protocol):
    def read_states(self) -> Mapping[str, DoorReading]: ...


class RunnerStopped(RuntimeError):
    """The runner was stopped; the call was not made."""


class FlowBusy(RuntimeError):
    """The active flow is serving a customer at a door; switch once it has closed."""


_STOP = object()


class FlowRunner:
    def __init__(
        self,
        flow: RunnableFlow,
        doors: DoorSource,
        on_view: Callable[[Any], None],
        *,
        tick_s: float = 0.25,
        read_errors: tuple[type[BaseException], ...] = (OSError,),
        monotonic: Callable[[], float] = time.monotonic,
        name: str = "flow-runner",
        observers: Sequence[Callable[[Mapping[str, DoorReading]], None]] = (),
        home: RunnableFlow | None = None,
        offline: Callable[[], bool] | None = None,
        offline_every_s: float = 5.0,
    ) -> None:
        """`read_errors`: exceptions of `read_states` meaning "board unreachable".
        `observers` see every poll too (e.g. `DoorWatch.on_door_states`).
        `home`: the flow to return to when another one's view reaches `logged_out`
        (a courier or technician visit ended); normally the pickup flow.
        `offline`: asked every `offline_every_s` whether sync is down (e.g.
        `lambda: not store.sync_status().online`); every flow shows it as a badge."""
        self._flow = flow
        self._doors = doors
        self._on_view = on_view
        self._tick_s = tick_s
        self._read_errors = read_errors
        self._monotonic = monotonic
        self._calls: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._last_view: Any = None
        self._board_ok: bool | None = None
        self._periodic: list[tuple[float, Callable[[], None], list[float]]] = []
        self._stopped = threading.Event()
        self._observers = tuple(observers)
        self._home = home
        self._offline_probe = offline
        self._offline = False
        if offline is not None:
            self._periodic.append((offline_every_s, self._check_offline, [0.0]))

    # -- caller's side (any thread) ------------------------------------------------

    def start(self) -> None:
        self._attach(self._flow)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._calls.put(_STOP)
        self._thread.join(timeout)

    def call(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Run `fn(*args)` on the worker (e.g. `runner.call(flow.submit_scan, text)`)."""
        future: Future[Any] = Future()
        if self._stopped.is_set():
            future.set_exception(RunnerStopped("the kiosk flow runner has stopped"))
        else:
            self._calls.put((future, fn, args))
        return future

    def call_flow(self, name: str, *args: Any) -> Future[Any]:
        """Run `<flow>.<name>(*args)` on the worker, on the flow active when the call is
        handled (a switch queued before it has happened by then)."""
        return self.call(lambda: getattr(self._flow, name)(*args))

    def switch(self, flow: RunnableFlow) -> Future[Any]:
        """Make `flow` the one driven from now on (pickup <-> courier <-> technician)."""
        return self.call(self._switch, flow)

    def every(self, interval_s: float, fn: Callable[[], None]) -> None:
        """Run `fn` on the worker every `interval_s` (remote commands, sync status).

        Call before `start()`."""
        self._periodic.append((interval_s, fn, [0.0]))

    @property
    def flow(self) -> RunnableFlow:
        return self._flow

    # -- worker side ---------------------------------------------------------------

    def _attach(self, flow: RunnableFlow) -> None:
        flow.on_change = lambda: self._publish(flow.view())

    def _switch(self, flow: RunnableFlow) -> Any:
        if flow is self._flow:
            return flow.view()
        if getattr(self._flow, "door_in_progress", False):
            raise FlowBusy("a customer door is open; the kiosk switches when it has closed")
        self._flow.on_change = None
        self._flow = flow
        self._attach(flow)
        self._guarded(lambda: flow.set_offline(self._offline))
        return flow.view()

    def _check_offline(self) -> None:
        assert self._offline_probe is not None
        self._offline = bool(self._offline_probe())
        self._flow.set_offline(self._offline)

    def _publish(self, view: Any) -> None:
        if view != self._last_view:
            self._last_view = view
            try:
                self._on_view(view)
            except Exception:
                log.exception("the view callback failed; the flow goes on")
        if self._home is not None and self._flow is not self._home and view.ended:
            self._publish(self._switch(self._home))

    def _loop(self) -> None:
        next_tick = next_poll = self._monotonic()
        self._publish(self._flow.view())
        try:
            while True:
                now = self._monotonic()
                wait = max(0.0, min(next_tick, next_poll) - now)
                try:
                    item = self._calls.get(timeout=wait)
                except queue.Empty:
                    item = None
                if item is _STOP:
                    return
                if item is not None:
                    self._run_call(*item)
                now = self._monotonic()
                if now >= next_poll:
                    self._poll()
                    next_poll = now + self._flow.poll_interval_s()
                if now >= next_tick:
                    self._guarded(self._flow.tick)
                    for interval, fn, due in self._periodic:
                        if now >= due[0]:
                            due[0] = now + interval
                            self._guarded(fn)
                    next_tick = now + self._tick_s
                self._publish(self._flow.view())
        finally:
            self._stopped.set()
            while not self._calls.empty():
                pending = self._calls.get_nowait()
                if pending is not _STOP:
                    pending[0].set_exception(RunnerStopped("the kiosk flow runner has stopped"))

    def _run_call(self, future: Future[Any], fn: Callable[..., Any], args: tuple[Any, ...]
                  ) -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            result = fn(*args)
        except Exception as exc:
            log.exception("flow call %s failed", getattr(fn, "__name__", fn))
            recover = getattr(self._flow, "recover", None)
            if recover is not None:
                self._guarded(recover)
            future.set_exception(exc)
        else:
            future.set_result(result)

    def _guarded(self, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except Exception:
            log.exception("%s failed; the runner goes on", getattr(fn, "__name__", fn))

    def _poll(self) -> None:
        try:
            readings = self._doors.read_states()
        except self._read_errors as exc:
            if self._board_ok is not False:
                log.warning("lock bank unreachable: %s", exc)
            self._set_board(False)
            return
        if readings and all(r.door is DoorState.UNKNOWN for r in readings.values()):
            # The driver maps a silent board to unknown doors, never to an error.
            self._set_board(False)
            return
        self._set_board(True)
        for observe in self._observers:
            self._guarded(partial(observe, readings))
        self._guarded(lambda: self._flow.on_door_states(readings))

    def _set_board(self, ok: bool) -> None:
        if self._board_ok is not ok:
            self._board_ok = ok
            self._guarded(lambda: self._flow.set_board_available(ok))
