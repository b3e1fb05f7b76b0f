"""outlet aliases: outlet names merged into another name

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outlet_aliases",
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("outlet", sa.String(length=200), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("alias", name=op.f("pk_outlet_aliases")),
    )
    with op.batch_alter_table("outlet_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outlet_aliases_outlet"), ["outlet"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outlet_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outlet_aliases_outlet"))
    op.drop_table("outlet_aliases")
