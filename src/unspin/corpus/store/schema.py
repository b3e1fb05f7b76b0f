"""The database tables, as SQLAlchemy models. Alembic migrations (``store/migrations``) create
and change them; a test checks that the migrations and these models agree.

    articles   one row per distinct text (``content_hash`` is the SHA-256 of the text)
    analyses   one row per (article, model name, model version): done, or failed with a reason
    spans      the techniques an analysis found, with offsets into the article text and the
               voice they are in (author or quoted; NULL for analyses made without attributions)
    attributions  who says what in an article, as an analysis found it (source, cue, content)
    claims     articles that a batch run is analysing now, so that concurrent runs split work
    failures   inputs that could not be read at all (empty, binary, ...), by source
    outlet_aliases  outlet names merged into another name (0002)
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints, so that migrations can refer to them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PHRASE_LENGTH = 200
"""Spans are grouped into 'phrases' by their lower-cased, whitespace-collapsed text, cut here."""
SPEAKER_LENGTH = 200
"""Speaker names are cut to this many characters."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    # The id the article had where it came from: a file name, or a JSONL/CSV id column.
    external_id: Mapped[str | None] = mapped_column(String(500))
    source: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(200), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    language: Mapped[str | None] = mapped_column(String(35))
    words: Mapped[int] = mapped_column(Integer)
    # Every other column or field the input had, kept as it was.
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    added: Mapped[datetime] = mapped_column(DateTime)


class AnalysisRow(Base):
    __tablename__ = "analyses"
    __table_args__ = (
        UniqueConstraint("article_id", "model_name", "model_version"),
        Index("ix_analyses_model", "model_name", "model_version", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    model_name: Mapped[str] = mapped_column(String(100))
    model_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10))  # "done" or "failed"
    error: Mapped[str | None] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime)
    # Whether attributions were looked for (False for results stored before unspin 0.3).
    with_attributions: Mapped[bool] = mapped_column(
        Boolean(create_constraint=False), default=False, server_default=text("false")
    )


class SpanRow(Base):
    __tablename__ = "spans"
    __table_args__ = (Index("ix_spans_analysis_technique", "analysis_id", "technique"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analyses.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    technique: Mapped[str] = mapped_column(String(60), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column("end_", Integer)  # END is a reserved word in SQL
    confidence: Mapped[float] = mapped_column(Float)
    phrase: Mapped[str] = mapped_column(String(PHRASE_LENGTH))
    voice: Mapped[str | None] = mapped_column(String(10), index=True)  # "author" or "quoted"
    attribution: Mapped[int | None] = mapped_column(Integer)  # its index in the analysis


class AttributionRow(Base):
    __tablename__ = "attributions"
    __table_args__ = (UniqueConstraint("analysis_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analyses.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # index in the analysis's list
    source_start: Mapped[int | None] = mapped_column(Integer)
    source_end: Mapped[int | None] = mapped_column(Integer)
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    content_start: Mapped[int] = mapped_column(Integer)
    content_end: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(String(SPEAKER_LENGTH), index=True)
    speaker_kind: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))
    confidence: Mapped[float] = mapped_column(Float)


class ClaimRow(Base):
    """An article a batch run is analysing now: other runs leave it alone until the claim is
    released (its result is stored) or expires (the run died)."""

    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("article_id", "model_name", "model_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    model_name: Mapped[str] = mapped_column(String(100))
    model_version: Mapped[str] = mapped_column(String(40))
    run: Mapped[str] = mapped_column(String(36), index=True)
    expires: Mapped[datetime] = mapped_column(DateTime)


class FailureRow(Base):
    __tablename__ = "failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    source_key: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of source
    reason: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime)


class OutletAliasRow(Base):
    """One outlet name shown as another (``cbsnews.com`` as ``CBS News``): every statistic,
    filter and list groups the articles of ``alias`` under ``outlet``. Articles keep the name
    they were stored with, so a merge can be undone."""

    __tablename__ = "outlet_aliases"

    alias: Mapped[str] = mapped_column(String(200), primary_key=True)
    outlet: Mapped[str] = mapped_column(String(200), index=True)
    created: Mapped[datetime] = mapped_column(DateTime)
