"""Kiosk state kept across restarts (lockouts, the remote-open cap, kiosk time), and the
keyed hash of each parcel's QR secret.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sync.cache.models import UTCDateTime

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kiosk_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("parcel", schema=None) as batch_op:
        batch_op.add_column(sa.Column("qr_hash", sa.String(), nullable=True))
        batch_op.create_index(batch_op.f("ix_parcel_qr_hash"), ["qr_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("parcel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parcel_qr_hash"))
        batch_op.drop_column("qr_hash")
    op.drop_table("kiosk_state")
