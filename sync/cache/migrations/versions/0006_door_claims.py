"""Door contents are the kiosk's own knowledge: claims from the central service wait in
`door_claim`; `sync_state.first_pull_done_at` marks the end of building the cache from
nothing. Compartment states are recomputed from their parcels by the one rule
(`sync.cache.contents`), which earlier versions did not apply to pulled parcels.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sync.cache.models import UTCDateTime

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INSIDE = "('stored', 'expired', 'cancelled')"


def upgrade() -> None:
    op.create_table(
        "door_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parcel_id", sa.String(), nullable=False),
        sa.Column("compartment_id", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("unverified", "verified", "refuted", "refused", name="claimstatus",
                    native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("detail", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("door_claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_door_claim_parcel_id"), ["parcel_id"])
        batch_op.create_index(batch_op.f("ix_door_claim_compartment_id"), ["compartment_id"])
        batch_op.create_index(batch_op.f("ix_door_claim_status"), ["status"])
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_pull_done_at", UTCDateTime(), nullable=True))
    # A cache that has pulled before was not built from nothing today.
    op.execute("UPDATE sync_state SET first_pull_done_at = "
               "COALESCE(last_success_at, CURRENT_TIMESTAMP) "
               "WHERE parcel_cursor IS NOT NULL")
    op.execute(
        "UPDATE compartment SET state = 'occupied' WHERE state = 'free' AND EXISTS ("
        "SELECT 1 FROM parcel WHERE parcel.compartment_id = compartment.id "
        f"AND parcel.state IN {_INSIDE})")
    op.execute(
        "UPDATE compartment SET state = 'free' WHERE state = 'occupied' AND NOT EXISTS ("
        "SELECT 1 FROM parcel WHERE parcel.compartment_id = compartment.id "
        f"AND parcel.state IN {_INSIDE})")


def downgrade() -> None:
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.drop_column("first_pull_done_at")
    op.drop_table("door_claim")
