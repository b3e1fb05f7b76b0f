"""Corpus statistics asked of the store: technique rates by outlet, the timeline and the most
flagged phrases. Rates are spans per 1,000 words of the matching articles, so long and short
articles weigh what their length says. Every query takes the one ``CorpusFilter``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from unspin.corpus.store.db import Store
from unspin.corpus.store.queries import (
    CorpusFilter,
    _article_conditions,
    _outlet,
    _span_conditions,
)
from unspin.corpus.store.schema import AnalysisRow, ArticleRow, SpanRow


@dataclass(frozen=True, slots=True)
class RateRow:
    """Spans of one technique in one outlet, per 1,000 words of that outlet's articles."""

    outlet: str
    technique: str
    spans: int
    words: int

    @property
    def per_1000(self) -> float:
        return 1000 * self.spans / self.words if self.words else 0.0


@dataclass(frozen=True, slots=True)
class WeekRow:
    """One week (starting Monday): articles, words, spans by technique."""

    week: date
    articles: int
    words: int
    spans: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.spans.values())

    @property
    def per_1000(self) -> float:
        return 1000 * self.total / self.words if self.words else 0.0


@dataclass(frozen=True, slots=True)
class PhraseRow:
    technique: str
    phrase: str
    spans: int
    articles: int


def technique_rates(store: Store, f: CorpusFilter) -> list[RateRow]:
    """Spans per technique and outlet with the words they are counted over.

    Every (outlet, technique) pair with at least one span is listed, ordered by outlet and then
    by technique; an outlet whose articles have no spans is listed once with technique ``""``
    so that its words are still known.
    """
    conditions = _article_conditions(f)
    with store.session() as session:
        words = dict(
            session.execute(
                select(ArticleRow.outlet, func.sum(ArticleRow.words))
                .where(*conditions)
                .group_by(ArticleRow.outlet)
            ).all()
        )
        spans = session.execute(
            select(ArticleRow.outlet, SpanRow.technique, func.count(SpanRow.id))
            .select_from(SpanRow)
            .join(AnalysisRow, SpanRow.analysis_id == AnalysisRow.id)
            .join(ArticleRow, SpanRow.article_id == ArticleRow.id)
            .where(*conditions, *_span_conditions(f))
            .group_by(ArticleRow.outlet, SpanRow.technique)
        ).all()
    rows: list[RateRow] = []
    seen: set[str] = set()
    for outlet, technique, count in spans:
        name = _outlet(outlet)
        seen.add(name)
        rows.append(RateRow(name, technique, int(count), int(words.get(outlet) or 0)))
    for outlet, total in words.items():
        if _outlet(outlet) not in seen:
            rows.append(RateRow(_outlet(outlet), "", 0, int(total or 0)))
    rows.sort(key=lambda r: (r.outlet, r.technique))
    return rows


def outlet_words(rows: list[RateRow]) -> dict[str, int]:
    """Words per outlet, from ``technique_rates`` rows."""
    return {row.outlet: row.words for row in rows}


def timeline(store: Store, f: CorpusFilter) -> list[WeekRow]:
    """Week by week (weeks start on Monday): articles, words and spans by technique.

    Articles without a publication date cannot be placed in time and are left out; weeks
    between the first and the last with no articles are listed with zeros.
    """
    conditions = [*_article_conditions(f), ArticleRow.published.is_not(None)]
    with store.session() as session:
        per_day = session.execute(
            select(ArticleRow.published, func.count(ArticleRow.id), func.sum(ArticleRow.words))
            .where(*conditions)
            .group_by(ArticleRow.published)
        ).all()
        spans = session.execute(
            select(ArticleRow.published, SpanRow.technique, func.count(SpanRow.id))
            .select_from(SpanRow)
            .join(AnalysisRow, SpanRow.analysis_id == AnalysisRow.id)
            .join(ArticleRow, SpanRow.article_id == ArticleRow.id)
            .where(*conditions, *_span_conditions(f))
            .group_by(ArticleRow.published, SpanRow.technique)
        ).all()
    articles_by_week: dict[date, int] = defaultdict(int)
    words_by_week: dict[date, int] = defaultdict(int)
    spans_by_week: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, n, words in per_day:
        week = _monday(day)  # never None: undated articles are excluded above
        articles_by_week[week] += int(n)
        words_by_week[week] += int(words or 0)
    for day, technique, n in spans:
        spans_by_week[_monday(day)][technique] += int(n)
    if not articles_by_week:
        return []
    first, last = min(articles_by_week), max(articles_by_week)
    weeks = []
    week = first
    while week <= last:
        weeks.append(
            WeekRow(
                week,
                articles_by_week.get(week, 0),
                words_by_week.get(week, 0),
                dict(sorted(spans_by_week.get(week, {}).items())),
            )
        )
        week += timedelta(days=7)
    return weeks


def top_phrases(store: Store, f: CorpusFilter, *, per_technique: int = 10) -> list[PhraseRow]:
    """The most often flagged phrases (lower-cased text of spans) of each technique.

    The database ranks the phrases of each technique (a window function), so only the top
    ``per_technique`` of each come back, however many distinct phrases a corpus has.
    """
    spans = func.count(SpanRow.id)
    in_articles = func.count(func.distinct(SpanRow.article_id))
    # Ties are broken by the phrase's characters, the same way on every database.
    phrase = (
        SpanRow.phrase.collate("C") if store.engine.dialect.name == "postgresql" else SpanRow.phrase
    )
    ranked = (
        select(
            SpanRow.technique.label("technique"),
            SpanRow.phrase.label("phrase"),
            spans.label("spans"),
            in_articles.label("articles"),
            func.row_number()
            .over(
                partition_by=SpanRow.technique,
                order_by=(spans.desc(), in_articles.desc(), phrase),
            )
            .label("rank"),
        )
        .select_from(SpanRow)
        .join(AnalysisRow, SpanRow.analysis_id == AnalysisRow.id)
        .join(ArticleRow, SpanRow.article_id == ArticleRow.id)
        .where(*_article_conditions(f), *_span_conditions(f))
        .group_by(SpanRow.technique, SpanRow.phrase)
        .subquery()
    )
    with store.session() as session:
        rows = session.execute(
            select(ranked.c.technique, ranked.c.phrase, ranked.c.spans, ranked.c.articles).where(
                ranked.c.rank <= per_technique
            )
        ).all()
    found = [PhraseRow(t, p, int(n), int(a)) for t, p, n, a in rows]
    return sorted(found, key=lambda r: (r.technique, -r.spans, -r.articles, r.phrase))


def _monday(day: date | None) -> date:
    assert day is not None
    return day - timedelta(days=day.weekday())
