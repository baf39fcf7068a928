"""One door opening, from intent to close, shared by every flow that opens doors.

The intent is written to the cache (audit + outbox) before the unlock frame leaves, so
a power cut can never leave an opening nobody knows about. An unlock is sent once;
`outcome_unknown` is confirmed by watching the door, never by sending again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.flows.clock import Clock
from kiosk.flows.ports import (
    Actor,
    Bank,
    Compartment,
    ConfirmerFactory,
    DoorConfirmer,
    DoorState,
    EventType,
    OpeningOutcome,
    OpenOutcome,
    Store,
    UnlockResult,
)

log = logging.getLogger(__name__)


class DoorPhase(StrEnum):
    opening = "opening"  # unlock sent (or its outcome unknown): watching the sensor
    open = "open"  # confirmed open (opened or already_open), waiting for close
    closed = "closed"
    jammed = "jammed"  # the sensor never showed open within the confirm timeout
    not_sent = "not_sent"  # the frame never left: the board is unreachable


class BoardUnavailable(RuntimeError):
    """The lock bank cannot be reached at all; show out-of-service, call a technician."""


@dataclass
class DoorJob:
    compartment: Compartment
    parcel_ids: tuple[str, ...]
    reason: str
    intent_id: int
    started_at: float
    unlock: UnlockResult | None = None
    phase: DoorPhase = DoorPhase.opening
    outcome: OpenOutcome | None = None
    opened_at: float | None = None
    closed_at: float | None = None
    last_door: DoorState = DoorState.UNKNOWN
    confirmer: DoorConfirmer | None = field(default=None, repr=False)

    @property
    def compartment_id(self) -> str:
        return self.compartment.compartment_id


class DoorOperator:
    """Opens doors for one actor and follows each to its close."""

    def __init__(
        self,
        store: Store,
        bank: Bank,
        clock: Clock,
        confirmers: ConfirmerFactory,
        *,
        confirm_timeout_s: float,
    ) -> None:
        self._store = store
        self._bank = bank
        self._clock = clock
        self._confirmers = confirmers
        self._confirm_timeout_s = confirm_timeout_s

    def open(
        self,
        compartment: Compartment,
        *,
        actor: Actor,
        reason: str,
        before: DoorState,
        parcel_ids: tuple[str, ...] = (),
        command_id: str | None = None,
    ) -> DoorJob:
        """Record the intent, send the unlock once, start confirming. `command_id`: the
        remote command the opening runs, if any (a restart finishes that command)."""
        intent = self._store.record_open_intent(
            compartment.compartment_id, actor=actor, reason=reason, parcel_ids=parcel_ids,
            command_id=command_id,
        )
        now = self._clock.monotonic()
        job = DoorJob(compartment, parcel_ids, reason, intent, now, last_door=before)
        try:
            job.unlock = self._bank.unlock(compartment.compartment_id)
        except BoardUnavailable:
            job.unlock = UnlockResult.NOT_SENT
        log.info("unlock %s for %s: %s", compartment.compartment_id, reason, job.unlock)
        if job.unlock is UnlockResult.NOT_SENT:
            job.phase = DoorPhase.not_sent
            self._store.record_open_outcome(intent, OpeningOutcome.NOT_SENT)
            return job
        job.confirmer = self._confirmers(before, now, self._confirm_timeout_s)
        return job

    def update(self, job: DoorJob, door: DoorState | None, actor: Actor) -> DoorPhase:
        """Feed a fresh reading (or None on a clock tick); returns the new phase."""
        if door is not None:
            job.last_door = door
        now = self._clock.monotonic()
        if job.phase is DoorPhase.opening and job.confirmer is not None:
            outcome = job.confirmer.update(job.last_door, now)
            if outcome is not None:
                job.outcome = outcome
                self._store.record_open_outcome(
                    job.intent_id, OpeningOutcome(outcome), f"unlock {job.unlock}")
                if job.outcome is OpenOutcome.JAMMED:
                    job.phase = DoorPhase.jammed
                else:
                    job.phase = DoorPhase.open
                    job.opened_at = now
        elif job.phase is DoorPhase.open and job.last_door is DoorState.CLOSED:
            job.phase = DoorPhase.closed
            job.closed_at = now
            self._store.record_event(
                EventType.COMPARTMENT_CLOSED, actor=actor, compartment_id=job.compartment_id,
                parcel_id=job.parcel_ids[0] if len(job.parcel_ids) == 1 else None,
                data={"intent_id": job.intent_id, "open_s": round(now - (job.opened_at or now), 1)},
            )
        return job.phase
