"""Alembic environment: always run programmatically by studio.store.migrate with a connection."""

from alembic import context

from studio.store.orm import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("studio migrations run through studio.store.migrate, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
