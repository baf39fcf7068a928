"""Remote commands for the kiosk: listed, claimed before running (at most once, even
across a crash), and finished with a `command.completed` / `command.failed` event."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from sync.cache import journal
from sync.cache.base import CacheBase
from sync.cache.errors import InvalidTransition, NotFound
from sync.cache.models import (
    ActorKind,
    AuditKind,
    Command,
    EventType,
    LocalCommandStatus,
    OutboxEvent,
)


class CommandsMixin(CacheBase):
    """Remote commands, as the kiosk runs them."""

    # -- remote commands -----------------------------------------------------------------

    def pending_commands(self) -> list[Command]:
        """Commands not yet claimed and not expired, oldest first."""
        now = self._clock()
        with self.read() as s:
            q = select(Command).where(Command.status == LocalCommandStatus.PENDING)
            rows = list(s.exec(q.order_by(col(Command.received_at))))
        return [c for c in rows if c.expires_at is None or c.expires_at > now]

    def claim_command(self, command_id: str) -> Command | None:
        """Mark the command running before executing it, so it runs at most once even if
        the kiosk dies halfway. None if it was already claimed or finished, or has expired
        (then it is failed with a `command.failed` event)."""
        now = self._clock()
        with self.write() as s:
            cmd = s.get(Command, command_id)
            if cmd is None:
                raise NotFound(f"no remote command {command_id!r} in the cache")
            if cmd.status != LocalCommandStatus.PENDING:
                return None
            if cmd.expires_at is not None and cmd.expires_at <= now:
                _finish_command(s, cmd, ok=False, detail="expired before it could run", at=now)
                return None
            cmd.status = LocalCommandStatus.RUNNING
            s.add(cmd)
            return cmd

    def mark_command_done(self, command_id: str, ok: bool, detail: str = "") -> OutboxEvent:
        """Record the result: `command.completed` / `command.failed` event plus audit."""
        now = self._clock()
        with self.write() as s:
            cmd = s.get(Command, command_id)
            if cmd is None:
                raise NotFound(f"no remote command {command_id!r} in the cache")
            if cmd.status in (LocalCommandStatus.DONE, LocalCommandStatus.FAILED):
                raise InvalidTransition(f"command {command_id} already finished ({cmd.status})")
            return _finish_command(s, cmd, ok=ok, detail=detail, at=now)



def _finish_command(
    s: Session, cmd: Command, *, ok: bool, detail: str, at: datetime
) -> OutboxEvent:
    cmd.status = LocalCommandStatus.DONE if ok else LocalCommandStatus.FAILED
    cmd.finished_at, cmd.detail = at, detail
    s.add(cmd)
    ev = journal.append_event(
        s, EventType.COMMAND_COMPLETED if ok else EventType.COMMAND_FAILED, at=at,
        compartment_id=cmd.compartment_id, actor_kind=ActorKind.OPERATOR,
        data={"command_id": cmd.command_id, "command_type": cmd.type, "detail": detail},
    )
    journal.append_audit(
        s, AuditKind.COMMAND, at=at, actor_kind=ActorKind.OPERATOR,
        compartment_id=cmd.compartment_id, event_id=ev.event_id,
        detail=f"{cmd.type} {cmd.command_id}: {'done' if ok else 'failed'} {detail}".strip(),
    )
    return ev
