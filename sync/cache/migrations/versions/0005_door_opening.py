"""Door openings get a table of their own: outcome, close and settlement as columns.

Until now the outcome of an opening and its settlement after a restart were only
written as audit text ("intent 12: opened ...", "recovery: intent 12 settled: closed"),
and the start-up recovery read them back with regular expressions. The audit journal
stays as it is (append-only evidence); the same facts now live in `door_opening`, one
row per intent, so the code asks columns. Openings already in the journal are carried
over here, once, from the texts the earlier release wrote.

Revision ID: 0005
Revises: 0004
"""

import json
import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from sync.cache.models import UTCDateTime

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUTCOMES = ("opened", "already_open", "jammed", "not_sent", "unconfirmed")
SETTLEMENTS = ("unconfirmed", "picked_up", "deposited", "closed", "collect_interrupted",
               "refused")
ACTORS = ("customer", "courier", "technician", "operator", "system")

# The texts the earlier release wrote, read here once and never again.
_OUTCOME_TEXT = re.compile(r"^intent (\d+): (\S+)")
_SETTLED_TEXT = re.compile(r"^recovery: intent (\d+) settled: (\S+)")
_COMMAND_REASON = re.compile(r"^remote command (\S+):")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        "door_opening",
        sa.Column("intent_id", sa.Integer(), nullable=False),
        sa.Column("compartment_id", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("parcel_ids", sa.Text(), nullable=False),
        sa.Column("actor_kind", _enum(ACTORS, "actorkind"), nullable=False),
        sa.Column("actor_id", sa.String(), nullable=True),
        sa.Column("command_id", sa.String(), nullable=True),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("outcome", _enum(OUTCOMES, "openingoutcome"), nullable=True),
        sa.Column("outcome_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("settlement", _enum(SETTLEMENTS, "openingsettlement"), nullable=True),
        sa.Column("settled_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("intent_id"),
    )
    with op.batch_alter_table("door_opening", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_door_opening_compartment_id"),
                              ["compartment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_door_opening_command_id"), ["command_id"],
                              unique=False)
    _carry_over(op.get_bind())


def _data(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _carry_over(conn: sa.Connection) -> None:
    """One row per door-open intent already in the journal, with what the journal said."""
    intents = conn.exec_driver_sql(
        "SELECT id, at, compartment_id, actor_kind, actor_id, event_id FROM audit "
        "WHERE kind = 'door_open' AND compartment_id IS NOT NULL ORDER BY id").fetchall()
    if not intents:
        return
    outcome: dict[int, tuple[str, Any]] = {}
    settled: dict[int, tuple[str, Any]] = {}
    for detail, at in conn.exec_driver_sql(
            "SELECT detail, at FROM audit WHERE kind IN ('door_outcome', 'note') "
            "ORDER BY id").fetchall():
        if (m := _OUTCOME_TEXT.match(detail)) and m.group(2) in OUTCOMES:
            outcome[int(m.group(1))] = (m.group(2), at)
        elif (m := _SETTLED_TEXT.match(detail)) and m.group(2) in SETTLEMENTS:
            settled[int(m.group(1))] = (m.group(2), at)
    events = {row[0]: row for row in conn.exec_driver_sql(
        "SELECT event_id, seq, data FROM outbox WHERE type = 'compartment.opened'")}
    closed: dict[int, Any] = {}
    for data, at in conn.exec_driver_sql(
            "SELECT data, occurred_at FROM outbox WHERE type = 'compartment.closed'"):
        intent_id = _data(data).get("intent_id")
        if isinstance(intent_id, int):
            closed.setdefault(intent_id, at)
    rows = []
    for intent_id, at, compartment_id, actor_kind, actor_id, event_id in intents:
        event = events.get(event_id)
        data = _data(event[2]) if event is not None else {}
        reason = str(data.get("reason", ""))
        command = _COMMAND_REASON.match(reason)
        told = outcome.get(intent_id)
        settlement = settled.get(intent_id)
        rows.append({
            "intent_id": intent_id, "compartment_id": compartment_id, "reason": reason,
            "parcel_ids": json.dumps([str(p) for p in data.get("parcel_ids", ())]),
            "actor_kind": actor_kind, "actor_id": actor_id,
            "command_id": command.group(1) if command else None,
            "event_seq": event[1] if event is not None else 0,
            "requested_at": at,
            "outcome": told[0] if told else None, "outcome_at": told[1] if told else None,
            "closed_at": closed.get(intent_id),
            "settlement": settlement[0] if settlement else None,
            "settled_at": settlement[1] if settlement else None,
        })
    conn.execute(sa.text(
        "INSERT INTO door_opening (intent_id, compartment_id, reason, parcel_ids, "
        "actor_kind, actor_id, command_id, event_seq, requested_at, outcome, outcome_at, "
        "closed_at, settlement, settled_at) VALUES (:intent_id, :compartment_id, :reason, "
        ":parcel_ids, :actor_kind, :actor_id, :command_id, :event_seq, :requested_at, "
        ":outcome, :outcome_at, :closed_at, :settlement, :settled_at)"), rows)


def downgrade() -> None:
    # The audit journal still holds every fact of this table in words.
    with op.batch_alter_table("door_opening", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_door_opening_command_id"))
        batch_op.drop_index(batch_op.f("ix_door_opening_compartment_id"))
    op.drop_table("door_opening")
