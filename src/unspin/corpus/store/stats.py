"""Corpus statistics asked of the store: technique rates and totals by outlet, the timeline's
days, the most flagged phrases, and article scores. Rates are spans per 1,000 words of the
matching articles, so long and short articles weigh what their length says. Every query takes
the one ``CorpusFilter``, and outlets are grouped by the name they are shown as (merged names,
see ``outlets.py``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, replace

from sqlalchemy import Subquery, case, func, select
from sqlalchemy.orm import aliased

from unspin._article import ModelInfo
from unspin.corpus.intervals import rate_interval
from unspin.corpus.stopwords import is_function_only
from unspin.corpus.store.db import Store
from unspin.corpus.store.outlets import join_alias, shown, shown_name
from unspin.corpus.store.queries import (
    CorpusFilter,
    _article_conditions,
    _done,
    _span_conditions,
)
from unspin.corpus.store.schema import AnalysisRow, ArticleRow, OutletAliasRow, SpanRow
from unspin.corpus.timeline import DayRow


class _Rate:
    """Spans over words: the rate per 1,000 words and its 95 % interval."""

    __slots__ = ()
    spans: int
    words: int

    @property
    def per_1000(self) -> float:
        return 1000 * self.spans / self.words if self.words else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        """The 95 % interval of ``per_1000`` (see ``unspin.corpus.intervals``)."""
        return rate_interval(self.spans, self.words)


@dataclass(frozen=True, slots=True)
class RateRow(_Rate):
    """Spans of one technique in one outlet, per 1,000 words of that outlet's articles."""

    outlet: str
    technique: str
    spans: int
    words: int


@dataclass(frozen=True, slots=True)
class OutletRow(_Rate):
    """One outlet's matching articles: how many, their words, and their spans (of every
    technique, or of the filter's technique)."""

    outlet: str
    articles: int
    words: int
    spans: int


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
    alias = aliased(OutletAliasRow)
    name = shown(alias)
    with store.session() as session:
        words: dict[str | None, int | None] = dict(
            session.execute(
                select(name, func.sum(ArticleRow.words))
                .select_from(ArticleRow)
                .outerjoin(alias, join_alias(alias))
                .where(*conditions)
                .group_by(name)
            ).all()
        )
        spans = session.execute(
            select(name, SpanRow.technique, func.count(SpanRow.id))
            .select_from(SpanRow)
            .join(AnalysisRow, SpanRow.analysis_id == AnalysisRow.id)
            .join(ArticleRow, SpanRow.article_id == ArticleRow.id)
            .outerjoin(alias, join_alias(alias))
            .where(*_article_conditions(f, of_spans=True), *_span_conditions(f))
            .group_by(name, SpanRow.technique)
        ).all()
    rows: list[RateRow] = []
    seen: set[str] = set()
    for outlet, technique, count in spans:
        seen.add(shown_name(outlet))
        rows.append(RateRow(shown_name(outlet), technique, int(count), int(words.get(outlet) or 0)))
    for outlet, total in words.items():
        if shown_name(outlet) not in seen:
            rows.append(RateRow(shown_name(outlet), "", 0, int(total or 0)))
    rows.sort(key=lambda r: (r.outlet, r.technique))
    return rows


def outlet_words(rows: list[RateRow]) -> dict[str, int]:
    """Words per outlet, from ``technique_rates`` rows."""
    return {row.outlet: row.words for row in rows}


def outlet_totals(
    store: Store, f: CorpusFilter, rates: list[RateRow] | None = None
) -> list[OutletRow]:
    """Every outlet with matching articles: articles, words and spans, by outlet name.
    ``rates`` (``technique_rates`` with the same filter) saves counting the spans again."""
    alias = aliased(OutletAliasRow)
    name = shown(alias)
    with store.session() as session:
        articles = session.execute(
            select(name, func.count(ArticleRow.id), func.sum(ArticleRow.words))
            .select_from(ArticleRow)
            .outerjoin(alias, join_alias(alias))
            .where(*_article_conditions(f))
            .group_by(name)
        ).all()
    spans: dict[str, int] = defaultdict(int)
    for row in technique_rates(store, f) if rates is None else rates:
        spans[row.outlet] += row.spans
    return sorted(
        (
            OutletRow(shown_name(outlet), int(n), int(words or 0), spans[shown_name(outlet)])
            for outlet, n, words in articles
        ),
        key=lambda r: r.outlet,
    )


def timeline_days(store: Store, f: CorpusFilter) -> tuple[list[DayRow], int]:
    """Each publication date with matching articles (articles, words, spans by technique),
    and how many matching articles have no date."""
    conditions = _article_conditions(f)
    dated = ArticleRow.published.is_not(None)
    with store.session() as session:
        per_day = session.execute(
            select(ArticleRow.published, func.count(ArticleRow.id), func.sum(ArticleRow.words))
            .where(*conditions, dated)
            .group_by(ArticleRow.published)
        ).all()
        spans = session.execute(
            select(ArticleRow.published, SpanRow.technique, func.count(SpanRow.id))
            .select_from(SpanRow)
            .join(AnalysisRow, SpanRow.analysis_id == AnalysisRow.id)
            .join(ArticleRow, SpanRow.article_id == ArticleRow.id)
            .where(*_article_conditions(f, of_spans=True), dated, *_span_conditions(f))
            .group_by(ArticleRow.published, SpanRow.technique)
        ).all()
        undated = session.scalar(
            select(func.count(ArticleRow.id)).where(*conditions, ArticleRow.published.is_(None))
        )
    by_day: dict[object, dict[str, int]] = defaultdict(dict)
    for day, technique, n in spans:
        by_day[day][technique] = int(n)
    days = [
        DayRow(day, int(n), int(words or 0), dict(sorted(by_day.get(day, {}).items())))
        for day, n, words in per_day
        if day is not None
    ]
    return sorted(days, key=lambda d: d.day), int(undated or 0)


def top_phrases(store: Store, f: CorpusFilter, *, per_technique: int = 10) -> list[PhraseRow]:
    """The most often flagged phrases (lower-cased text of spans) of each technique, leaving
    out phrases of function words and punctuation only (``if``, ``of the``: see
    ``unspin.corpus.stopwords``).

    The database ranks the phrases of each technique (a window function), so only the top
    few of each come back, however many distinct phrases a corpus has; when function-word
    phrases crowd the top, it is asked again for more.
    """
    fetch = per_technique * 3 + 10
    while True:
        ranked = _ranked_phrases(store, f, fetch)
        kept: dict[str, list[PhraseRow]] = defaultdict(list)
        complete = True
        fetched: dict[str, int] = defaultdict(int)
        for row in ranked:
            fetched[row.technique] += 1
            if not is_function_only(row.phrase) and len(kept[row.technique]) < per_technique:
                kept[row.technique].append(row)
        for technique, n in fetched.items():
            # This technique may have more phrases than were fetched, and too few kept.
            if n == fetch and len(kept[technique]) < per_technique:
                complete = False
        if complete:
            break
        fetch *= 4
    found = [row for rows in kept.values() for row in rows]
    return sorted(found, key=lambda r: (r.technique, -r.spans, -r.articles, r.phrase))


def _ranked_phrases(store: Store, f: CorpusFilter, limit: int) -> list[PhraseRow]:
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
        .where(*_article_conditions(f, of_spans=True), *_span_conditions(f))
        .group_by(SpanRow.technique, SpanRow.phrase)
        .subquery()
    )
    with store.session() as session:
        rows = session.execute(
            select(ranked.c.technique, ranked.c.phrase, ranked.c.spans, ranked.c.articles)
            .where(ranked.c.rank <= limit)
            .order_by(ranked.c.technique, ranked.c.rank)
        ).all()
    return [PhraseRow(t, p, int(n), int(a)) for t, p, n, a in rows]


# -- article scores -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleScore:
    """How loaded one article is: its spans per 1,000 words, and the percentile of that rate
    among the ``articles`` the same model analysed (50 is the middle; ties count half). For a
    result made with attributions, also its spans in the author's voice and quoted, and the
    percentile of its own-voice rate among the articles with voices (else ``None``)."""

    spans: int
    words: int
    percentile: float
    articles: int
    author: int | None = None
    quoted: int | None = None
    author_percentile: float | None = None

    @property
    def per_1000(self) -> float:
        return 1000 * self.spans / self.words if self.words else 0.0

    def to_dict(self) -> dict[str, float | int | None]:
        data: dict[str, float | int | None] = {
            "spans": self.spans,
            "words": self.words,
            "per_1000": round(self.per_1000, 4),
            "percentile": round(self.percentile, 1),
            "articles": self.articles,
        }
        if self.author is not None and self.quoted is not None:
            data.update(
                author_per_1000=round(_rate(self.author, self.words), 4),
                quoted_per_1000=round(_rate(self.quoted, self.words), 4),
                author_percentile=(
                    None if self.author_percentile is None else round(self.author_percentile, 1)
                ),
            )
        return data


def _per_article(model: ModelInfo) -> Subquery:
    """A subquery of every article ``model`` analysed: id, words and spans."""
    counted = (
        select(
            ArticleRow.id.label("id"),
            ArticleRow.words.label("words"),
            func.count(SpanRow.id).label("spans"),
            func.sum(case((SpanRow.voice == "author", 1), else_=0)).label("author"),
            func.sum(case((SpanRow.voice == "quoted", 1), else_=0)).label("quoted"),
            AnalysisRow.with_attributions.label("voices"),
        )
        .select_from(AnalysisRow)
        .join(ArticleRow, AnalysisRow.article_id == ArticleRow.id)
        .outerjoin(SpanRow, SpanRow.analysis_id == AnalysisRow.id)
        .where(_done(model))
        .group_by(ArticleRow.id, ArticleRow.words, AnalysisRow.with_attributions)
        .subquery()
    )
    return counted


class ScoreTable:
    """Every analysed article's spans and words for one model, read in one query (the
    database counts the spans), to score any of them by a binary search."""

    def __init__(self, store: Store, model: ModelInfo) -> None:
        counted = _per_article(model)
        c = counted.c
        with store.session() as session:
            rows = session.execute(
                select(c.id, c.spans, c.words, c.author, c.quoted, c.voices)
            ).all()
        self._counts = {int(i): (int(s), int(w)) for i, s, w, _, _, _ in rows}
        self._voices = {
            int(i): (int(a or 0), int(q or 0)) for i, _, _, a, q, voices in rows if voices
        }
        self._rates = sorted(_rate(s, w) for s, w in self._counts.values())
        self._author_rates = sorted(
            _rate(a, self._counts[i][1]) for i, (a, _) in self._voices.items()
        )

    def score(self, article_id: int) -> ArticleScore | None:
        found = self._counts.get(article_id)
        if found is None:
            return None
        spans, words = found
        value = _rate(spans, words)
        below = bisect_left(self._rates, value)
        equal = bisect_right(self._rates, value) - below
        total = len(self._rates)
        score = ArticleScore(spans, words, _percentile(below, equal, total), total)
        voices = self._voices.get(article_id)
        if voices is None:
            return score
        author, quoted = voices
        own = _rate(author, words)
        below = bisect_left(self._author_rates, own)
        equal = bisect_right(self._author_rates, own) - below
        percentile = _percentile(below, equal, len(self._author_rates))
        return replace(score, author=author, quoted=quoted, author_percentile=percentile)


def _rate(spans: int, words: int) -> float:
    # Equal fractions (1/100, 2/200) give the same float: division is correctly rounded.
    return float(spans) * 1000 / words if words > 0 else 0.0


def _percentile(below: int, equal: int, total: int) -> float:
    return 100 * (below + equal / 2) / total if total else 0.0
