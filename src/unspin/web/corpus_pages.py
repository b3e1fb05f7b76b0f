"""The Corpus list and the Compare page (the Dashboard is ``dashboard.py``).

Each chart is drawn from the same rows as its table and its CSV file, with the same filter.
While the store holds no results, every page says how to add some instead of failing.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from unspin import settings
from unspin._errors import InputError
from unspin.corpus.intervals import METHOD
from unspin.formats.csv import to_csv
from unspin.web import stats
from unspin.web.charts import hbar_chart
from unspin.web.filters import View, ViewParams
from unspin.web.render import page

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25


SUGGESTED = 100  # outlet names offered as the outlet fields' suggestions


def common(v: View, here: str) -> dict[str, Any]:
    """What every corpus page shows: the filter, the model, outlet suggestions, counts."""
    corpus = v.corpus
    return {
        "f": v.f,
        "model": v.model,
        "outlets": corpus.outlets()[:SUGGESTED] if v.model else [],
        "dates": corpus.date_range() if v.model else (None, None),
        "counts": corpus.counts(),
        "here": here,
    }


def empty(request: Request, context: dict[str, Any], here: str) -> Response:
    return page(request, "empty", context, here=here)


@router.get("/corpus", name="corpus")
def corpus(
    request: Request, v: ViewParams, page_number: Annotated[int, Query(alias="page", ge=1)] = 1
) -> Response:
    context = common(v, "corpus")
    if v.model is None:
        return empty(request, context, "corpus")
    found, total = v.corpus.articles(
        v.f,
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
    )
    pages = max(1, math.ceil(total / PAGE_SIZE))
    context.update(articles=found, total=total, page=page_number, pages=pages)
    return page(request, "corpus", context, here="corpus")


def _csv(name: str, rows: list[list[Any]]) -> Response:
    return Response(
        to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="unspin-{name}.csv"'},
    )


@router.get("/compare", name="compare")
def compare(
    request: Request,
    v: ViewParams,
    a: str = "",
    b: str = "",
    order: Annotated[str, Query(description="taxonomy, difference or rate")] = "taxonomy",
) -> Response:
    """Two outlets side by side: each technique's rate per 1,000 words in each, with 95%
    intervals, and each outlet's articles, words and spans."""
    context = common(v, "compare")
    if v.model is None:
        return empty(request, context, "compare")
    if order not in stats.COMPARE_ORDER:
        raise InputError(f"order={order!r}: choose {', '.join(stats.COMPARE_ORDER)}")
    a, b = a.strip(), b.strip()
    context.update(
        a=a,
        b=b,
        order=order,
        orders=stats.COMPARE_ORDER,
        rows=None,
        chart=None,
        method=METHOD,
        min_articles=settings.get_int("min_articles"),
    )
    if a and b:
        found = v.corpus.compare(a, b, v.f)
        rows = stats.order_compare(found.rows, order)
        context.update(
            rows=rows,
            sides=[found.total(a), found.total(b)],
            chart=hbar_chart(
                stats.compare_groups(rows),
                title=f"Spans per 1,000 words: {a} and {b}, with 95% intervals",
                css="compare",
            ),
            colors=stats.OUTLET_COLORS,
        )
        # Who speaks: each outlet's rates in its own voice and in quotes.
        voices = {r.outlet: r for r in v.corpus.voice_rates(replace(v.f, outlets=(a, b)))}
        context.update(voices=[voices.get(a), voices.get(b)])
    return page(request, "compare", context, here="compare")


@router.get("/compare.csv", name="compare_csv")
def compare_csv(v: ViewParams, a: str, b: str, order: str = "taxonomy") -> Response:
    rows = v.corpus.compare(a.strip(), b.strip(), v.f).rows if v.model else []
    return _csv("compare", stats.compare_csv_rows(stats.order_compare(rows, order)))
