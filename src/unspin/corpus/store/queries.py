"""Corpus questions asked of the store: which articles match, and each with its result.

Every query takes a ``CorpusFilter``: one model's results, optionally narrowed to outlets, a
date range, a technique, a text search and a minimum confidence. ``stats.py`` asks the
statistics (rates, timeline, phrases) with the same conditions. ``unspin.Corpus`` is the
only caller; the CLI and the web app go through it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from unspin._article import (
    Article,
    ArticleMeta,
    Attribution,
    ModelInfo,
    Piece,
    Span,
    with_headline_marks,
)
from unspin.corpus.store.db import Store
from unspin.corpus.store.outlets import condition as outlet_condition
from unspin.corpus.store.outlets import join_alias, shown, shown_name
from unspin.corpus.store.schema import (
    AnalysisRow,
    ArticleRow,
    AttributionRow,
    OutletAliasRow,
    SpanRow,
)


@dataclass(frozen=True, slots=True)
class CorpusFilter:
    """Which results a query looks at: the one filter of every corpus query, page and export.

    ``model`` is whose results (``None``: the corpus decides, see ``Corpus.model_info``);
    ``until`` is inclusive; ``text`` matches title or text, ignoring case. ``technique``,
    ``voice`` (``author`` or ``quoted``) and ``speaker`` (a quoted span's speaker) keep the
    articles with at least one such span and count only those spans."""

    model: ModelInfo | None = None
    outlets: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    technique: str | None = None
    text: str | None = None
    min_confidence: float = 0.0
    voice: str | None = None
    speaker: str | None = None

    @property
    def narrows_spans(self) -> bool:
        return bool(self.technique or self.voice or self.speaker)

    def keeps(self, article: Article, span: Span) -> bool:
        """Whether this span counts under the filter (as the queries count it)."""
        if span.confidence < self.min_confidence:
            return False
        if self.technique and span.technique != self.technique:
            return False
        if self.voice and span.voice != self.voice:
            return False
        if self.speaker:
            found = article.attributions or ()
            index = span.attribution
            if index is None or index >= len(found) or found[index].speaker != self.speaker:
                return False
        return True


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    id: int
    title: str | None
    outlet: str | None
    published: date | None
    url: str | None
    words: int
    spans: int


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """One stored article with its metadata and, if the model analysed it, its result."""

    id: int
    content_hash: str
    external_id: str | None
    source: str | None
    meta: ArticleMeta
    words: int
    status: str | None  # "done", "failed", or None when the model has not analysed it
    error: str | None
    article: Article | None

    @property
    def title(self) -> str | None:
        return self.meta.title

    @property
    def outlet(self) -> str | None:
        return self.meta.outlet

    @property
    def url(self) -> str | None:
        return self.meta.url

    @property
    def published(self) -> date | None:
        return self.meta.published

    @property
    def language(self) -> str | None:
        return self.meta.language

    def metadata(self) -> dict[str, Any]:
        """Metadata as ``analyze --format json`` and ``unspin export`` write it."""
        data = self.meta.to_dict()
        extra = data.pop("extra", None)
        data["content_hash"] = self.content_hash
        if extra:
            data["extra"] = extra
        return data

    def as_article(self) -> Article | None:
        """The result as an ``Article`` carrying its metadata and store id (what every output
        format writes), or ``None`` when this model has no result for it."""
        if self.article is None:
            return None
        return replace(self.article, metadata=self.metadata(), store_id=self.id)

    def to_dict(self, min_confidence: float = 0.0) -> dict[str, Any]:
        """The one JSON form of a stored article (export, JSON API, web analysis): the result
        as ``analyze --format json`` writes it (when there is one), ``store_id``, ``status``,
        ``error`` when it failed, and ``metadata``."""
        article = self.as_article()
        data = article.filtered(min_confidence).to_dict() if article else {}
        data.update(store_id=self.id, status=self.status, metadata=self.metadata())
        if self.error:
            data["error"] = self.error
        return data


# -- building blocks ----------------------------------------------------------------------


def _done(model: ModelInfo | None, analysis: Any = AnalysisRow) -> Any:
    if model is None:
        raise ValueError("a corpus query needs a model: use Corpus, which chooses one")
    return and_(
        analysis.model_name == model.name,
        analysis.model_version == model.version,
        analysis.status == "done",
    )


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _article_conditions(f: CorpusFilter, *, of_spans: bool = False) -> list[Any]:
    """Conditions on ``ArticleRow`` that every query shares. ``of_spans``: for a query of
    spans joined to a done analysis of the model and kept by ``_span_conditions``, which
    already says that the article was analysed and has a span of the technique (the two
    subqueries cost a third of such a query's time on a large corpus)."""
    # Own aliases, so that these subqueries never correlate with the outer query's tables.
    analysis, span = aliased(AnalysisRow), aliased(SpanRow)
    conditions: list[Any] = []
    if not of_spans:
        conditions.append(
            exists().where(analysis.article_id == ArticleRow.id, _done(f.model, analysis))
        )
    if f.outlets:
        conditions.append(outlet_condition(f.outlets))
    if f.since is not None:
        conditions.append(ArticleRow.published >= f.since)
    if f.until is not None:
        conditions.append(ArticleRow.published <= f.until)
    if f.text:
        pattern = _like(f.text)
        conditions.append(
            or_(
                ArticleRow.title.ilike(pattern, escape="\\"),
                ArticleRow.text.ilike(pattern, escape="\\"),
            )
        )
    if f.narrows_spans and not of_spans:
        conditions.append(
            exists().where(
                span.article_id == ArticleRow.id,
                span.confidence >= f.min_confidence,
                span.analysis_id == analysis.id,
                _done(f.model, analysis),
                *_span_kind(f, span),
            )
        )
    return conditions


def _span_conditions(f: CorpusFilter) -> list[Any]:
    """Conditions on ``SpanRow`` (joined to its analysis and article) for counted spans."""
    conditions: list[Any] = [
        SpanRow.analysis_id == AnalysisRow.id,
        SpanRow.article_id == ArticleRow.id,
        _done(f.model),
        SpanRow.confidence >= f.min_confidence,
    ]
    conditions += _span_kind(f, SpanRow)
    return conditions


def _span_kind(f: CorpusFilter, span: Any) -> list[Any]:
    """Conditions on a span (``SpanRow`` or an alias) for technique, voice and speaker."""
    conditions: list[Any] = []
    if f.technique:
        conditions.append(span.technique == f.technique)
    if f.voice:
        conditions.append(span.voice == f.voice)
    if f.speaker:
        said = aliased(AttributionRow)
        conditions.append(
            exists().where(
                said.analysis_id == span.analysis_id,
                said.position == span.attribution,
                said.speaker == f.speaker,
            )
        )
    return conditions


def _outlet(value: str | None) -> str:
    return shown_name(value)


# -- queries --------------------------------------------------------------------------------


def date_range(store: Store) -> tuple[date | None, date | None]:
    with store.session() as session:
        row = session.execute(
            select(func.min(ArticleRow.published), func.max(ArticleRow.published))
        ).one()
    return row[0], row[1]


def articles(
    store: Store, f: CorpusFilter, *, limit: int = 50, offset: int = 0
) -> tuple[list[ArticleSummary], int]:
    """A page of matching articles (newest first) with their span counts, and the total."""
    conditions = _article_conditions(f)
    span_count = (
        select(func.count(SpanRow.id))
        .where(*_span_conditions(f))
        .correlate(ArticleRow)
        .scalar_subquery()
    )
    alias = aliased(OutletAliasRow)
    query: Select[Any] = (
        select(
            ArticleRow.id,
            ArticleRow.title,
            shown(alias),
            ArticleRow.published,
            ArticleRow.url,
            ArticleRow.words,
            span_count,
        )
        .outerjoin(alias, join_alias(alias))
        .where(*conditions)
        .order_by(ArticleRow.published.desc().nulls_last(), ArticleRow.id.desc())
        .limit(limit)
        .offset(offset)
    )
    with store.session() as session:
        total = int(session.scalar(select(func.count(ArticleRow.id)).where(*conditions)) or 0)
        rows = session.execute(query).all()
    summaries = [
        ArticleSummary(
            id=row[0],
            title=row[1],
            outlet=row[2],
            published=row[3],
            url=row[4],
            words=row[5],
            spans=int(row[6] or 0),
        )
        for row in rows
    ]
    return summaries, total


def get_article(store: Store, article_id: int, model: ModelInfo) -> StoredArticle | None:
    """The article with this id and the result ``model`` gave for it, if any."""
    found = _load(store, model, [ArticleRow.id == article_id])
    return found[0] if found else None


def iter_articles(store: Store, f: CorpusFilter, *, page: int = 200) -> Iterator[StoredArticle]:
    """Every article the filter matches, with its result, in id order (for export)."""
    after = 0
    while True:
        conditions = [*_article_conditions(f), ArticleRow.id > after]
        batch = _load(store, f.model or ModelInfo("", ""), conditions, limit=page)
        if not batch:
            return
        after = batch[-1].id
        for item in batch:
            article = item.article
            if article is not None and (f.min_confidence > 0 or f.narrows_spans):
                kept = tuple(s for s in article.spans if f.keeps(article, s))
                item = replace(item, article=replace(article, spans=kept))
            yield item


def _load(
    store: Store, model: ModelInfo, conditions: list[Any], limit: int | None = None
) -> list[StoredArticle]:
    """Articles matching ``conditions`` (by id) with ``model``'s results, in four queries."""
    with store.session() as session:
        query = select(ArticleRow).where(*conditions).order_by(ArticleRow.id)
        rows = session.scalars(query.limit(limit) if limit else query).all()
        if not rows:
            return []
        ids = [row.id for row in rows]
        analyses = {
            a.article_id: a
            for a in session.scalars(
                select(AnalysisRow).where(
                    AnalysisRow.article_id.in_(ids),
                    AnalysisRow.model_name == model.name,
                    AnalysisRow.model_version == model.version,
                )
            )
        }
        spans: dict[int, list[Span]] = defaultdict(list)
        found_by: dict[int, list[AttributionRow]] = defaultdict(list)
        done = [a.id for a in analyses.values() if a.status == "done"]
        if done:
            for s in session.scalars(select(SpanRow).where(SpanRow.analysis_id.in_(done))):
                voice = s.voice if s.voice in ("author", "quoted") else None
                spans[s.article_id].append(
                    Span(s.start, s.end, s.technique, s.confidence, voice, s.attribution)  # type: ignore[arg-type]
                )
            attributed = [a.id for a in analyses.values() if a.with_attributions]
            if attributed:
                parts = select(AttributionRow).where(AttributionRow.analysis_id.in_(attributed))
                for a in session.scalars(parts.order_by(AttributionRow.position)):
                    found_by[a.article_id].append(a)
    found = []
    for row in rows:
        analysis = analyses.get(row.id)
        result: Article | None = None
        if analysis is not None and analysis.status == "done":
            result = Article(
                id=row.external_id or str(row.id),
                text=row.text,
                spans=tuple(sorted(spans[row.id], key=lambda s: (s.start, s.end, s.technique))),
                model=model,
                source=row.source,
                attributions=(
                    tuple(_attribution(row.text, a) for a in found_by[row.id])
                    if analysis.with_attributions
                    else None
                ),
            )
            result = with_headline_marks(result, row.title)
        found.append(
            StoredArticle(
                id=row.id,
                content_hash=row.content_hash,
                external_id=row.external_id,
                source=row.source,
                meta=ArticleMeta(
                    title=row.title,
                    outlet=row.outlet,
                    url=row.url,
                    published=row.published,
                    language=row.language,
                    extra=dict(row.extra or {}),
                ),
                words=row.words,
                status=analysis.status if analysis else None,
                error=analysis.error if analysis else None,
                article=result,
            )
        )
    return found


def _attribution(text: str, row: AttributionRow) -> Attribution:
    def piece(start: int | None, end: int | None) -> Piece | None:
        return None if start is None or end is None else Piece.of(text, start, end)

    content = Piece.of(text, row.content_start, row.content_end)
    return Attribution(
        source=piece(row.source_start, row.source_end),
        cue=piece(row.cue_start, row.cue_end),
        content=content,
        speaker=row.speaker,
        speaker_kind=row.speaker_kind,  # type: ignore[arg-type]
        kind=row.kind,  # type: ignore[arg-type]
        confidence=row.confidence,
    )
