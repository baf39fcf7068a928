"""Remote commands from the operator, executed by the kiosk at most once each.

The sync worker stores the commands the heartbeat brings; this executor runs on the
flow runner's worker (so it never races a customer's door), claims each command in the
cache before acting (a crash halfway never runs it twice), applies the kiosk's own
limits and leaves the result to the cache, which queues `command.completed` or
`command.failed`. `resync` belongs to the sync worker and is left alone here.

The kiosk's own limits, which no central service can lift: at most
`max_opens_per_hour` remote openings and `max_state_changes_per_hour` remote service
changes in any hour (both counted in kiosk time and kept across restarts); at most
`commands_per_step` commands looked at in one step, so a flood never holds the runner
(and the customer at the screen) for longer than a few commands take; no opening, and
no door taken out of service, while a customer's door is open; an unverified door
(claimed full by a rebuilt cache's first pull) never opens remotely.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from kiosk.flows.clock import Clock
from kiosk.flows.door import DoorJob, DoorOperator, DoorPhase
from kiosk.flows.ports import (
    Actor,
    ActorKind,
    Bank,
    CommandType,
    Compartment,
    CompartmentState,
    ConfirmerFactory,
    DoorReading,
    DoorState,
    OpenOutcome,
    RemoteCommand,
    Store,
    UnlockResult,
)
from kiosk.flows.ratelimit import HourlyCap, Limits

log = logging.getLogger(__name__)

OPERATOR = Actor(ActorKind.OPERATOR)
HANDLED = frozenset({CommandType.OPEN_COMPARTMENT, CommandType.SET_OUT_OF_SERVICE,
                     CommandType.SET_IN_SERVICE})
# Never while a customer's door is open: no door opens beside them, and the door they
# stand at is not taken out of service under them.
_WAIT_FOR_CUSTOMER = frozenset({CommandType.OPEN_COMPARTMENT,
                                CommandType.SET_OUT_OF_SERVICE})


@dataclass(frozen=True)
class RemoteSettings:
    max_opens_per_hour: int = 6
    max_state_changes_per_hour: int = 12  # set_out_of_service / set_in_service
    commands_per_step: int = 5
    open_confirm_timeout_s: float = 4.0
    results_kept: int = 20  # shown in diagnostics


@dataclass(frozen=True)
class CommandResult:
    command_id: str
    type: str
    compartment_id: str | None
    ok: bool
    detail: str
    at: datetime


class RemoteExecutor:
    def __init__(
        self,
        store: Store,
        bank: Bank,
        clock: Clock,
        confirmers: ConfirmerFactory,
        settings: RemoteSettings | None = None,
        *,
        customer_busy: Callable[[], bool] = lambda: False,
        cap: HourlyCap | None = None,
        state_cap: HourlyCap | None = None,
    ) -> None:
        """`customer_busy`: True while a customer's door is opening or open; remote
        opens and out-of-service changes wait for it to end. `cap` / `state_cap`: the
        kiosk's saved hourly caps on remote openings and service changes
        (kiosk.flows.assembly passes them); None: kept in memory."""
        self.settings = s = settings or RemoteSettings()
        self._store = store
        self._bank = bank
        self._clock = clock
        self._busy = customer_busy
        self._doors = DoorOperator(store, bank, clock, confirmers,
                                   confirm_timeout_s=s.open_confirm_timeout_s)
        # Counted in kiosk time, saved before the door opens: no restart or clock
        # change opens a fresh hour.
        self._cap = cap or Limits.in_memory(clock).cap("remote_opens", s.max_opens_per_hour)
        self._state_cap = state_cap or Limits.in_memory(clock).cap(
            "remote_state_changes", s.max_state_changes_per_hour)
        self._job: tuple[RemoteCommand, DoorJob] | None = None
        self._results: deque[CommandResult] = deque(maxlen=s.results_kept)

    @property
    def results(self) -> tuple[CommandResult, ...]:
        """The latest results, oldest first."""
        return tuple(self._results)

    @property
    def opening(self) -> bool:
        return self._job is not None

    def step(self) -> None:
        """Follow the door of a running open, or start the next pending command."""
        if self._job is not None:
            self._follow()
            return
        budget = self.settings.commands_per_step
        for cmd in self._store.pending_commands():
            if budget <= 0:
                return  # the rest waits for the next step: the runner serves customers
            if cmd.type not in HANDLED:
                continue
            if cmd.type in _WAIT_FOR_CUSTOMER and self._busy():
                log.info("remote %s %s waits: a customer door is in use", cmd.type,
                         cmd.command_id)
                continue
            budget -= 1
            self._run(cmd)
            if self._job is not None:
                return  # one door at a time; follow it on the next steps

    def _run(self, cmd: RemoteCommand) -> None:
        known = {c.compartment_id: c for c in self._store.compartments()}
        comp = known.get(cmd.compartment_id or "")
        claimed = self._store.claim_command(cmd.command_id)
        if claimed is None:
            return  # already claimed, finished or expired (the cache failed it)
        if comp is None:
            self._finish(cmd, False, f"compartment {cmd.compartment_id!r} is not in this "
                                     "locker's layout")
            return
        if cmd.type in (CommandType.SET_OUT_OF_SERVICE, CommandType.SET_IN_SERVICE) and \
                not self._state_cap.take():
            self._finish(cmd, False, f"local limit: at most "
                                     f"{self.settings.max_state_changes_per_hour} remote "
                                     "service changes per hour")
            return
        if cmd.type == CommandType.SET_OUT_OF_SERVICE:
            self._store.set_compartment_state(comp.compartment_id,
                                              CompartmentState.OUT_OF_SERVICE,
                                              actor=OPERATOR, reason=cmd.reason)
            self._finish(cmd, True, "out of service")
        elif cmd.type == CommandType.SET_IN_SERVICE:
            # Back in service; the cache's one rule makes it free or occupied.
            self._store.set_compartment_state(comp.compartment_id, CompartmentState.FREE,
                                              actor=OPERATOR, reason=cmd.reason)
            state = next((c.state for c in self._store.compartments()
                          if c.compartment_id == comp.compartment_id), None)
            self._finish(cmd, True, f"in service ({state})")
        elif comp.compartment_id in self._store.unverified_doors():
            self._finish(cmd, False, "the door's contents are unverified: it opens for the "
                                     "technician only")
        else:
            self._open(cmd, comp)

    def restore_opens(self, ages_s: Iterable[float]) -> None:
        """Remote openings from before a restart (seconds ago): the hourly cap counts
        them, so restarting the kiosk never opens a fresh hour."""
        self._cap.restore(ages_s)

    def _open(self, cmd: RemoteCommand, comp: Compartment) -> None:
        if not self._cap.take():
            self._finish(cmd, False, f"local limit: at most {self.settings.max_opens_per_hour}"
                                     " remote opens per hour")
            return
        readings = self._read()
        reading = readings.get(cmd.compartment_id or "")
        job = self._doors.open(
            comp, actor=OPERATOR, reason=f"remote command {cmd.command_id}: {cmd.reason}",
            before=reading.door if reading else DoorState.UNKNOWN)
        if job.phase is DoorPhase.not_sent:
            self._finish(cmd, False, "lock board unreachable: the unlock was not sent")
            return
        self._job = (cmd, job)

    def _read(self) -> Mapping[str, DoorReading]:
        try:
            return dict(self._bank.read_states())
        except OSError as exc:
            log.warning("door read for a remote command failed: %s", exc)
            return {}

    def _follow(self) -> None:
        assert self._job is not None
        cmd, job = self._job
        reading = self._read().get(job.compartment_id)
        door = reading.door if reading is not None else None
        phase = self._doors.update(job, door, OPERATOR)
        if phase is DoorPhase.opening:
            return
        self._job = None
        if job.outcome is OpenOutcome.JAMMED:
            unsure = " (the board did not confirm the unlock)" if job.unlock is \
                UnlockResult.OUTCOME_UNKNOWN else ""
            self._finish(cmd, False, f"door did not open{unsure}")
        else:
            self._finish(cmd, True, str(job.outcome))

    def _finish(self, cmd: RemoteCommand, ok: bool, detail: str) -> None:
        self._store.finish_command(cmd.command_id, ok=ok, detail=detail)
        self._results.append(CommandResult(cmd.command_id, cmd.type, cmd.compartment_id, ok,
                                           detail, self._clock.now()))
        log.info("remote command %s (%s): %s %s", cmd.command_id, cmd.type,
                 "done" if ok else "failed", detail)
