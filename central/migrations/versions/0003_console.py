"""The operator console and the service's own work: operator accounts and sessions,
the audit trail, alarm acknowledgements, guessing limits, customer contacts with their
sealed codes and notices, webhook endpoints and deliveries, the scheduler lease.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "central_alarm_ack",
        sa.Column("ack_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alarm_key", sa.String(length=300), nullable=False),
        sa.Column("locker_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("compartment_id", sa.String(length=32), nullable=True),
        sa.Column("since", UTC_TIME, nullable=True),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("acked_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("ack_id"),
        sa.UniqueConstraint("alarm_key"),
    )
    op.create_table(
        "central_audit",
        sa.Column("audit_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("audit_id"),
    )
    op.create_index("ix_central_audit_at", "central_audit", ["at"], unique=False)
    op.create_table(
        "central_lease",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("until", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "central_operator",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", UTC_TIME, nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("last_login_at", UTC_TIME, nullable=True),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "central_throttle",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", UTC_TIME, nullable=False),
        sa.Column("blocked_until", UTC_TIME, nullable=True),
        sa.Column("blocked_since", UTC_TIME, nullable=True),
        sa.Column("last_subject", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("scope", "client"),
    )
    op.create_table(
        "central_webhook_endpoint",
        sa.Column("endpoint_id", sa.String(length=36), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("endpoint_id"),
    )
    op.create_table(
        "central_operator_session",
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("last_seen_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(["operator"], ["central_operator.name"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_hash"),
    )
    op.create_index(
        "ix_central_operator_session_operator",
        "central_operator_session",
        ["operator"],
        unique=False,
    )
    op.create_table(
        "central_webhook_delivery",
        sa.Column("delivery_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("endpoint_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_at", UTC_TIME, nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("sent_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["endpoint_id"], ["central_webhook_endpoint.endpoint_id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("delivery_id"),
        sa.UniqueConstraint("event_id", "endpoint_id", name="uq_central_webhook_delivery"),
    )
    op.create_index(
        "ix_central_webhook_due", "central_webhook_delivery", ["status", "next_at"], unique=False
    )
    op.create_table(
        "central_notification",
        sa.Column("notification_id", sa.String(length=36), nullable=False),
        sa.Column("parcel_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_at", UTC_TIME, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("sent_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["parcel_id"],
            ["central_parcel.parcel_id"],
        ),
        sa.PrimaryKeyConstraint("notification_id"),
    )
    op.create_index(
        "ix_central_notification_due", "central_notification", ["status", "next_at"], unique=False
    )
    op.create_index(
        "ix_central_notification_parcel", "central_notification", ["parcel_id"], unique=False
    )
    op.create_table(
        "central_parcel_contact",
        sa.Column("parcel_id", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("sealed_code", sa.Text(), nullable=True),
        sa.Column("erased_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["parcel_id"],
            ["central_parcel.parcel_id"],
        ),
        sa.PrimaryKeyConstraint("parcel_id"),
    )
    op.create_index(
        "ix_central_parcel_contact_phone", "central_parcel_contact", ["phone"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_central_parcel_contact_phone", table_name="central_parcel_contact")
    op.drop_table("central_parcel_contact")
    op.drop_index("ix_central_notification_parcel", table_name="central_notification")
    op.drop_index("ix_central_notification_due", table_name="central_notification")
    op.drop_table("central_notification")
    op.drop_index("ix_central_webhook_due", table_name="central_webhook_delivery")
    op.drop_table("central_webhook_delivery")
    op.drop_index("ix_central_operator_session_operator", table_name="central_operator_session")
    op.drop_table("central_operator_session")
    op.drop_table("central_webhook_endpoint")
    op.drop_table("central_throttle")
    op.drop_table("central_operator")
    op.drop_table("central_lease")
    op.drop_index("ix_central_audit_at", table_name="central_audit")
    op.drop_table("central_audit")
    op.drop_table("central_alarm_ack")
