"""Parcels carry the "accessible" flag: the recipient needs a compartment within seated
reach. Parcels announced before this revision were never flagged.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("central_parcel") as batch_op:
        batch_op.add_column(
            sa.Column("accessible", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("central_parcel") as batch_op:
        batch_op.drop_column("accessible")
