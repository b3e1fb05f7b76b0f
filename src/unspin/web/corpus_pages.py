"""The Corpus list, the Dashboard, the Compare page and their CSV downloads.

Each chart is drawn from the same rows as its table and its CSV file, with the same filter.
While the store holds no results, every page says how to add some instead of failing.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from unspin.corpus.compare import CompareRow
from unspin.formats.csv import to_csv
from unspin.web import stats
from unspin.web.charts import column_chart, hbar_chart
from unspin.web.filters import View, ViewParams
from unspin.web.render import page

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
PHRASES = 10


def _common(v: View, here: str) -> dict[str, Any]:
    corpus = v.corpus
    return {
        "f": v.f,
        "model": v.model,
        "outlets": corpus.outlets() if v.model else [],
        "dates": corpus.date_range() if v.model else (None, None),
        "counts": corpus.counts(),
        "here": here,
    }


def _empty(request: Request, context: dict[str, Any], here: str) -> Response:
    return page(request, "empty", context, here=here)


@router.get("/corpus", name="corpus")
def corpus(
    request: Request, v: ViewParams, page_number: Annotated[int, Query(alias="page", ge=1)] = 1
) -> Response:
    context = _common(v, "corpus")
    if v.model is None:
        return _empty(request, context, "corpus")
    found, total = v.corpus.articles(
        v.f,
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
    )
    pages = max(1, math.ceil(total / PAGE_SIZE))
    context.update(articles=found, total=total, page=page_number, pages=pages)
    return page(request, "corpus", context, here="corpus")


@router.get("/dashboard", name="dashboard")
def dashboard(request: Request, v: ViewParams) -> Response:
    context = _common(v, "dashboard")
    if v.model is None:
        return _empty(request, context, "dashboard")
    rates = v.corpus.rates(v.f)
    weeks = v.corpus.timeline(v.f)
    phrases = v.corpus.top_phrases(v.f, per_technique=PHRASES)
    context.update(
        rates=rates,
        rates_chart=hbar_chart(
            stats.rate_groups(rates),
            title="Spans per 1,000 words, by outlet and technique",
            css="rates",
        ),
        weeks=weeks,
        week_techniques=stats.timeline_techniques(weeks),
        timeline_chart=column_chart(
            stats.timeline_bars(weeks), title="Spans per 1,000 words, week by week", css="timeline"
        ),
        phrases=phrases,
        phrases_chart=hbar_chart(
            stats.phrase_groups(phrases),
            title="Most frequently flagged phrases, by technique",
            css="phrases",
        ),
    )
    return page(request, "dashboard", context, here="dashboard")


def _csv(name: str, rows: list[list[Any]]) -> Response:
    return Response(
        to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="unspin-{name}.csv"'},
    )


@router.get("/dashboard/rates.csv", name="rates_csv")
def rates_csv(v: ViewParams) -> Response:
    rows = v.corpus.rates(v.f) if v.model else []
    return _csv("rates", stats.rate_csv_rows(rows))


@router.get("/dashboard/timeline.csv", name="timeline_csv")
def timeline_csv(v: ViewParams) -> Response:
    weeks = v.corpus.timeline(v.f) if v.model else []
    return _csv("timeline", stats.timeline_csv_rows(weeks))


@router.get("/dashboard/phrases.csv", name="phrases_csv")
def phrases_csv(v: ViewParams) -> Response:
    rows = v.corpus.top_phrases(v.f, per_technique=PHRASES) if v.model else []
    return _csv("phrases", stats.phrase_csv_rows(rows))


def _compare(v: View, a: str, b: str) -> tuple[list[CompareRow], dict[str, int]]:
    """Rows per technique, and the words each outlet's matching articles have."""
    found = v.corpus.compare(a, b, v.f)
    return found.rows, found.words


@router.get("/compare", name="compare")
def compare(request: Request, v: ViewParams, a: str = "", b: str = "") -> Response:
    """Two outlets side by side: each technique's rate per 1,000 words in each."""
    context = _common(v, "compare")
    if v.model is None:
        return _empty(request, context, "compare")
    context.update(a=a, b=b, rows=None, chart=None, words={})
    if a and b:
        rows, words = _compare(v, a, b)
        context.update(
            rows=rows,
            words=words,
            chart=hbar_chart(
                stats.compare_groups(rows),
                title=f"Spans per 1,000 words: {a} and {b}",
                css="compare",
            ),
            colors=stats.OUTLET_COLORS,
        )
    return page(request, "compare", context, here="compare")


@router.get("/compare.csv", name="compare_csv")
def compare_csv(v: ViewParams, a: str, b: str) -> Response:
    rows = _compare(v, a, b)[0] if v.model else []
    return _csv("compare", stats.compare_csv_rows(rows))
