"""The Corpus list, the Dashboard, the Compare page and their CSV downloads.

Each chart is drawn from the same rows as its table and its CSV file, with the same filter.
While the store holds no results, every page says how to add some instead of failing.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from unspin._article import ModelInfo
from unspin._errors import InputError
from unspin.corpus.store.queries import (
    articles,
    date_range,
    outlets,
    technique_rates,
    timeline,
    top_phrases,
)
from unspin.web import stats
from unspin.web.charts import column_chart, hbar_chart
from unspin.web.filters import Filters, filters
from unspin.web.pages import state_of
from unspin.web.render import page

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
PHRASES = 10
FilterParams = Annotated[Filters, Depends(filters)]


def _common(request: Request, f: Filters, here: str) -> tuple[ModelInfo | None, dict[str, Any]]:
    state = state_of(request)
    model = state.corpus_model()
    context: dict[str, Any] = {
        "f": f,
        "model": model,
        "outlets": outlets(state.store) if model else [],
        "dates": date_range(state.store) if model else (None, None),
        "counts": state.store.counts(),
        "here": here,
    }
    return model, context


def _empty(request: Request, context: dict[str, Any], here: str) -> Response:
    return page(request, "empty", context, here=here)


@router.get("/corpus", name="corpus")
def corpus(
    request: Request, f: FilterParams, page_number: Annotated[int, Query(alias="page", ge=1)] = 1
) -> Response:
    model, context = _common(request, f, "corpus")
    if model is None:
        return _empty(request, context, "corpus")
    found, total = articles(
        state_of(request).store,
        f.corpus(model),
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
    )
    pages = max(1, math.ceil(total / PAGE_SIZE))
    context.update(articles=found, total=total, page=page_number, pages=pages)
    return page(request, "corpus", context, here="corpus")


@router.get("/dashboard", name="dashboard")
def dashboard(request: Request, f: FilterParams) -> Response:
    model, context = _common(request, f, "dashboard")
    if model is None:
        return _empty(request, context, "dashboard")
    store, cf = state_of(request).store, f.corpus(model)
    rates = technique_rates(store, cf)
    weeks = timeline(store, cf)
    phrases = top_phrases(store, cf, per_technique=PHRASES)
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
        stats.to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="unspin-{name}.csv"'},
    )


@router.get("/dashboard/rates.csv", name="rates_csv")
def rates_csv(request: Request, f: FilterParams) -> Response:
    model = state_of(request).corpus_model()
    rows = technique_rates(state_of(request).store, f.corpus(model)) if model else []
    return _csv("rates", stats.rate_csv_rows(rows))


@router.get("/dashboard/timeline.csv", name="timeline_csv")
def timeline_csv(request: Request, f: FilterParams) -> Response:
    model = state_of(request).corpus_model()
    weeks = timeline(state_of(request).store, f.corpus(model)) if model else []
    return _csv("timeline", stats.timeline_csv_rows(weeks))


@router.get("/dashboard/phrases.csv", name="phrases_csv")
def phrases_csv(request: Request, f: FilterParams) -> Response:
    model = state_of(request).corpus_model()
    store = state_of(request).store
    rows = top_phrases(store, f.corpus(model), per_technique=PHRASES) if model else []
    return _csv("phrases", stats.phrase_csv_rows(rows))


def _compare(
    request: Request, f: Filters, model: ModelInfo, a: str, b: str
) -> tuple[list[stats.CompareRow], dict[str, int]]:
    """Rows per technique, and the words each outlet's matching articles have."""
    if a == b:
        raise InputError(f"a and b are both {a!r}; choose two different outlets")
    both = Filters(
        outlets=(a, b),
        since=f.since,
        until=f.until,
        technique=f.technique,
        text=f.text,
        min_confidence=f.min_confidence,
    )
    rates = technique_rates(state_of(request).store, both.corpus(model))
    return stats.compare_rows(rates, a, b), {row.outlet: row.words for row in rates}


@router.get("/compare", name="compare")
def compare(request: Request, f: FilterParams, a: str = "", b: str = "") -> Response:
    """Two outlets side by side: each technique's rate per 1,000 words in each."""
    model, context = _common(request, f, "compare")
    if model is None:
        return _empty(request, context, "compare")
    context.update(a=a, b=b, rows=None, chart=None, words={})
    if a and b:
        rows, words = _compare(request, f, model, a, b)
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
def compare_csv(request: Request, f: FilterParams, a: str, b: str) -> Response:
    model = state_of(request).corpus_model()
    rows = _compare(request, f, model, a, b)[0] if model else []
    return _csv("compare", stats.compare_csv_rows(rows))
