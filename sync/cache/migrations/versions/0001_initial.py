"""Initial cache schema: compartments, parcels, couriers, outbox, commands, audit, sync state.

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sync.cache.models import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "door_open",
                "door_outcome",
                "code_denied",
                "login",
                "login_failed",
                "pickup",
                "deposit",
                "collection",
                "compartment_state",
                "layout",
                "command",
                "alarm",
                "note",
                name="auditkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "actor_kind",
            sa.Enum(
                "customer",
                "courier",
                "technician",
                "operator",
                "system",
                name="actorkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("actor_id", sa.String(), nullable=True),
        sa.Column("compartment_id", sa.String(), nullable=True),
        sa.Column("parcel_id", sa.String(), nullable=True),
        sa.Column("event_id", sa.String(), nullable=True),
        sa.Column("detail", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_at"), ["at"], unique=False)

    op.create_table(
        "command",
        sa.Column("command_id", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("compartment_id", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "running",
                "done",
                "failed",
                name="commandstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("detail", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("command_id"),
    )
    with op.batch_alter_table("command", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_command_status"), ["status"], unique=False)

    op.create_table(
        "compartment",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("board", sa.Integer(), nullable=False),
        sa.Column("channel", sa.Integer(), nullable=False),
        sa.Column("size", sa.String(length=16), nullable=False),
        sa.Column("column", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "free",
                "reserved",
                "occupied",
                "out_of_service",
                "fault",
                name="compartmentstate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "door",
            sa.Enum("open", "closed", "unknown", name="doorstate", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("occupied", sa.Boolean(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "courier",
        sa.Column("courier_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("pin_hash", sa.String(), nullable=True),
        sa.Column("badge_hash", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("courier_id"),
    )
    with op.batch_alter_table("courier", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_courier_badge_hash"), ["badge_hash"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "parcel.deposited",
                "parcel.picked_up",
                "parcel.collected",
                "parcel.deposit_failed",
                "compartment.opened",
                "compartment.closed",
                "compartment.forced_open",
                "compartment.left_open",
                "compartment.jammed",
                "compartment.out_of_service",
                "compartment.in_service",
                "code.denied",
                "code.lockout",
                "courier.login",
                "courier.login_failed",
                "technician.login",
                "command.completed",
                "command.failed",
                "locker.started",
                name="eventtype",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("parcel_id", sa.String(), nullable=True),
        sa.Column("compartment_id", sa.String(), nullable=True),
        sa.Column(
            "actor_kind",
            sa.Enum(
                "customer",
                "courier",
                "technician",
                "operator",
                "system",
                name="actorkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("actor_id", sa.String(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("rejected_code", sa.String(), nullable=True),
        sa.Column("rejected_message", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("event_id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_parcel_id"), ["parcel_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_sent_at"), ["sent_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_seq"), ["seq"], unique=True)

    op.create_table(
        "parcel",
        sa.Column("parcel_id", sa.String(), nullable=False),
        sa.Column("order_ref", sa.String(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "expected",
                "stored",
                "picked_up",
                "expired",
                "collected",
                "cancelled",
                name="parcelstate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("size", sa.String(), nullable=True),
        sa.Column("compartment_id", sa.String(), nullable=True),
        sa.Column("pickup_code_hash", sa.String(), nullable=True),
        sa.Column("pickup_deadline", UTCDateTime(), nullable=True),
        sa.Column("barcode", sa.String(), nullable=True),
        sa.Column("recipient_hint", sa.String(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("local_base_version", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("parcel_id"),
    )
    with op.batch_alter_table("parcel", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parcel_barcode"), ["barcode"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_parcel_compartment_id"), ["compartment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_parcel_pickup_code_hash"), ["pickup_code_hash"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_parcel_state"), ["state"], unique=False)

    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locker_id", sa.String(), nullable=True),
        sa.Column("locker_name", sa.String(), nullable=True),
        sa.Column("address", sa.String(), nullable=True),
        sa.Column("timezone", sa.String(), nullable=True),
        sa.Column("code_salt", sa.String(), nullable=True),
        sa.Column("code_kdf", sa.String(), nullable=True),
        sa.Column("layout_version", sa.String(), nullable=True),
        sa.Column("profile_updated_at", UTCDateTime(), nullable=True),
        sa.Column("parcel_cursor", sa.String(), nullable=True),
        sa.Column("courier_cursor", sa.String(), nullable=True),
        sa.Column("last_event_seq", sa.Integer(), nullable=False),
        sa.Column("last_success_at", UTCDateTime(), nullable=True),
        sa.Column("last_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("last_error_at", UTCDateTime(), nullable=True),
        sa.Column("offline_since", UTCDateTime(), nullable=True),
        sa.Column("clock_skew_s", sa.Float(), nullable=True),
        sa.Column("outbox_depth", sa.Integer(), nullable=False),
        sa.Column("last_heartbeat_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
    with op.batch_alter_table("parcel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parcel_state"))
        batch_op.drop_index(batch_op.f("ix_parcel_pickup_code_hash"))
        batch_op.drop_index(batch_op.f("ix_parcel_compartment_id"))
        batch_op.drop_index(batch_op.f("ix_parcel_barcode"))

    op.drop_table("parcel")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_seq"))
        batch_op.drop_index(batch_op.f("ix_outbox_sent_at"))
        batch_op.drop_index(batch_op.f("ix_outbox_parcel_id"))

    op.drop_table("outbox")
    with op.batch_alter_table("courier", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_courier_badge_hash"))

    op.drop_table("courier")
    op.drop_table("compartment")
    with op.batch_alter_table("command", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_command_status"))

    op.drop_table("command")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_at"))

    op.drop_table("audit")
