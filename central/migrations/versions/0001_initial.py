"""The central schema as the service created it before migrations existed.

A database made by that release (tables present, no alembic_version) is stamped with
this revision by `central.migrate` and upgraded from here; an empty one is built by it.

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Migrations keep their own copy of the types: a later change to central.schema must not
# change what an old revision creates.
UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "central_locker",
        sa.Column("locker_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.String(500), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("code_salt", sa.String(64), nullable=False),
        sa.Column("kdf_n", sa.Integer(), nullable=False),
        sa.Column("kdf_r", sa.Integer(), nullable=False),
        sa.Column("kdf_p", sa.Integer(), nullable=False),
        sa.Column("kdf_dklen", sa.Integer(), nullable=False),
        sa.Column("layout", sa.JSON(), nullable=False),
        sa.Column("layout_version", sa.Integer(), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("locker_id"),
    )
    op.create_table(
        "central_courier",
        sa.Column("courier_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("courier_id"),
    )
    op.create_table(
        "central_locker_status",
        sa.Column("locker_id", sa.String(64), nullable=False),
        sa.Column("last_heartbeat_at", UTC_TIME, nullable=True),
        sa.Column("sent_at", UTC_TIME, nullable=True),
        sa.Column("software_version", sa.String(64), nullable=True),
        sa.Column("outbox_depth", sa.Integer(), nullable=True),
        sa.Column("last_event_seq", sa.BigInteger(), nullable=True),
        sa.Column("board_ok", sa.Boolean(), nullable=True),
        sa.Column("compartments", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["locker_id"], ["central_locker.locker_id"]),
        sa.PrimaryKeyConstraint("locker_id"),
    )
    op.create_table(
        "central_token",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("locker_id", sa.String(64), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("revoked_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(["locker_id"], ["central_locker.locker_id"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_central_token_locker", "central_token", ["locker_id"])
    op.create_table(
        "central_parcel",
        sa.Column("parcel_id", sa.String(64), nullable=False),
        sa.Column("locker_id", sa.String(64), nullable=False),
        sa.Column("order_ref", sa.String(128), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("size", sa.String(4), nullable=False),
        sa.Column("compartment_id", sa.String(32), nullable=True),
        sa.Column("barcode", sa.String(128), nullable=False),
        sa.Column("pickup_code_hash", sa.String(128), nullable=True),
        sa.Column("pickup_deadline", UTC_TIME, nullable=False),
        sa.Column("recipient_hint", sa.String(200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("physical_at", UTC_TIME, nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(["locker_id"], ["central_locker.locker_id"]),
        sa.PrimaryKeyConstraint("parcel_id"),
        sa.UniqueConstraint("locker_id", "order_ref", name="uq_central_parcel_order_ref"),
    )
    op.create_index("ix_central_parcel_pull", "central_parcel", ["locker_id", "change_seq"])
    op.create_index("ix_central_parcel_deadline", "central_parcel", ["state", "pickup_deadline"])
    op.create_index("ix_central_parcel_barcode", "central_parcel", ["locker_id", "barcode"])
    op.create_table(
        "central_courier_locker",
        sa.Column("courier_id", sa.String(64), nullable=False),
        sa.Column("locker_id", sa.String(64), nullable=False),
        sa.Column("pin_hash", sa.String(128), nullable=True),
        sa.Column("badge_hash", sa.String(128), nullable=True),
        sa.Column("assigned", sa.Boolean(), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["courier_id"], ["central_courier.courier_id"]),
        sa.ForeignKeyConstraint(["locker_id"], ["central_locker.locker_id"]),
        sa.PrimaryKeyConstraint("courier_id", "locker_id"),
    )
    op.create_index(
        "ix_central_courier_pull", "central_courier_locker", ["locker_id", "change_seq"]
    )
    op.create_table(
        "central_event",
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("locker_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("occurred_at", UTC_TIME, nullable=False),
        sa.Column("parcel_id", sa.String(64), nullable=True),
        sa.Column("compartment_id", sa.String(32), nullable=True),
        sa.Column("actor_kind", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("received_at", UTC_TIME, nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["locker_id"], ["central_locker.locker_id"]),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index("ix_central_event_log", "central_event", ["locker_id", "change_seq"])
    op.create_index("ix_central_event_seq", "central_event", ["locker_id", "seq"])
    op.create_index("ix_central_event_type", "central_event", ["type", "received_at"])
    op.create_table(
        "central_command",
        sa.Column("command_id", sa.String(36), nullable=False),
        sa.Column("locker_id", sa.String(64), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("compartment_id", sa.String(32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.Column("delivered_at", UTC_TIME, nullable=True),
        sa.Column("result_at", UTC_TIME, nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["locker_id"], ["central_locker.locker_id"]),
        sa.PrimaryKeyConstraint("command_id"),
    )
    op.create_index("ix_central_command_open", "central_command", ["locker_id", "status"])


def downgrade() -> None:
    for table in (
        "central_command",
        "central_event",
        "central_courier_locker",
        "central_parcel",
        "central_token",
        "central_locker_status",
        "central_courier",
        "central_locker",
    ):
        op.drop_table(table)
