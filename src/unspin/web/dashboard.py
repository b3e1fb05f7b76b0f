"""The Dashboard and its CSV downloads, sized for real corpora.

The page stays small however large the corpus: outlets are ranked and shown a page at a time
(``top_outlets``) with a search for the rest, the timeline draws at most about 90 periods and
lists stray dates instead of stretching over them, and phrases are the top few per technique.
Everything else is in the CSV downloads.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from unspin import settings
from unspin._errors import InputError
from unspin.corpus.intervals import METHOD
from unspin.corpus.ranking import RANK_BY, Ranking, rank_outlets, technique_totals
from unspin.corpus.store.stats import OutletRow
from unspin.corpus.timeline import BUCKETS
from unspin.formats.csv import to_csv
from unspin.web import stats
from unspin.web.charts import column_chart, hbar_chart
from unspin.web.corpus_pages import common, empty
from unspin.web.filters import ViewParams, query
from unspin.web.render import page

router = APIRouter(include_in_schema=False)
VOICES = 10  # outlets in the dashboard's voices table; the Voices page has them all
PHRASES = 10


@dataclass(frozen=True, slots=True)
class Controls:
    """How the dashboard's outlets and timeline are shown (beside the corpus filter)."""

    rank: str
    min_articles: int
    find: str
    page: int
    bucket: str
    top: int

    def params(self, **changed: str | int) -> dict[str, str | int]:
        """The controls as query parameters (only those not at their defaults)."""
        values: dict[str, str | int] = {
            "rank": self.rank,
            "min_articles": self.min_articles,
            "find": self.find,
            "opage": self.page,
            "bucket": self.bucket,
        }
        values.update(changed)
        defaults: dict[str, str | int] = {
            "rank": "rate",
            "min_articles": settings.get_int("min_articles"),
            "find": "",
            "opage": 1,
            "bucket": "auto",
        }
        return {k: v for k, v in values.items() if v != defaults[k]}


def controls(
    rank: Annotated[str, Query(description="Rank outlets by rate or articles.")] = "rate",
    min_articles: Annotated[str | None, Query(description="Fewest articles to be ranked.")] = None,
    find: Annotated[str, Query(description="Outlets whose name contains this.")] = "",
    opage: Annotated[int, Query(ge=1, le=100_000, description="Page of the outlets.")] = 1,
    bucket: Annotated[str, Query(description="auto, day, week, month or year.")] = "auto",
) -> Controls:
    if rank not in RANK_BY:
        raise InputError(f"rank={rank!r}: choose {' or '.join(RANK_BY)}")
    if bucket != "auto" and bucket not in BUCKETS:
        raise InputError(f"bucket={bucket!r}: choose auto, {', '.join(BUCKETS)}")
    fewest = settings.get_int("min_articles")
    if min_articles and min_articles.strip():
        try:
            fewest = int(min_articles)
        except ValueError:
            fewest = 0
        if fewest < 1:
            raise InputError(f"min_articles={min_articles!r}: give a whole number, 1 or more")
    top = max(1, settings.get_int("top_outlets"))
    return Controls(rank, fewest, find.strip()[:200], opage, bucket, top)


def outlet_page(ranking: Ranking, c: Controls) -> tuple[list[OutletRow], int]:
    """The outlets this page shows (ranked ones in rank order; with a search, every match,
    ranked first) and how many there are in all."""
    if c.find:
        needle = c.find.casefold()
        rows = [r for r in ranking.ranked if needle in r.outlet.casefold()]
        rows += [r for r in ranking.unranked if needle in r.outlet.casefold()]
    else:
        rows = ranking.ranked
    start = (c.page - 1) * c.top
    return rows[start : start + c.top], len(rows)


ControlParams = Annotated[Controls, Depends(controls)]


@router.get("/dashboard", name="dashboard")
def dashboard(request: Request, v: ViewParams, c: ControlParams) -> Response:
    context = common(v, "dashboard")
    if v.model is None:
        return empty(request, context, "dashboard")
    corpus = v.corpus
    rates = corpus.rates(v.f)
    totals = corpus.outlet_totals(v.f, rates=rates)
    ranking = rank_outlets(totals, c.rank, c.min_articles)
    shown, matches = outlet_page(ranking, c)
    ranks = {row.outlet: n for n, row in enumerate(ranking.ranked, start=1)}
    names = {row.outlet for row in shown}
    timeline = corpus.timeline(v.f, bucket=c.bucket)
    phrases = corpus.top_phrases(v.f, per_technique=PHRASES)
    techniques = technique_totals(rates)
    context.update(
        c=c,
        method=METHOD,
        settings_min=settings.get_int("min_articles"),
        outlet_link=lambda name: "/dashboard" + query(replace(v.f, outlets=(name,))),
        ranking=ranking,
        ranks=ranks,
        shown=shown,
        matches=matches,
        pages=max(1, -(-matches // c.top)),
        outlets_chart=hbar_chart(
            stats.outlet_bars(shown),
            title="Spans per 1,000 words by outlet, with 95% intervals",
            css="outlets",
        )
        if shown
        else None,
        technique_rows=techniques,
        techniques_chart=hbar_chart(
            stats.technique_bars(techniques),
            title="Spans per 1,000 words by technique, with 95% intervals",
            css="techniques",
        ),
        rates=[r for r in rates if r.outlet in names],
        timeline=timeline,
        timeline_labels=[stats.period_label(p.start, timeline.bucket) for p in timeline.periods],
        week_techniques=stats.timeline_techniques(timeline.periods),
        timeline_chart=column_chart(
            stats.timeline_bars(timeline),
            title=f"Spans per 1,000 words, {timeline.bucket} by {timeline.bucket}",
            css="timeline",
        ),
        buckets=BUCKETS,
        phrases=phrases,
        phrases_chart=hbar_chart(
            stats.phrase_groups(phrases),
            title="Most frequently flagged phrases, by technique",
            css="phrases",
        ),
        # The outlets' own voice against what they quote, ranked by their own (Voices page).
        voices=[r for r in corpus.voice_rates(v.f) if r.articles >= c.min_articles][:VOICES],
    )
    return page(request, "dashboard", context, here="dashboard")


def _csv(name: str, rows: list[list[Any]]) -> Response:
    return Response(
        to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="unspin-{name}.csv"'},
    )


@router.get("/dashboard/outlets.csv", name="outlets_csv")
def outlets_csv(v: ViewParams, rank: str = "rate", min_articles: str | None = None) -> Response:
    """Every outlet: ranked ones in rank order, then the others by name."""
    if not v.model:
        return _csv("outlets", stats.outlet_csv_rows([], {}))
    c = controls(rank, min_articles)
    ranking = rank_outlets(v.corpus.outlet_totals(v.f), c.rank, c.min_articles)
    ranks = {row.outlet: n for n, row in enumerate(ranking.ranked, start=1)}
    return _csv("outlets", stats.outlet_csv_rows(ranking.ranked + ranking.unranked, ranks))


@router.get("/dashboard/rates.csv", name="rates_csv")
def rates_csv(v: ViewParams) -> Response:
    rows = v.corpus.rates(v.f) if v.model else []
    return _csv("rates", stats.rate_csv_rows(rows))


@router.get("/dashboard/timeline.csv", name="timeline_csv")
def timeline_csv(v: ViewParams, bucket: str = "auto") -> Response:
    if not v.model:
        return _csv("timeline", [["week", "articles", "words", "spans", "per_1000"]])
    return _csv("timeline", stats.timeline_csv_rows(v.corpus.timeline(v.f, bucket=bucket)))


@router.get("/dashboard/phrases.csv", name="phrases_csv")
def phrases_csv(v: ViewParams) -> Response:
    rows = v.corpus.top_phrases(v.f, per_technique=PHRASES) if v.model else []
    return _csv("phrases", stats.phrase_csv_rows(rows))
