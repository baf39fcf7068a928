"""Alembic environment for the central service: always run from `central.migrate` with an
open connection (inside the transaction that holds the migration lock)."""

from __future__ import annotations

from alembic import context

from central.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "central migrations run through `python -m central migrate` (central.migrate), "
        "not the alembic CLI"
    )

context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
