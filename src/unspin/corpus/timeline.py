"""The timeline: periods of a size chosen from the data, and dates far from the rest listed.

One article dated 1902 in a corpus of 2016-2018 news would stretch a week-by-week chart over
6,000 empty weeks. So dates far from the bulk of the corpus (outside its 1st-99th percentile
range widened by half that range, and at least 90 days), and dates after today, are
*outliers*: listed with their articles, not drawn. The period (day, week, month or year) is the
finest that draws the rest in at most ``MAX_PERIODS`` bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from unspin._errors import InputError

BUCKETS = ("day", "week", "month", "year")
MAX_PERIODS = 90
"""The most periods ``auto`` draws: the finest period size that needs no more is chosen."""
MAX_CHOSEN = 400
"""The most periods a chosen size may draw (``?bucket=day`` over ten years would be 3,650)."""
_SMALL = 20  # fewer dated articles than this: no percentile trimming, only future dates


@dataclass(frozen=True, slots=True)
class DayRow:
    """What the store has for one publication date: articles, words, spans by technique."""

    day: date
    articles: int
    words: int
    spans: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.spans.values())


@dataclass(frozen=True, slots=True)
class PeriodRow:
    """One period (a day, a week starting Monday, a month or a year) from ``start``:
    articles, words, spans by technique."""

    start: date
    articles: int
    words: int
    spans: dict[str, int] = field(default_factory=dict)

    @property
    def week(self) -> date:
        """``start``, under the name it had when every period was a week."""
        return self.start

    @property
    def total(self) -> int:
        return sum(self.spans.values())

    @property
    def per_1000(self) -> float:
        return 1000 * self.total / self.words if self.words else 0.0


Outliers = list[tuple[DayRow, str]]


@dataclass(frozen=True, slots=True)
class Timeline:
    """Periods of ``bucket`` size over the bulk of the dated articles, the dates left out as
    outliers (with ``why``: ``"future"`` or ``"far"``), and how many articles have no date."""

    bucket: str
    periods: list[PeriodRow]
    outliers: Outliers
    undated: int = 0

    @property
    def outlier_articles(self) -> int:
        return sum(row.articles for row, _ in self.outliers)


def period_start(day: date, bucket: str) -> date:
    if bucket == "day":
        return day
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def next_period(start: date, bucket: str) -> date:
    if bucket == "day":
        return start + timedelta(days=1)
    if bucket == "week":
        return start + timedelta(days=7)
    if bucket == "month":
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start.replace(year=start.year + 1)


def count_periods(first: date, last: date, bucket: str) -> int:
    a, b = period_start(first, bucket), period_start(last, bucket)
    if bucket == "day":
        return (b - a).days + 1
    if bucket == "week":
        return (b - a).days // 7 + 1
    if bucket == "month":
        return (b.year - a.year) * 12 + b.month - a.month + 1
    return b.year - a.year + 1


def split_outliers(days: Sequence[DayRow], today: date) -> tuple[list[DayRow], Outliers]:
    """The days of the bulk, and the outliers with why each is one."""
    ordered = sorted(days, key=lambda d: d.day)
    future = [(d, "future") for d in ordered if d.day > today]
    dated = [d for d in ordered if d.day <= today]
    total = sum(d.articles for d in dated)
    if total < _SMALL:
        return dated, future
    low, high = _quantile(dated, total, 0.01), _quantile(dated, total, 0.99)
    margin = max((high - low) / 2, timedelta(days=90))
    bulk = [d for d in dated if low - margin <= d.day <= high + margin]
    far = [(d, "far") for d in dated if not low - margin <= d.day <= high + margin]
    return bulk, far + future


def _quantile(days: Sequence[DayRow], total: int, q: float) -> date:
    """The date below which a share ``q`` of the articles lie (days sorted)."""
    wanted = q * total
    seen = 0
    for row in days:
        seen += row.articles
        if seen >= wanted:
            return row.day
    return days[-1].day


def choose_bucket(first: date, last: date) -> str:
    for bucket in BUCKETS:
        if count_periods(first, last, bucket) <= MAX_PERIODS:
            return bucket
    return "year"


def build(
    days: Sequence[DayRow], *, bucket: str = "auto", today: date | None = None, undated: int = 0
) -> Timeline:
    """The timeline of these days: ``bucket`` is ``auto`` or one of ``BUCKETS``."""
    if bucket != "auto" and bucket not in BUCKETS:
        raise InputError(f"bucket={bucket!r}: choose auto, {', '.join(BUCKETS)}")
    bulk, outliers = split_outliers(days, today or date.today())
    if not bulk:
        return Timeline(bucket if bucket != "auto" else "week", [], outliers, undated)
    first, last = bulk[0].day, bulk[-1].day
    if bucket == "auto":
        bucket = choose_bucket(first, last)
    elif (n := count_periods(first, last, bucket)) > MAX_CHOSEN:
        raise InputError(
            f"bucket={bucket}: {n:,} periods from {first} to {last} is too many to draw "
            f"(at most {MAX_CHOSEN}); choose a longer period or auto"
        )
    articles: dict[date, int] = {}
    words: dict[date, int] = {}
    spans: dict[date, dict[str, int]] = {}
    for row in bulk:
        start = period_start(row.day, bucket)
        articles[start] = articles.get(start, 0) + row.articles
        words[start] = words.get(start, 0) + row.words
        into = spans.setdefault(start, {})
        for name, n in row.spans.items():
            into[name] = into.get(name, 0) + n
    periods = []
    start = period_start(first, bucket)
    while start <= last:
        periods.append(
            PeriodRow(
                start,
                articles.get(start, 0),
                words.get(start, 0),
                dict(sorted(spans.get(start, {}).items())),
            )
        )
        start = next_period(start, bucket)
    return Timeline(bucket, periods, outliers, undated)
