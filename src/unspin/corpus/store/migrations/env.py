"""Alembic environment: unspin runs migrations itself, on a connection it passes in.

``unspin db upgrade`` and every ``Store.open`` call ``command.upgrade`` with
``config.attributes["connection"]`` set, so there is no alembic.ini and no URL here.
"""

from __future__ import annotations

from alembic import context

from unspin.corpus.store.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place: batch mode copies the table instead.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
