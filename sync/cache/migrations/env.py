"""Alembic environment for the cache: always run from `sync.cache.migrate` with an open
connection, in batch mode (SQLite cannot ALTER most things in place)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import sync.cache.models  # noqa: F401  (registers the tables on SQLModel.metadata)

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "cache migrations run through sync.cache.migrate.upgrade(path), not the alembic CLI"
    )

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
