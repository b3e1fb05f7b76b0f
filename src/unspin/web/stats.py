"""Corpus statistics as the dashboard and compare pages show them: chart bars, table rows and
CSV rows, all from the same query results so that the three always agree."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from unspin.corpus import CompareRow, PhraseRow, RateRow, WeekRow
from unspin.formats.segments import technique
from unspin.techniques import TECHNIQUE_NAMES
from unspin.web.charts import Bar

OUTLET_COLORS = ("#2b5a9b", "#b4531a")  # outlet A and B on the compare page
TIMELINE_COLOR = "#4d4d8f"
Groups = list[tuple[str, list[Bar]]]


def rate(value: float) -> str:
    """A rate as pages show it: two decimals."""
    return f"{value:.2f}"


def exact(value: float) -> float:
    """A rate as CSV and JSON give it: four decimals."""
    return round(value, 4)


def title(name: str) -> str:
    return technique(name).title if name else "(no spans)"


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
    out: list[list[Any]] = [["outlet", "technique", "spans", "words", "per_1000"]]
    out += [[r.outlet, r.technique, r.spans, r.words, exact(r.per_1000)] for r in rows]
    return out


# -- timeline ---------------------------------------------------------------------------------


def timeline_bars(weeks: Sequence[WeekRow]) -> list[Bar]:
    return [
        Bar(
            week.week.isoformat(),
            week.per_1000,
            TIMELINE_COLOR,
            rate(week.per_1000),
            f"{week.total} spans in {week.articles} articles, {week.words:,} words",
        )
        for week in weeks
    ]


def timeline_techniques(weeks: Sequence[WeekRow]) -> list[str]:
    found = {name for week in weeks for name in week.spans}
    return [name for name in TECHNIQUE_NAMES if name in found] + sorted(
        found - set(TECHNIQUE_NAMES)
    )


def timeline_csv_rows(weeks: Sequence[WeekRow]) -> list[list[Any]]:
    names = timeline_techniques(weeks)
    out: list[list[Any]] = [["week", "articles", "words", "spans", "per_1000", *names]]
    for w in weeks:
        counts = [w.spans.get(name, 0) for name in names]
        out.append([w.week.isoformat(), w.articles, w.words, w.total, exact(w.per_1000), *counts])
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
                Bar(side.outlet, side.per_1000, color, rate(side.per_1000), f"{side.spans} spans")
                for side, color in zip((row.a, row.b), OUTLET_COLORS, strict=True)
            ],
        )
        for row in rows
    ]


def compare_csv_rows(rows: Sequence[CompareRow]) -> list[list[Any]]:
    head = ["technique", "outlet_a", "spans_a", "words_a", "per_1000_a"]
    out: list[list[Any]] = [[*head, "outlet_b", "spans_b", "words_b", "per_1000_b"]]
    for row in rows:
        a, b = row.a, row.b
        side_a = [a.outlet, a.spans, a.words, exact(a.per_1000)]
        out.append([row.technique, *side_a, b.outlet, b.spans, b.words, exact(b.per_1000)])
    return out
