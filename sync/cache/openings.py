"""The questions asked about door openings after a restart, as named queries.

Every opening has a `door_opening` row from its intent on (written by `recording`):
outcome, close and settlement are columns. The start-up recovery asks these and
decides by its own rules; nothing here fires a lock or changes a parcel.
"""

from __future__ import annotations

from sqlmodel import col, select

from sync.cache import journal
from sync.cache.base import CacheBase
from sync.cache.errors import NotFound
from sync.cache.models import (
    ActorKind,
    AuditEntry,
    AuditKind,
    Command,
    DoorOpening,
    EventType,
    LocalCommandStatus,
    OpeningSettlement,
    OutboxEvent,
)
from sync.cache.records import InterruptedCommand

SETTLED_NOTE = "recovery: intent {id} settled: {how}"


class OpeningsMixin(CacheBase):
    """Door openings: what is unfinished, and settling it."""

    def unsettled_openings(self, limit: int = 200) -> list[DoorOpening]:
        """Of the newest `limit` openings, the last one of each door, when it has no
        settlement yet; oldest first. An older opening of a door that opened again
        since is never returned: only the last opening of each door counts."""
        with self.read() as s:
            newest = list(s.exec(select(DoorOpening).order_by(
                col(DoorOpening.intent_id).desc()).limit(limit)))
        last: dict[str, DoorOpening] = {}
        for opening in newest:
            last.setdefault(opening.compartment_id, opening)
        return sorted((o for o in last.values() if o.settlement is None),
                      key=lambda o: o.intent_id)

    def interrupted_commands(self) -> list[InterruptedCommand]:
        """Remote commands claimed (running) and never finished, each with the last door
        opening it started and that opening's outcome (None where it never got there)."""
        with self.read() as s:
            running = list(s.exec(select(Command.command_id).where(
                Command.status == LocalCommandStatus.RUNNING)))
            out = []
            for command_id in running:
                opening = s.exec(select(DoorOpening).where(
                    DoorOpening.command_id == command_id,
                ).order_by(col(DoorOpening.intent_id).desc())).first()
                out.append(InterruptedCommand(
                    command_id, opening.intent_id if opening else None,
                    opening.outcome if opening else None))
        return out

    def deposit_moved_on(self, parcel_id: str, after_seq: int) -> bool:
        """Whether the parcel's deposit went on after the event `after_seq`: it was
        cancelled (`parcel.deposit_failed`) or another door was opened for it."""
        with self.read() as s:
            later = s.exec(select(OutboxEvent.event_id).where(
                OutboxEvent.parcel_id == parcel_id, col(OutboxEvent.seq) > after_seq,
                col(OutboxEvent.type).in_([EventType.PARCEL_DEPOSIT_FAILED,
                                           EventType.COMPARTMENT_OPENED]),
            )).first()
        return later is not None

    def last_door_audit(self, compartment_id: str) -> AuditEntry | None:
        """The newest audit row about a door, service-state changes left aside."""
        with self.read() as s:
            return s.exec(select(AuditEntry).where(
                AuditEntry.compartment_id == compartment_id,
                AuditEntry.kind != AuditKind.COMPARTMENT_STATE,
            ).order_by(col(AuditEntry.id).desc())).first()

    def settle_opening(self, intent_id: int, settlement: OpeningSettlement) -> None:
        """Record how an unfinished opening was finished: the column, and an audit note
        for people, in one transaction. A later start does not settle it again."""
        now = self._clock()
        with self.write() as s:
            opening = s.get(DoorOpening, intent_id)
            if opening is None:
                raise NotFound(f"no door opening with intent id {intent_id}")
            opening.settlement, opening.settled_at = OpeningSettlement(settlement), now
            s.add(opening)
            journal.append_audit(
                s, AuditKind.NOTE, at=now, actor_kind=ActorKind.SYSTEM,
                compartment_id=opening.compartment_id,
                detail=SETTLED_NOTE.format(id=intent_id, how=opening.settlement.value))
