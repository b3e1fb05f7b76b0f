"""Corpus statistics as the dashboard and compare pages show them: chart bars, table rows and
CSV rows, all from the same query results so that the three always agree."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from unspin.corpus import CompareRow, OutletRow, PeriodRow, PhraseRow, RateRow, Timeline
from unspin.formats.segments import technique
from unspin.techniques import TECHNIQUE_NAMES
from unspin.web.charts import Bar

OUTLET_COLORS = ("#2b5a9b", "#b4531a")  # outlet A and B on the compare page
TIMELINE_COLOR = "#4d4d8f"
RANK_COLOR = "#2b5a9b"
Groups = list[tuple[str, list[Bar]]]


def rate(value: float) -> str:
    """A rate as pages show it: two decimals."""
    return f"{value:.2f}"


def exact(value: float) -> float:
    """A rate as CSV and JSON give it: four decimals."""
    return round(value, 4)


def title(name: str) -> str:
    return technique(name).title if name else "(no spans)"


def interval(row: RateRow | OutletRow) -> str:
    """A rate's 95 % interval as pages show it."""
    low, high = row.interval
    return f"{low:.2f}–{high:.2f}"


# -- outlets ranked ---------------------------------------------------------------------------


def outlet_bars(rows: Sequence[OutletRow]) -> Groups:
    return [
        (
            "",
            [
                Bar(
                    row.outlet,
                    row.per_1000,
                    RANK_COLOR,
                    rate(row.per_1000),
                    f"{row.spans:,} spans in {row.articles:,} articles, {row.words:,} words; "
                    f"95% interval {interval(row)}",
                    row.interval,
                )
                for row in rows
            ],
        )
    ]


def outlet_csv_rows(rows: Sequence[OutletRow], ranks: dict[str, int]) -> list[list[Any]]:
    out: list[list[Any]] = [
        ["rank", "outlet", "articles", "words", "spans", "per_1000", "low_95", "high_95"]
    ]
    for r in rows:
        low, high = r.interval
        out.append(
            [
                ranks.get(r.outlet, ""),
                r.outlet,
                r.articles,
                r.words,
                r.spans,
                exact(r.per_1000),
                exact(low),
                exact(high),
            ]
        )
    return out


def technique_bars(rows: Sequence[RateRow]) -> Groups:
    return [
        (
            "",
            [
                Bar(
                    title(row.technique),
                    row.per_1000,
                    technique(row.technique).color,
                    rate(row.per_1000),
                    f"{row.spans:,} spans in {row.words:,} words; 95% interval {interval(row)}",
                    row.interval,
                )
                for row in rows
            ],
        )
    ]


# -- rates by outlet --------------------------------------------------------------------------


def rate_groups(rows: Sequence[RateRow]) -> Groups:
    groups: dict[str, list[Bar]] = {}
    for row in rows:
        groups.setdefault(row.outlet, []).append(
            Bar(
                title(row.technique),
                row.per_1000,
                technique(row.technique).color if row.technique else "#999999",
                rate(row.per_1000),
                f"{row.spans} spans in {row.words:,} words",
            )
        )
    return list(groups.items())


def rate_csv_rows(rows: Sequence[RateRow]) -> list[list[Any]]:
    out: list[list[Any]] = [
        ["outlet", "technique", "spans", "words", "per_1000", "low_95", "high_95"]
    ]
    for r in rows:
        low, high = r.interval
        out.append(
            [r.outlet, r.technique, r.spans, r.words, exact(r.per_1000), exact(low), exact(high)]
        )
    return out


# -- timeline ---------------------------------------------------------------------------------


def period_label(start: date, bucket: str) -> str:
    """A period as labels show it: ``2024-01-15`` (day, week), ``2024-01``, ``2024``."""
    if bucket == "month":
        return start.strftime("%Y-%m")
    if bucket == "year":
        return str(start.year)
    return start.isoformat()


def timeline_bars(timeline: Timeline) -> list[Bar]:
    return [
        Bar(
            period_label(p.start, timeline.bucket),
            p.per_1000,
            TIMELINE_COLOR,
            rate(p.per_1000),
            f"{p.total} spans in {p.articles} articles, {p.words:,} words",
        )
        for p in timeline.periods
    ]


def timeline_techniques(periods: Sequence[PeriodRow]) -> list[str]:
    found = {name for period in periods for name in period.spans}
    return [name for name in TECHNIQUE_NAMES if name in found] + sorted(
        found - set(TECHNIQUE_NAMES)
    )


def timeline_csv_rows(timeline: Timeline) -> list[list[Any]]:
    """One row per period; its first column is named after the period size (``week``...)."""
    periods = timeline.periods
    names = timeline_techniques(periods)
    out: list[list[Any]] = [[timeline.bucket, "articles", "words", "spans", "per_1000", *names]]
    for p in periods:
        counts = [p.spans.get(name, 0) for name in names]
        out.append([p.start.isoformat(), p.articles, p.words, p.total, exact(p.per_1000), *counts])
    return out


# -- phrases ----------------------------------------------------------------------------------


def phrase_groups(rows: Sequence[PhraseRow]) -> Groups:
    groups: dict[str, list[Bar]] = {}
    for row in rows:
        groups.setdefault(title(row.technique), []).append(
            Bar(
                row.phrase,
                row.spans,
                technique(row.technique).color,
                str(row.spans),
                f"in {row.articles} article{'s' * (row.articles != 1)}",
            )
        )
    return list(groups.items())


def phrase_csv_rows(rows: Sequence[PhraseRow]) -> list[list[Any]]:
    out: list[list[Any]] = [["technique", "phrase", "spans", "articles"]]
    out += [[r.technique, r.phrase, r.spans, r.articles] for r in rows]
    return out


# -- two outlets side by side -----------------------------------------------------------------


def compare_groups(rows: Sequence[CompareRow]) -> Groups:
    return [
        (
            title(row.technique),
            [
                Bar(
                    side.outlet,
                    side.per_1000,
                    color,
                    rate(side.per_1000),
                    f"{side.spans} spans; 95% interval {interval(side)}",
                    side.interval,
                )
                for side, color in zip((row.a, row.b), OUTLET_COLORS, strict=True)
            ],
        )
        for row in rows
    ]


def compare_csv_rows(rows: Sequence[CompareRow]) -> list[list[Any]]:
    def head(side: str) -> list[str]:
        names = ("outlet", "spans", "words", "per_1000", "low_95", "high_95")
        return [f"{name}_{side}" for name in names]

    def cells(r: RateRow) -> list[Any]:
        low, high = r.interval
        return [r.outlet, r.spans, r.words, exact(r.per_1000), exact(low), exact(high)]

    out: list[list[Any]] = [["technique", *head("a"), *head("b")]]
    out += [[row.technique, *cells(row.a), *cells(row.b)] for row in rows]
    return out


COMPARE_ORDER = ("taxonomy", "difference", "rate")


def order_compare(rows: Sequence[CompareRow], order: str) -> list[CompareRow]:
    """Techniques in taxonomy order, by the larger difference of rates, or by the higher of
    the two rates."""
    if order == "difference":
        return sorted(rows, key=lambda r: -abs(r.a.per_1000 - r.b.per_1000))
    if order == "rate":
        return sorted(rows, key=lambda r: -max(r.a.per_1000, r.b.per_1000))
    return list(rows)
