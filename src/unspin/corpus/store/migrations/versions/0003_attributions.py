"""attributions and voices

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 11:00:00

Analyses stored before it keep their spans with no voice (NULL) and ``with_attributions``
false: they are shown as having no attribution, not as the author's voice.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy: on SQLite a batch copy drops and recreates the
    # table, and with foreign keys on, dropping ``analyses`` cascades to every span (a test
    # upgrades a 0.2 database and checks that nothing is lost).
    op.add_column(
        "analyses",
        sa.Column(
            "with_attributions",
            sa.Boolean(create_constraint=False),
            server_default=sa.text("false"),
            nullable=False,
        ),
    )
    op.add_column("spans", sa.Column("voice", sa.String(length=10), nullable=True))
    op.add_column("spans", sa.Column("attribution", sa.Integer(), nullable=True))
    op.create_index("ix_spans_voice", "spans", ["voice"], unique=False)
    op.create_table(
        "attributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("analysis_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source_start", sa.Integer(), nullable=True),
        sa.Column("source_end", sa.Integer(), nullable=True),
        sa.Column("cue_start", sa.Integer(), nullable=True),
        sa.Column("cue_end", sa.Integer(), nullable=True),
        sa.Column("content_start", sa.Integer(), nullable=False),
        sa.Column("content_end", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(length=200), nullable=True),
        sa.Column("speaker_kind", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["analysis_id"],
            ["analyses.id"],
            name=op.f("fk_attributions_analysis_id_analyses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_attributions_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attributions")),
        sa.UniqueConstraint("analysis_id", "position", name=op.f("uq_attributions_analysis_id")),
    )
    op.create_index(
        op.f("ix_attributions_article_id"), "attributions", ["article_id"], unique=False
    )
    op.create_index(op.f("ix_attributions_speaker"), "attributions", ["speaker"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_attributions_speaker"), table_name="attributions")
    op.drop_index(op.f("ix_attributions_article_id"), table_name="attributions")
    op.drop_table("attributions")
    op.drop_index("ix_spans_voice", table_name="spans")
    op.drop_column("spans", "attribution")
    op.drop_column("spans", "voice")
    op.drop_column("analyses", "with_attributions")
