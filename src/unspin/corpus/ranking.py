"""Outlets ranked for the dashboard: by rate of spans per 1,000 words or by article count,
with a minimum number of articles to be ranked at all (one article says little about an
outlet), and the techniques of the whole selection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from unspin._errors import InputError
from unspin.corpus.store.stats import OutletRow, RateRow
from unspin.techniques import TECHNIQUE_NAMES

RANK_BY = ("rate", "articles")


@dataclass(frozen=True, slots=True)
class Ranking:
    """Outlets with at least ``min_articles`` matching articles, best first by ``by``, and
    the outlets with fewer (by name)."""

    by: str
    min_articles: int
    ranked: list[OutletRow] = field(default_factory=list)
    unranked: list[OutletRow] = field(default_factory=list)

    def rank_of(self, outlet: str) -> int | None:
        """1 for the first ranked outlet; ``None`` for an outlet that is not ranked."""
        for number, row in enumerate(self.ranked, start=1):
            if row.outlet == outlet:
                return number
        return None


def rank_outlets(rows: Sequence[OutletRow], by: str = "rate", min_articles: int = 5) -> Ranking:
    """Rank ``rows`` (``Corpus.outlet_totals``) by ``rate`` (highest first) or ``articles``
    (most first); ties go to more articles, then to the name."""
    if by not in RANK_BY:
        raise InputError(f"rank={by!r}: choose {' or '.join(RANK_BY)}")
    if min_articles < 1:
        raise InputError(f"min_articles={min_articles}: give 1 or more")
    eligible = [r for r in rows if r.articles >= min_articles]
    if by == "rate":
        eligible.sort(key=lambda r: (-r.per_1000, -r.articles, r.outlet))
    else:
        eligible.sort(key=lambda r: (-r.articles, -r.per_1000, r.outlet))
    rest = sorted((r for r in rows if r.articles < min_articles), key=lambda r: r.outlet)
    return Ranking(by, min_articles, eligible, rest)


def technique_totals(rows: Sequence[RateRow]) -> list[RateRow]:
    """Spans of each technique over all the outlets' words (outlet ``""``), in taxonomy
    order, from ``Corpus.rates`` rows."""
    words = sum({row.outlet: row.words for row in rows}.values())
    spans: dict[str, int] = {}
    for row in rows:
        if row.technique:
            spans[row.technique] = spans.get(row.technique, 0) + row.spans
    names = [n for n in TECHNIQUE_NAMES if n in spans] + sorted(set(spans) - set(TECHNIQUE_NAMES))
    return [RateRow("", name, spans[name], words) for name in names]
