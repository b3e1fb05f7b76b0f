"""Who speaks in a corpus: technique rates in the author's voice and in quotes, the speakers
each outlet quotes most, and its share of anonymous sources.

Only results made with attributions count here (``analyses.with_attributions``): an older
result says nothing about voices, so its words and spans are left out rather than counted as
the author's. Every query takes the one ``CorpusFilter``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from unspin.corpus.store.db import Store
from unspin.corpus.store.outlets import join_alias, shown, shown_name
from unspin.corpus.store.queries import (
    CorpusFilter,
    _article_conditions,
    _done,
    _span_conditions,
)
from unspin.corpus.store.schema import (
    AnalysisRow,
    ArticleRow,
    AttributionRow,
    OutletAliasRow,
    SpanRow,
)


@dataclass(frozen=True, slots=True)
class VoiceRow:
    """One outlet: spans in the author's voice and quoted, over the words of its articles
    that were analysed with attributions (``articles`` of them)."""

    outlet: str
    articles: int
    words: int
    author: int
    quoted: int

    @property
    def author_per_1000(self) -> float:
        return 1000 * self.author / self.words if self.words else 0.0

    @property
    def quoted_per_1000(self) -> float:
        return 1000 * self.quoted / self.words if self.words else 0.0


@dataclass(frozen=True, slots=True)
class SpeakerRow:
    """A speaker an outlet quotes: how many attributions, in how many articles."""

    outlet: str
    speaker: str
    speaker_kind: str
    attributions: int
    articles: int


@dataclass(frozen=True, slots=True)
class SourceRow:
    """An outlet's attributions, and how many of them have an anonymous source."""

    outlet: str
    attributions: int
    anonymous: int

    @property
    def anonymous_share(self) -> float:
        return self.anonymous / self.attributions if self.attributions else 0.0


def _with_voices(f: CorpusFilter) -> list[Any]:
    return [
        *_article_conditions(f),
        AnalysisRow.article_id == ArticleRow.id,
        _done(f.model),
        AnalysisRow.with_attributions.is_(True),
    ]


def voice_rates(store: Store, f: CorpusFilter) -> list[VoiceRow]:
    """Per outlet, spans in the author's voice and quoted per 1,000 words, author's voice
    first in the order (highest rate first), as the dashboard ranks outlets by default."""
    conditions = _with_voices(f)
    alias = aliased(OutletAliasRow)
    name = shown(alias)
    with store.session() as session:
        words = {
            outlet: (int(n), int(w or 0))
            for outlet, n, w in session.execute(
                select(name, func.count(ArticleRow.id), func.sum(ArticleRow.words))
                .select_from(ArticleRow)
                .join(AnalysisRow, AnalysisRow.article_id == ArticleRow.id)
                .outerjoin(alias, join_alias(alias))
                .where(*conditions)
                .group_by(name)
            ).all()
        }
        counts = session.execute(
            select(name, SpanRow.voice, func.count(SpanRow.id))
            .select_from(SpanRow)
            .join(AnalysisRow, SpanRow.analysis_id == AnalysisRow.id)
            .join(ArticleRow, SpanRow.article_id == ArticleRow.id)
            .outerjoin(alias, join_alias(alias))
            .where(*conditions, *_span_conditions(f))
            .group_by(name, SpanRow.voice)
        ).all()
    spans: dict[tuple[str | None, str], int] = {
        (outlet, str(voice)): int(n) for outlet, voice, n in counts
    }
    rows = [
        VoiceRow(
            shown_name(outlet),
            articles,
            total,
            spans.get((outlet, "author"), 0),
            spans.get((outlet, "quoted"), 0),
        )
        for outlet, (articles, total) in words.items()
    ]
    return sorted(rows, key=lambda r: (-r.author_per_1000, -r.quoted_per_1000, r.outlet))


def top_speakers(store: Store, f: CorpusFilter, *, per_outlet: int = 10) -> list[SpeakerRow]:
    """The speakers each outlet quotes most (named ones; anonymous and unknown sources are
    counted by ``source_shares``), ranked by the database per outlet."""
    count = func.count(AttributionRow.id)
    in_articles = func.count(func.distinct(AttributionRow.article_id))
    alias = aliased(OutletAliasRow)
    name = shown(alias)
    ranked = (
        select(
            name.label("outlet"),
            AttributionRow.speaker.label("speaker"),
            func.min(AttributionRow.speaker_kind).label("kind"),
            count.label("n"),
            in_articles.label("articles"),
            func.row_number()
            .over(
                partition_by=name,
                order_by=(count.desc(), in_articles.desc(), AttributionRow.speaker),
            )
            .label("rank"),
        )
        .select_from(AttributionRow)
        .join(AnalysisRow, AttributionRow.analysis_id == AnalysisRow.id)
        .join(ArticleRow, AttributionRow.article_id == ArticleRow.id)
        .outerjoin(alias, join_alias(alias))
        .where(
            *_with_voices(f),
            AttributionRow.speaker.is_not(None),
            AttributionRow.speaker_kind.in_(("person", "organisation", "document")),
        )
        .group_by(name, AttributionRow.speaker)
        .subquery()
    )
    with store.session() as session:
        rows = session.execute(
            select(
                ranked.c.outlet, ranked.c.speaker, ranked.c.kind, ranked.c.n, ranked.c.articles
            ).where(ranked.c.rank <= per_outlet)
        ).all()
    found = [SpeakerRow(shown_name(o), s, k, int(n), int(a)) for o, s, k, n, a in rows]
    return sorted(found, key=lambda r: (r.outlet, -r.attributions, -r.articles, r.speaker))


def source_shares(store: Store, f: CorpusFilter) -> list[SourceRow]:
    """Per outlet, its attributions and how many have an anonymous source."""
    anonymous = func.sum(case((AttributionRow.speaker_kind == "anonymous", 1), else_=0))
    alias = aliased(OutletAliasRow)
    name = shown(alias)
    with store.session() as session:
        rows = session.execute(
            select(name, func.count(AttributionRow.id), anonymous)
            .select_from(AttributionRow)
            .join(AnalysisRow, AttributionRow.analysis_id == AnalysisRow.id)
            .join(ArticleRow, AttributionRow.article_id == ArticleRow.id)
            .outerjoin(alias, join_alias(alias))
            .where(*_with_voices(f))
            .group_by(name)
        ).all()
    found = [SourceRow(shown_name(o), int(n), int(a or 0)) for o, n, a in rows]
    return sorted(found, key=lambda r: (-r.anonymous_share, r.outlet))
